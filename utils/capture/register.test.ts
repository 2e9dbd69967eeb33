import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { RELAY_FILE, RESCAN_EVENT } from '../page/channel';
import { loadSession } from '../storage';
import { registerCapture } from './register';

/** The fake browser has no webRequest: a stand-in event per listener, called as Chromium would. */
function fakeEvent() {
  const listeners: Array<(d: unknown) => unknown> = [];
  return {
    listeners,
    addListener: vi.fn((fn: (d: unknown) => unknown) => listeners.push(fn)),
    fire: (d: unknown) => listeners.map((l) => l(d)),
  };
}

function setup() {
  const webRequest = {
    onBeforeRequest: fakeEvent(),
    onBeforeRedirect: fakeEvent(),
    onHeadersReceived: fakeEvent(),
    onCompleted: fakeEvent(),
    onErrorOccurred: fakeEvent(),
  };
  // Nor cookies.onChanged; getAll stays the fake's, for tests to mock.
  const cookies = Object.assign(Object.create(browser.cookies), { onChanged: fakeEvent() });
  // The fake's own navigation events keep the listeners of earlier tests' setups: one set per test
  // (getFrame stays the fake's, for tests to mock).
  const webNavigation = Object.assign(Object.create(browser.webNavigation), {
    onCommitted: fakeEvent(),
    onCompleted: fakeEvent(),
  });
  const fake = Object.assign(Object.create(browser), {
    webRequest,
    cookies,
    webNavigation,
  }) as typeof browser;
  const { writer } = registerCapture(fake, storage);
  return { webRequest, webNavigation, writer, cookieChanged: cookies.onChanged };
}

const base = { frameId: 0, method: 'GET', timeStamp: 1000, tabId: 3 };

/** A cookie of lp.example as `cookies.getAll` returns it. */
function cookie(fields: {
  name: string;
  value: string;
  httpOnly?: boolean;
  session?: boolean;
  expirationDate?: number;
}) {
  return {
    domain: 'lp.example',
    path: '/',
    httpOnly: false,
    session: false,
    expirationDate: 2_000_000_000,
    hostOnly: true,
    secure: false,
    sameSite: 'lax',
    storeId: '0',
    ...fields,
  };
}

/** Tab 3 opens a landing that carried a subid, and the session is stored. */
async function landOn(
  webRequest: ReturnType<typeof setup>['webRequest'],
  writer: { flush(): Promise<void> },
) {
  webRequest.onBeforeRequest.fire({
    ...base,
    requestId: '1',
    type: 'main_frame',
    url: 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv',
  });
  await writer.flush();
}

