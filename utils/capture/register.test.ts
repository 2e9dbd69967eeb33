import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { EARLY_PREFIX, earlyKey, PULL_KEY, SIGNAL_PATH, SIGNAL_PREFIX } from '../page/channel';
import { loadSession } from '../storage';
import { PULL_FILE } from './page-reports';
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
    onDOMContentLoaded: fakeEvent(),
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
const SUBID = '51ts6sgr1cbkdhljnrv';
const LANDING = `https://lp.example/?subid=${SUBID}`;
/** A documentId as Chromium gives it. */
const DOC = '4F1C0A9E2B7D44D1A8E3C6B5F0917D2E';
/** A pull, as the background asks executeScript for it: the file, or with a rescan the function. */
type Pull = {
  target: object;
  world: string;
  files?: string[];
  func?: (...a: unknown[]) => unknown;
  args?: [string, boolean];
};
/** A page's nonce, as the page channel makes it. */
const NONCE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
/** What a pull brings back from a page: its nonce and its waiting reports (JSON strings). */
const pulled = (reports: unknown[], nonce = NONCE) => [{ frameId: 0, result: { nonce, reports } }];
/** The landing's DOM is ready in a tab (webNavigation.onDOMContentLoaded, as Chromium gives it). */
const loadedLanding = (
  webNavigation: ReturnType<typeof setup>['webNavigation'],
  tabId = 3,
  documentId = DOC,
) =>
  webNavigation.onDOMContentLoaded.fire(<never>{
    tabId,
    frameId: 0,
    url: LANDING,
    documentId,
    timeStamp: 2000,
  });
/** Waits until tab 3's session holds these observations, by name. */
async function expectObserved(writer: ReturnType<typeof setup>['writer'], names: string[]) {
  await vi.waitFor(async () => {
    await writer.flush();
    expect((await sessionOfTab(3))?.observations.map((o) => o.name)).toEqual(names);
  });
}
/** A page watch's report of a hidden input holding the subid, naming `pageUrl` as its page. */
const foundIn = (name: string, pageUrl: string) => ({
  type: 'observations',
  pageUrl,
  ids: [SUBID],
  observations: [{ place: 'hidden-input', name, value: SUBID, raw: SUBID, where: 'form', at: 1 }],
});

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

/** Tab 3 on a landing, with the cookie jar, its removal and executeScript (a pull finding nothing) mocked. */
async function signalSetup() {
  const wired = setup();
  await landOn(wired.webRequest, wired.writer);
  return {
    ...wired,
    getAll: vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[]),
    remove: vi.spyOn(fakeBrowser.cookies, 'remove').mockResolvedValue(<never>null),
    executeScript: vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(<never>pulled([])),
  };
}