/** Deliver a message as Chromium does, with a sender; resolves with the reply, or 'no answer'. */
const PANEL = { id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}/popup.html` };
/** A content script's sender: our extension id, but the web page's tab and URL. */
const PAGE = { id: fakeBrowser.runtime.id, tab: { id: 3 }, frameId: 0, url: 'https://lp.example/?subid=x' };

async function ask(message: unknown, sender: object = PANEL) {
  let reply: (r: unknown) => void = () => {};
  const answered = new Promise<unknown>((r) => {
    reply = r;
  });
  const kept = await fakeBrowser.runtime.onMessage.trigger(message, sender, reply);
  return (kept as unknown[]).some((k) => k === true) ? answered : 'no answer';
}

async function sessionOfTab(tabId: number) {
  const index = (await storage.getItem<{ live: Record<string, string> }>('local:index')) ?? { live: {} };
  const id = index.live[String(tabId)];
  return id ? loadSession(id) : null;
}

describe('background wiring', () => {
  beforeEach(() => {
    vi.restoreAllMocks();
    fakeBrowser.reset();
  });

  it('registers every listener synchronously, and asks for no Set-Cookie (extraHeaders slows every page)', () => {
    const { webRequest, cookieChanged } = setup();
    expect(webRequest.onBeforeRequest.addListener).toHaveBeenCalledWith(
      expect.any(Function),
      { urls: ['<all_urls>'] },
      ['requestBody'],
    );
    expect(webRequest.onHeadersReceived.addListener).toHaveBeenCalledWith(
      expect.any(Function),
      { urls: ['<all_urls>'] },
      ['responseHeaders'],
    );
    for (const e of [
      webRequest.onBeforeRedirect,
      webRequest.onCompleted,
      webRequest.onErrorOccurred,
      cookieChanged,
    ])
      expect(e.listeners).toHaveLength(1);
  });

  it('stores a tracker request with its redirect hop and answer, and ignores ordinary traffic', async () => {
    const { webRequest, writer } = setup();
    webRequest.onBeforeRequest.fire({
      ...base,
      requestId: '1',
      type: 'main_frame',
      url: 'https://demo.go2cloud.org/aff_c?offer_id=1&aff_id=2',
    });
    webRequest.onBeforeRedirect.fire({
      ...base,
      requestId: '1',
      type: 'main_frame',
      url: 'https://demo.go2cloud.org/aff_c?offer_id=1&aff_id=2',
      redirectUrl: 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv',
      statusCode: 302,
    });
    webRequest.onCompleted.fire({
      ...base,
      requestId: '1',
      type: 'main_frame',
      url: 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv',
      statusCode: 200,
    });
    webRequest.onBeforeRequest.fire({
      ...base,
      requestId: '2',
      type: 'image',
      url: 'https://cdn.example.com/logo.png?v=3',
    });
    webRequest.onBeforeRequest.fire({
      ...base,
      tabId: -1,
      requestId: '3',
      type: 'xmlhttprequest',
      url: 'https://t.example/e89bcbe/postback?subid=x',
    });
    await writer.flush();
    const session = await sessionOfTab(3);
    expect(session?.requests.map((r) => r.id)).toEqual(['1']);
    expect(
      session?.requests[0]?.hops.map((h) => [h.recognition?.system, h.recognition?.kind, h.status]),
    ).toEqual([
      ['hasoffers', 'click', 302],
      ['keitaro', 'landing', 200],
    ]);
    expect(await sessionOfTab(-1)).toBeNull();
  });

  it('never throws out of a listener on hostile details', async () => {
    const { webRequest, writer, cookieChanged } = setup();
    for (const d of [null, { removed: false, cookie: { name: 'PHPSESSID' } }, { cookie: 'x' }])
      expect(() => cookieChanged.fire(d)).not.toThrow();
    expect(() =>
      webRequest.onBeforeRequest.fire({
        ...base,
        requestId: '9',
        type: 'image',
        url: 'http://%zz/%E0%A4%A?subid=__proto__',
      }),
    ).not.toThrow();
    expect(() => webRequest.onBeforeRequest.fire(null)).not.toThrow();
    await writer.flush();
  });

  it('answers export messages from the extension, and ignores strangers and stray shapes', async () => {
    const { webRequest, writer } = setup();
    await landOn(webRequest, writer);
    const ours = (await ask({ type: 'export-session', tabId: 3 })) as {
      ok: boolean;
      data: { trails: Array<{ ids: Array<{ value: string }> }> };
    };
    expect(ours).toMatchObject({ ok: true, data: { format: 'postback-lens/session', version: 1 } });
    expect(ours.data.trails[0]?.ids[0]?.value).toBe('51ts6sgr1cbkdhljnrv');
    expect(await ask({ type: 'export-session', tabId: 3 }, { id: 'another-extension' })).toBe('no answer');
    expect(await ask({ type: 'export-session', tabId: 'x' })).toBe('no answer');
    expect(await ask('hello')).toBe('no answer');
    expect(await ask({ type: 'export-session', tabId: 99 })).toEqual({
      ok: false,
      error: 'No session for that tab yet',
    });
  });

  it('a content script may report what its page showed, and nothing more', async () => {
    const { webRequest, writer } = setup();
    await landOn(webRequest, writer);
    // The page can forge the hook's events, so what comes from a page never exports, clears or replays.
    for (const forged of [
      { type: 'export-session', tabId: 3 },
      { type: 'clear-sessions' },
      { type: 'rescan-tab', tabId: 3 },
      {
        type: 'replay',
        sessionId: (await sessionOfTab(3))?.id ?? '',
        url: 'https://bank.example/transfer',
        method: 'POST',
        withCookies: true,
      },
    ])
      expect(await ask(forged, PAGE)).toBe('no answer');
    expect(await sessionOfTab(3)).not.toBeNull();
    expect(
      await ask(
        {
          type: 'page-request',
          via: 'beacon',
          url: 'https://t.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv&status=lead',
          method: 'POST',
          at: 2000,
        },
        PAGE,
      ),
    ).toEqual({ ok: true, data: null });
    await writer.flush();
    expect((await sessionOfTab(3))?.requests.map((r) => r.via)).toContain('beacon');
  });

  it('asks the tab to read its page again when the panel opens on it, and answers even where nothing can run', async () => {
    setup();
    const executeScript = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(<never>[]);
    expect(await ask({ type: 'rescan-tab', tabId: 3 })).toEqual({ ok: true, data: null });
    const [relay, injection] = executeScript.mock.calls.map(([i]) => i) as unknown as [
      { target: object; files: string[] },
      { target: { tabId: number }; func: (name: string) => void; args: string[] },
    ];
    // The relay first (a page still loading, or loaded before the extension, has none), then the event.
    expect(relay).toMatchObject({ target: { tabId: 3, frameIds: [0] }, files: [RELAY_FILE] });
    expect(injection.target).toEqual({ tabId: 3 });
    expect(injection.args).toEqual([RESCAN_EVENT]);
    // What runs in the tab: one event of that name on the page's window, nothing else.
    const dispatched: string[] = [];
    vi.stubGlobal('dispatchEvent', (e: Event) => dispatched.push(e.type));
    injection.func(RESCAN_EVENT);
    vi.unstubAllGlobals();
    expect(dispatched).toEqual([RESCAN_EVENT]);
    executeScript.mockRejectedValueOnce(new Error('Cannot access a chrome:// URL'));
    expect(await ask({ type: 'rescan-tab', tabId: 4 })).toEqual({ ok: true, data: null });
  });

  it('puts the relay into a landing once loaded and into a page that sends a tracker request, and nowhere else', async () => {
    const { webRequest, webNavigation } = setup();
    const executeScript = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(<never>[]);
    const relays = () =>
      executeScript.mock.calls.map(([i]) => i as { target: object; files?: string[] }).filter((i) => i.files);
    const frame = (frameId: number, url: string, documentId: string) =>
      ({ tabId: 3, frameId, url, documentId, parentFrameId: -1, processId: 1, timeStamp: 1000 }) as never;
    const commit = (frameId: number, url: string, documentId: string) =>
      webNavigation.onCommitted.fire({
        ...(frame(frameId, url, documentId) as object),
        transitionType: 'link',
        transitionQualifiers: [],
      } as never);
    const loaded = (frameId: number, url: string, documentId: string) =>
      webNavigation.onCompleted.fire(frame(frameId, url, documentId));
    const subid = '51ts6sgr1cbkdhljnrv';
    // Nothing while a page loads: the isolated world would slow it.
    await commit(0, `https://lp.example/?subid=${subid}`, 'LANDING');
    await commit(0, 'https://news.example/?q=1', 'ORDINARY');
    expect(relays()).toEqual([]);
    // Loaded: the landing's page watch has something to report; the ordinary page and a framed landing do not get one.
    await loaded(0, `https://lp.example/?subid=${subid}`, 'LANDING');
    await loaded(0, 'https://news.example/?q=1', 'ORDINARY');
    await loaded(1, `https://lp.example/?subid=${subid}`, 'FRAMED');
    expect(relays()).toEqual([
      { target: { tabId: 3, documentIds: ['LANDING'] }, files: [RELAY_FILE], injectImmediately: true },
    ]);
    executeScript.mockClear();
    const postback = `https://t.example/e89bcbe/postback?subid=${subid}&status=lead`;
    for (const [requestId, type, url, frameId] of [
      ['20', 'xmlhttprequest', postback, 0], // fetch or XHR: the hook reports it
      ['21', 'ping', postback, 0], // sendBeacon
      ['22', 'image', postback, 0], // a pixel: nothing in the page to report
      ['23', 'xmlhttprequest', 'https://news.example/api/comments', 0], // not a tracker
      ['24', 'xmlhttprequest', postback, 2], // from an iframe: the page scripts run in top frames only
    ] as const)
      webRequest.onBeforeRequest.fire({
        ...base,
        requestId,
        type,
        url,
        frameId,
        documentId: `DOC${requestId}`,
      });
    expect(relays()).toEqual([
      { target: { tabId: 3, documentIds: ['DOC20'] }, files: [RELAY_FILE], injectImmediately: true },
      { target: { tabId: 3, documentIds: ['DOC21'] }, files: [RELAY_FILE], injectImmediately: true },
    ]);
    // One injection each: the relay itself says it is here (channel.ts), no second script.
    expect(executeScript).toHaveBeenCalledTimes(2);
  });

  it('takes the reports that waited for the relay from its injection result, as the page URL the browser gives', async () => {
    const { webRequest, webNavigation, writer } = setup();
    await landOn(webRequest, writer);
    const subid = '51ts6sgr1cbkdhljnrv';
    const landing = `https://lp.example/?subid=${subid}`;
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[]);
    const found = (name: string) => ({
      type: 'observations',
      pageUrl: 'https://bank.example/',
      ids: [subid],
      observations: [{ place: 'hidden-input', name, value: subid, raw: subid, where: 'form', at: 1 }],
    });
    // What the relay returns is the page's: a forged command and junk among the reports do nothing.
    const returned = [found('subid'), { type: 'clear-sessions' }, 'junk', null, found('click_id')];
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(<never>[
      { frameId: 0, result: returned },
    ]);
    webNavigation.onCompleted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: landing,
      documentId: 'D1',
      timeStamp: 2000,
    });
    await vi.waitFor(async () => {
      await writer.flush();
      expect((await sessionOfTab(3))?.observations.map((o) => o.name)).toEqual(['subid', 'click_id']);
    });
    // The jar read for them is of the landing the browser loaded, not of the URL the reports name.
    expect(getAll.mock.calls.map(([q]) => (q as { url: string }).url)).not.toContain('https://bank.example/');
    // A hooked tracker request's event gives the request's URL: the page's comes from the browser's frame.
    const getFrame = vi
      .spyOn(fakeBrowser.webNavigation, 'getFrame')
      .mockResolvedValue(<never>{ url: `https://thanks.example/?subid=${subid}`, frameId: 0 });
    webRequest.onBeforeRequest.fire({
      ...base,
      requestId: '9',
      type: 'ping',
      url: `https://t.example/e89bcbe/postback?subid=${subid}`,
      documentId: 'D2',
    });
    await vi.waitFor(() => expect(getFrame).toHaveBeenCalledWith({ documentId: 'D2' }));
    await vi.waitFor(() =>
      expect(getAll).toHaveBeenCalledWith({ url: `https://thanks.example/?subid=${subid}` }),
    );
    // Nothing left to write into the next test's storage.
    await new Promise((r) => setTimeout(r, 10));
    await writer.flush();
  });

  it('clearing removes every session with its request chunks and preview', async () => {
    const { webRequest, writer } = setup();
    for (const [tabId, n] of [
      [3, 260],
      [5, 10],
    ] as const)
      for (let i = 0; i < n; i++)
        webRequest.onBeforeRequest.fire({
          ...base,
          tabId,
          requestId: `${tabId}.${i}`,
          type: 'image',
          url: `https://t.example/?_update_tokens=1&sub_id=51ts6sgr1cbkdhljnrv&sub_id_2=${i}`,
        });
    await writer.flush();
    const keys = async () => Object.keys(await fakeBrowser.storage.local.get(null));
    expect((await keys()).filter((k) => k.startsWith('requests:'))).toHaveLength(3);
    expect(await ask({ type: 'clear-sessions' })).toEqual({ ok: true, data: { cleared: 2 } });
    expect(await keys()).toEqual(['index']);
  });

  it('counts the tab closing: the session moves to recent and stays', async () => {
    const { webRequest, writer } = setup();
    await landOn(webRequest, writer);
    const id = (await sessionOfTab(3))?.id ?? '';
    await fakeBrowser.tabs.onRemoved.trigger(3, { windowId: 1, isWindowClosing: false });
    await writer.flush();
    expect(await sessionOfTab(3)).toBeNull();
    const index = await storage.getItem<{ recent: string[] }>('local:index');
    expect(index?.recent).toEqual([id]);
    expect((await loadSession(id))?.closedAt).not.toBeNull();
  });
});

describe('background wiring: the cookie jar', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('reads the cookie jar when a landing with a click id has loaded', async () => {
    const { webRequest, writer } = setup();
    const url = 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv';
    // The fake's getAll is typed for its callback form; the promise form is what the code uses.
    const getAll = vi
      .spyOn(fakeBrowser.cookies, 'getAll')
      .mockResolvedValue(<never>[
        cookie({ name: 'kt', value: 'x%3A51ts6sgr1cbkdhljnrv', httpOnly: true }),
        cookie({ name: 'other', value: 'nothing', session: true, expirationDate: undefined }),
      ]);
    webRequest.onBeforeRequest.fire({ ...base, requestId: '1', type: 'main_frame', url });
    webRequest.onCompleted.fire({ ...base, requestId: '1', type: 'main_frame', url, statusCode: 200 });
    await vi.waitFor(() => expect(getAll).toHaveBeenCalledWith({ url }));
    await new Promise((r) => setTimeout(r, 0));
    await writer.flush();
    const session = await sessionOfTab(3);
    expect(session?.observations).toEqual([
      expect.objectContaining({
        place: 'cookie',
        name: 'kt',
        value: '51ts6sgr1cbkdhljnrv',
        httpOnly: true,
        expires: 2_000_000_000,
      }),
    ]);
  });
});