/** A page writes a signal cookie of lp.example (cookies.onChanged as Chromium gives it); a report is JSON, percent-encoded. */
function signalCookie(
  cookieChanged: ReturnType<typeof setup>['cookieChanged'],
  name: string,
  report: unknown,
  fields: object = {},
) {
  cookieChanged.fire({
    removed: false,
    cause: 'explicit',
    cookie: {
      name,
      value: typeof report === 'string' ? report : encodeURIComponent(JSON.stringify(report)),
      domain: 'lp.example',
      path: SIGNAL_PATH,
      storeId: '0',
      hostOnly: true,
      ...fields,
    },
  });
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
    vi.spyOn(fakeBrowser.webNavigation, 'getFrame').mockResolvedValue(<never>{
      documentId: DOC,
      url: LANDING,
    });
    const executeScript = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(<never>[]);
    expect(await ask({ type: 'rescan-tab', tabId: 3 })).toEqual({ ok: true, data: null });
    const [pull] = executeScript.mock.calls.map(([i]) => i) as unknown as [Pull];
    // One pull, in the page's own world, of the document the browser shows in the tab, with a rescan.
    expect(pull).toMatchObject({
      target: { tabId: 3, documentIds: [DOC] },
      world: 'MAIN',
      args: [PULL_KEY, true],
    });
    // What runs in the tab: the page channel's take function, asked to rescan first.
    const take = vi.fn(() => ({ nonce: NONCE, reports: [] }));
    vi.stubGlobal('window', { [Symbol.for(PULL_KEY)]: take });
    expect(pull.func?.(...(pull.args ?? []))).toEqual({ nonce: NONCE, reports: [] });
    vi.unstubAllGlobals();
    expect(take).toHaveBeenCalledWith(true);
    executeScript.mockRejectedValueOnce(new Error('Cannot access a chrome:// URL'));
    expect(await ask({ type: 'rescan-tab', tabId: 4 })).toEqual({ ok: true, data: null });
  });

  it('pulls from a landing once its DOM is ready and from a page that sends a tracker request, and nowhere else', async () => {
    const { webRequest, webNavigation } = setup();
    const executeScript = vi
      .spyOn(fakeBrowser.scripting, 'executeScript')
      .mockResolvedValue(<never>pulled([]));
    // The browser's frames: a tracker request's event names its document, not the page's URL.
    vi.spyOn(fakeBrowser.webNavigation, 'getFrame').mockImplementation(
      async (q) =>
        <never>{ url: 'https://thanks.example/', documentId: (q as { documentId?: string }).documentId },
    );
    const pulls = () =>
      executeScript.mock.calls.map(([i]) => {
        const { target, files, world } = i as unknown as Pull;
        expect({ files, world }).toEqual({ files: [PULL_FILE], world: 'MAIN' });
        return target;
      });
    const frame = (frameId: number, url: string, documentId: string) =>
      ({ tabId: 3, frameId, url, documentId, parentFrameId: -1, processId: 1, timeStamp: 1000 }) as never;
    const commit = (frameId: number, url: string, documentId: string) =>
      webNavigation.onCommitted.fire({
        ...(frame(frameId, url, documentId) as object),
        transitionType: 'link',
        transitionQualifiers: [],
      } as never);
    const loaded = (frameId: number, url: string, documentId: string) =>
      webNavigation.onDOMContentLoaded.fire(frame(frameId, url, documentId));
    const [landing, ordinary, framed] = ['A', 'B', 'C'].map((c) => c.repeat(32)) as [string, string, string];
    // Nothing as a page commits: its page scripts may not be there yet.
    await commit(0, LANDING, landing);
    await commit(0, 'https://news.example/?q=1', ordinary);
    expect(pulls()).toEqual([]);
    // DOM ready: the landing's page watch may report from now on; the ordinary page and a framed landing do not.
    await loaded(0, LANDING, landing);
    await loaded(0, 'https://news.example/?q=1', ordinary);
    await loaded(1, LANDING, framed);
    await vi.waitFor(() => expect(pulls()).toEqual([{ tabId: 3, documentIds: [landing] }]));
    executeScript.mockClear();
    const postback = `https://t.example/e89bcbe/postback?subid=${SUBID}&status=lead`;
    for (const [requestId, type, url, frameId] of [
      ['20', 'xmlhttprequest', postback, 0], // fetch or XHR: the hook reports it
      ['21', 'ping', postback, 0], // sendBeacon
      ['22', 'image', postback, 0], // a pixel: nothing in the page to report
      ['23', 'xmlhttprequest', 'https://news.example/api/comments', 0], // not a tracker
      ['24', 'xmlhttprequest', postback, 2], // from an iframe: the page scripts run in top frames only
      ['25', 'xmlhttprequest', postback, 0], // the same document again: pulled already
    ] as const)
      webRequest.onBeforeRequest.fire({
        ...base,
        requestId,
        type,
        url,
        frameId,
        documentId: `${requestId === '25' ? '20' : requestId}`.repeat(16),
      });
    await vi.waitFor(() =>
      expect(pulls()).toEqual([
        { tabId: 3, documentIds: ['20'.repeat(16)] },
        { tabId: 3, documentIds: ['21'.repeat(16)] },
      ]),
    );
  });

  it('takes the reports a pull brings back, as the page URL the browser gives', async () => {
    const { webRequest, webNavigation, writer } = setup();
    await landOn(webRequest, writer);
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[]);
    // What the pull returns is the page's: a forged command and junk among the reports do nothing.
    const returned = [
      JSON.stringify(foundIn('subid', 'https://bank.example/')),
      JSON.stringify({ type: 'clear-sessions' }),
      'junk',
      null,
      { type: 'observations' }, // not a string: not a report as the page keeps them
      JSON.stringify(foundIn('click_id', 'https://bank.example/')),
    ];
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(<never>pulled(returned));
    loadedLanding(webNavigation);
    await expectObserved(writer, ['subid', 'click_id']);
    // The jar read for them is of the landing the browser loaded, not of the URL the reports name.
    expect(getAll.mock.calls.map(([q]) => (q as { url: string }).url)).not.toContain('https://bank.example/');
    // A hooked tracker request's event gives the request's URL: the page's comes from the browser's frame.
    const getFrame = vi
      .spyOn(fakeBrowser.webNavigation, 'getFrame')
      .mockResolvedValue(<never>{ url: `https://thanks.example/?subid=${SUBID}`, frameId: 0 });
    webRequest.onBeforeRequest.fire({
      ...base,
      requestId: '9',
      type: 'ping',
      url: `https://t.example/e89bcbe/postback?subid=${SUBID}`,
      documentId: 'D'.repeat(32),
    });
    await vi.waitFor(() => expect(getFrame).toHaveBeenCalledWith({ documentId: 'D'.repeat(32) }));
    await vi.waitFor(() =>
      expect(getAll).toHaveBeenCalledWith({ url: `https://thanks.example/?subid=${SUBID}` }),
    );
    // Nothing left to write into the next test's storage.
    await new Promise((r) => setTimeout(r, 10));
    await writer.flush();
  });

  it('takes a report a leaving page signalled in a cookie, removes the cookie at once, and ignores forged ones', async () => {
    const { webNavigation, writer, cookieChanged, getAll, remove, executeScript } = await signalSetup();
    // The landing's load pull takes the page's nonce.
    loadedLanding(webNavigation);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20)); // the nonce noted as tab 3's
    // Another tab's page that copied the nonce (it cannot know it, but say it did) does not take it over.
    const other = 'B'.repeat(32);
    loadedLanding(webNavigation, 5, other);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    const signal = (nonce: string, report: unknown, fields: object = {}) =>
      signalCookie(cookieChanged, `${SIGNAL_PREFIX}${nonce}`, report, fields);
    const observed = async (tabId = 3) => {
      await new Promise((r) => setTimeout(r, 20));
      await writer.flush();
      return (await sessionOfTab(tabId))?.observations.map((o) => o.name);
    };
    // Forged: a nonce no pull took, junk, a command, another path.
    signal('a'.repeat(32), foundIn('forged', LANDING));
    signal(NONCE, '%E0%A4%A');
    signal(NONCE, { type: 'clear-sessions' });
    signal(NONCE, foundIn('elsewhere', LANDING), { path: '/' });
    // The nonce written by a page of another site than the one pulled from.
    signal(NONCE, foundIn('other-site', 'https://evil.example/'), { domain: 'evil.example' });
    // Removed from the jar (or an overwrite's first half): nothing to take.
    cookieChanged.fire({ removed: true, cause: 'explicit', cookie: { name: `${SIGNAL_PREFIX}${NONCE}` } });
    expect(await observed()).toEqual([]);
    expect(executeScript).toHaveBeenCalledTimes(2);
    // Every signal cookie goes from the jar as it arrives, a forged one too.
    expect(remove).toHaveBeenCalledWith({
      url: `http://lp.example${SIGNAL_PATH}`,
      name: `${SIGNAL_PREFIX}${NONCE}`,
      storeId: '0',
    });
    expect(remove).toHaveBeenCalledWith(
      expect.objectContaining({ name: `${SIGNAL_PREFIX}${'a'.repeat(32)}` }),
    );
    // Nothing found by the http URL (the fake's answer): tried by https, as a page there binds it.
    expect(remove).toHaveBeenCalledWith({
      url: `https://lp.example${SIGNAL_PATH}`,
      name: `${SIGNAL_PREFIX}${NONCE}`,
      storeId: '0',
    });

    // The page's own: taken into its tab's session.
    signal(NONCE, foundIn('subid', LANDING));
    expect(await observed()).toEqual(['subid']);
    expect(await observed(5)).toBeUndefined();
    expect(getAll).toHaveBeenLastCalledWith({ url: LANDING });
    // The page URL a report names is not believed (it would choose whose cookies are read): the one
    // its pull ran on is.
    signal(NONCE, foundIn('click_id', 'http://lp.example/admin/'));
    expect(await observed()).toEqual(['subid', 'click_id']);
    expect(getAll).toHaveBeenLastCalledWith({ url: LANDING });
    // An empty one asks for a pull of that document.
    signal(NONCE, '');
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(3));
    expect((executeScript.mock.calls[2]?.[0] as unknown as Pull | undefined)?.target).toEqual({
      tabId: 3,
      documentIds: [DOC],
    });
    // The tab closed: its nonces go with it.
    await fakeBrowser.tabs.onRemoved.trigger(3, { windowId: 1, isWindowClosing: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.includes(NONCE))).toEqual(
      [],
    );
    await writer.flush();
  });

  it('takes the early signal of a landing left before any pull reached it, for that landing only', async () => {
    const { webNavigation, writer, cookieChanged, getAll, remove, executeScript } = await signalSetup();
    const committed = (tabId: number, documentId: string, url: string) =>
      webNavigation.onCommitted.fire(<never>{ tabId, frameId: 0, documentId, url, timeStamp: 1500 });
    // Two landings commit, in tabs 3 and 5, and neither is pulled (no DOMContentLoaded yet).
    committed(3, DOC, LANDING);
    const otherUrl = `https://lp.example/?subid=other${SUBID}`;
    committed(5, 'C'.repeat(32), otherUrl);
    const early = (url: string, report: unknown, fields: object = {}) =>
      signalCookie(cookieChanged, `${EARLY_PREFIX}${earlyKey(url)}`, report, fields);
    const observed = async (tabId = 3) => {
      await new Promise((r) => setTimeout(r, 20));
      await writer.flush();
      return (await sessionOfTab(tabId))?.observations.map((o) => o.name) ?? [];
    };
    // Not a landing that committed here, the right key written by another site, an empty cookie
    // (nothing to pull from a page that is leaving): nothing.
    early('https://lp.example/?subid=nobody1234567', foundIn('unknown', LANDING));
    early(LANDING, foundIn('other-site', LANDING), { domain: 'evil.example' });
    early(LANDING, '');
    expect(await observed()).toEqual([]);
    expect(executeScript).not.toHaveBeenCalled();
    expect(remove).toHaveBeenCalledWith(
      expect.objectContaining({ name: `${EARLY_PREFIX}${earlyKey(LANDING)}` }),
    );
    // The landing's own: into its tab's session, as the URL it committed with.
    early(LANDING, foundIn('kt_subid', 'https://lp.example/forged'));
    expect(await observed()).toEqual(['kt_subid']);
    expect(await observed(5)).toEqual([]);
    // Once a pull has reached it, its signals carry its nonce: the early name no longer counts.
    loadedLanding(webNavigation);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20));
    early(LANDING, foundIn('after-pull', LANDING));
    expect(await observed()).toEqual(['kt_subid']);
    // A closed tab's landing is forgotten: its signal is not handed on (which reads the jar).
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    const reads = getAll.mock.calls.length;
    early(otherUrl, foundIn('closed', otherUrl));
    await observed(5);
    expect(getAll.mock.calls.length).toBe(reads);
    // While it was open, it was.
    committed(6, 'D'.repeat(32), otherUrl);
    early(otherUrl, foundIn('open', otherUrl));
    expect(await observed(6)).toEqual(['open']);
    await writer.flush();
  });

  it('notes at most 4 nonces a tab, one a document, however many pulls come at once', async () => {
    const { webNavigation, writer } = setup();
    const nonceKeys = async () =>
      Object.keys(await fakeBrowser.storage.session.get(null))
        .filter((k) => k.startsWith('page-nonce:'))
        .sort();
    let n = 0;
    // Pages that hand out a new nonce at every pull (they replaced the channel's take function).
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(
      async () => <never>pulled([], (n++).toString(16).padStart(32, '0')),
    );
    const last = '13'.padStart(32, '0');
    vi.spyOn(fakeBrowser.webNavigation, 'getFrame').mockResolvedValue(<never>{
      url: LANDING,
      documentId: last,
    });
    // Twenty landings in one tab, their pulls all under way at once.
    for (let i = 0; i < 20; i++) loadedLanding(webNavigation, 3, i.toString(16).padStart(32, '0'));
    await vi.waitFor(() => expect(n).toBe(20));
    await new Promise((r) => setTimeout(r, 50));
    const kept = await nonceKeys();
    expect(kept).toHaveLength(4);
    // The last document pulled again (the panel opened) with a new nonce: it keeps its first one.
    expect(await ask({ type: 'rescan-tab', tabId: 3 })).toEqual({ ok: true, data: null });
    expect(await ask({ type: 'rescan-tab', tabId: 3 })).toEqual({ ok: true, data: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(n).toBe(22);
    expect(await nonceKeys()).toEqual(kept);
    await writer.flush();
  });

  it('pulls a landing that dropped its click ids before its DOM was ready, and a document back from the back/forward cache again', async () => {
    const { webNavigation } = setup();
    const executeScript = vi
      .spyOn(fakeBrowser.scripting, 'executeScript')
      .mockResolvedValue(<never>pulled([]));
    const nav = (url: string) => ({ tabId: 3, frameId: 0, url, documentId: DOC, timeStamp: 2000 });
    const commit = (url: string) =>
      webNavigation.onCommitted.fire(<never>{
        ...nav(url),
        transitionType: 'link',
        transitionQualifiers: [],
      });
    commit(LANDING);
    webNavigation.onDOMContentLoaded.fire(<never>nav('https://lp.example/')); // history.replaceState
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    webNavigation.onDOMContentLoaded.fire(<never>nav('https://lp.example/')); // seen already
    commit(LANDING); // back from the cache: the same document
    loadedLanding(webNavigation);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(executeScript).toHaveBeenCalledTimes(2);
  });

  it('pulls once more for cookies that asked during a pull, and notes nothing for a tab that closed meanwhile', async () => {
    const { webNavigation, cookieChanged } = setup();
    vi.spyOn(fakeBrowser.cookies, 'remove').mockResolvedValue(<never>{});
    let release = (_nonce = NONCE) => {};
    const executeScript = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(
      () =>
        new Promise((r) => {
          release = (nonce = NONCE) => r(<never>pulled([], nonce));
        }),
    );
    loadedLanding(webNavigation);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    release();
    await new Promise((r) => setTimeout(r, 20)); // the nonce noted
    const ask = () =>
      cookieChanged.fire({
        removed: false,
        cookie: { name: `${SIGNAL_PREFIX}${NONCE}`, value: '', domain: 'lp.example', path: SIGNAL_PATH },
      });
    ask();
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    ask();
    ask(); // two more while that pull is under way: one more pull for both
    await new Promise((r) => setTimeout(r, 20));
    release();
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(3));
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(executeScript).toHaveBeenCalledTimes(3);
    // A pull under way as its tab closes: its nonce is not noted for the closed tab.
    loadedLanding(webNavigation, 7, 'E'.repeat(32));
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(4));
    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    release('f'.repeat(32));
    await new Promise((r) => setTimeout(r, 20));
    expect(
      Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.includes('-tab:7')),
    ).toEqual([]);
  });

  it('takes a signal that arrives before the pull that took the nonce has come back', async () => {
    const { webRequest, webNavigation, writer, cookieChanged } = setup();
    await landOn(webRequest, writer);
    vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[]);
    vi.spyOn(fakeBrowser.cookies, 'remove').mockResolvedValue(<never>{});
    // The page reports at once: its signal is out while the pull's result is still on its way.
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(async () => {
      cookieChanged.fire({
        removed: false,
        cookie: {
          name: `${SIGNAL_PREFIX}${NONCE}`,
          value: encodeURIComponent(JSON.stringify(foundIn('early', LANDING))),
          domain: 'lp.example',
          path: SIGNAL_PATH,
        },
      });
      await new Promise((r) => setTimeout(r, 30));
      return <never>pulled([]);
    });
    loadedLanding(webNavigation);
    await expectObserved(writer, ['early']);
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