describe('background wiring: a server session cookie', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });
  const url = 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv';
  const phpsessid = cookie({ name: 'PHPSESSID', value: 'f00dcafe', httpOnly: true, session: true });

  /** The landing is asked for at `startedAt`, the jar holds PHPSESSID, the landing completes. */
  async function landWithSession(setup_: ReturnType<typeof setup>, startedAt: number) {
    const { webRequest, writer } = setup_;
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[phpsessid]);
    webRequest.onBeforeRequest.fire({
      ...base,
      timeStamp: startedAt,
      requestId: '1',
      type: 'main_frame',
      url,
    });
    return { getAll, webRequest, writer };
  }

  async function complete({ webRequest, writer, getAll }: Awaited<ReturnType<typeof landWithSession>>) {
    webRequest.onCompleted.fire({ ...base, requestId: '1', type: 'main_frame', url, statusCode: 200 });
    await vi.waitFor(() => expect(getAll).toHaveBeenCalledWith({ url }));
    await new Promise((r) => setTimeout(r, 10));
    await writer.flush();
    return (await sessionOfTab(3))?.observations ?? [];
  }

  it('set as the landing arrived, is where the id may live (dated by cookies.onChanged, no Set-Cookie needed)', async () => {
    const s = setup();
    const landing = await landWithSession(s, Date.now() - 50);
    s.cookieChanged.fire({ removed: false, cause: 'explicit', cookie: phpsessid });
    expect(await complete(landing)).toEqual([
      expect.objectContaining({
        place: 'session-cookie',
        name: 'PHPSESSID',
        value: '51ts6sgr1cbkdhljnrv',
        where: 'lp.example/',
        raw: 'PHPSESSID=f00dcafe',
        httpOnly: true,
      }),
    ]);
  });

  it('set before the landing (an earlier visit), or only removed, says nothing of this click', async () => {
    const s = setup();
    s.cookieChanged.fire({ removed: false, cause: 'explicit', cookie: phpsessid });
    await new Promise((r) => setTimeout(r, 10));
    s.cookieChanged.fire({ removed: true, cause: 'overwrite', cookie: phpsessid });
    s.cookieChanged.fire({
      removed: false,
      cause: 'explicit',
      cookie: cookie({ name: 'theme', value: 'dark' }),
    });
    const landing = await landWithSession(s, Date.now() + 60_000);
    expect(await complete(landing)).toEqual([]);
  });
});

describe('background wiring: the cookie jar after load', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });
  const jar = [cookie({ name: 'subid', value: '51ts6sgr1cbkdhljnrv' })];

  it('reads it once the landing has loaded, for the cookies its scripts wrote while loading', async () => {
    const { webRequest, webNavigation, writer } = setup();
    await landOn(webRequest, writer);
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>jar);
    const url = 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv';
    webNavigation.onCompleted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url,
      timeStamp: 2000,
    });
    webNavigation.onCompleted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: 'https://lp.example/about',
      timeStamp: 2100,
    });
    await vi.waitFor(() => expect(getAll).toHaveBeenCalledWith({ url }));
    await new Promise((r) => setTimeout(r, 0));
    await writer.flush();
    // A page without click ids: no read.
    expect(getAll.mock.calls.every(([q]) => (q as { url: string }).url === url)).toBe(true);
    expect((await sessionOfTab(3))?.observations).toEqual([
      expect.objectContaining({ place: 'cookie', name: 'subid', value: '51ts6sgr1cbkdhljnrv' }),
    ]);
  });

  it('reads the jar of the frame the browser names, not of the URL a page report claims', async () => {
    setup();
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[]);
    await ask(
      {
        type: 'observations',
        pageUrl: 'https://bank.example/',
        ids: ['51ts6sgr1cbkdhljnrv'],
        observations: [],
      },
      PAGE,
    );
    expect(getAll).toHaveBeenCalledWith({ url: PAGE.url });
  });
});

describe('background wiring: capture off for a site', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('records nothing, not even an empty session, on a site the user switched off', async () => {
    await storage.setItem('local:settings', { captureDisabledSites: ['quiet.example'] });
    const { webRequest, writer } = setup();
    webRequest.onBeforeRequest.fire({
      ...base,
      requestId: '1',
      type: 'main_frame',
      url: 'https://lp.quiet.example/?subid=51ts6sgr1cbkdhljnrv',
    });
    webRequest.onBeforeRequest.fire({
      ...base,
      tabId: 4,
      requestId: '2',
      type: 'image',
      url: 'https://t.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv',
      initiator: 'https://quiet.example',
    });
    webRequest.onBeforeRequest.fire({
      ...base,
      tabId: 5,
      requestId: '3',
      type: 'main_frame',
      url: 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv',
    });
    await writer.flush();
    const index = await storage.getItem<{ live: Record<string, string> }>('local:index');
    expect(Object.keys(index?.live ?? {})).toEqual(['5']);
    expect(await sessionOfTab(3)).toBeNull();
    expect(await sessionOfTab(4)).toBeNull();
    expect((await sessionOfTab(5))?.requests).toHaveLength(1);
  });
});

describe('background wiring: ordinary traffic', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('costs no storage write, while the answer to a request of ours is kept even at an ordinary URL', async () => {
    const { webRequest, writer } = setup();
    const setItems = vi.spyOn(storage, 'setItems');
    const plain = {
      ...base,
      requestId: '7',
      type: 'image',
      url: 'https://cdn.example.com/a.png',
      statusCode: 200,
    };
    webRequest.onBeforeRequest.fire(plain);
    webRequest.onHeadersReceived.fire({ ...plain, responseHeaders: [] });
    webRequest.onCompleted.fire(plain);
    await writer.flush();
    expect(setItems).not.toHaveBeenCalled();

    // A landing → offer link of ours that redirects to a plain offer page: its answer still counts.
    const lp = 'https://tracker.example/?_lp=1&_token=abcdefghijkl&offer_id=1';
    webRequest.onBeforeRequest.fire({ ...base, requestId: '8', type: 'main_frame', url: lp });
    webRequest.onBeforeRedirect.fire({
      ...base,
      requestId: '8',
      type: 'main_frame',
      url: lp,
      redirectUrl: 'https://offer.example/',
      statusCode: 302,
    });
    webRequest.onCompleted.fire({
      ...base,
      requestId: '8',
      type: 'main_frame',
      url: 'https://offer.example/',
      statusCode: 200,
    });
    await writer.flush();
    const request = (await sessionOfTab(3))?.requests.find((r) => r.id === '8');
    expect(request?.hops.map((h) => h.status)).toEqual([302, 200]);
    expect(request?.endedAt).toBeDefined();
    setItems.mockRestore();
  });
});
