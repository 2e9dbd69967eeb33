import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { PULL_KEY, SIGNAL_PATH, SIGNAL_PREFIX, urlKey } from '../page/channel';
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

function setup(extra: object = {}) {
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
    ...extra,
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
  args?: [string, boolean, boolean];
};
/** A page's signal key, as the page channel makes one at a page's first pull. */
const KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
/** What a pull brings back from a page: its signal key and its waiting reports (JSON strings). */
const pulled = (reports: unknown[], key = KEY) => [{ frameId: 0, result: { key, reports } }];
/** A page in a tab sends a tracker request (fetch), which the background pulls from; the browser's frames say the page is LANDING. */
let trackerRequests = 0;
const sendsTracker = (webRequest: ReturnType<typeof setup>['webRequest'], tabId = 3, documentId = DOC) => {
  vi.spyOn(fakeBrowser.webNavigation, 'getFrame').mockImplementation(
    async (q) => <never>{ url: LANDING, documentId: (q as { documentId?: string }).documentId },
  );
  webRequest.onBeforeRequest.fire({
    ...base,
    tabId,
    requestId: `tracker-${trackerRequests++}`,
    type: 'xmlhttprequest',
    url: `https://t.example/e89bcbe/postback?subid=${SUBID}&status=lead`,
    documentId,
  });
};
/** A landing commits in a tab (webNavigation.onCommitted, as Chromium gives it). */
const commits = (
  webNavigation: ReturnType<typeof setup>['webNavigation'],
  tabId = 3,
  documentId = DOC,
  url = LANDING,
) =>
  webNavigation.onCommitted.fire(<never>{
    tabId,
    frameId: 0,
    url,
    documentId,
    timeStamp: 1500,
    transitionType: 'link',
    transitionQualifiers: [],
  });
/** The signal keys noted in session storage, by host and key. */
const notedKeys = async () =>
  Object.keys(await fakeBrowser.storage.session.get(null))
    .filter((k) => k.startsWith('page-signal:'))
    .sort();
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
    // Answers as they arrive only for what a page fires at a tracker: never the page's own document,
    // its stylesheets, scripts or fonts (Chromium handles each on its main thread before the page gets it).
    const answers = (webRequest.onHeadersReceived.addListener.mock.calls[0] as unknown[] | undefined)?.[1];
    expect(answers).toEqual({ urls: ['<all_urls>'], types: expect.any(Array) });
    expect((answers as { types: string[] } | undefined)?.types.sort()).toEqual(
      ['image', 'object', 'other', 'ping', 'sub_frame', 'xmlhttprequest'].sort(),
    );
    for (const e of [webRequest.onBeforeRedirect, webRequest.onCompleted])
      expect(e.addListener).toHaveBeenCalledWith(expect.any(Function), { urls: ['<all_urls>'] }, [
        'responseHeaders',
      ]);
    for (const e of [
      webRequest.onBeforeRedirect,
      webRequest.onCompleted,
      webRequest.onErrorOccurred,
      cookieChanged,
    ])
      expect(e.listeners).toHaveLength(1);
  });

  it("takes a document's answer with its redirects and completion, and a pixel's as it arrives", async () => {
    const { webRequest, writer } = setup();
    const push = vi.spyOn(writer, 'push');
    const click = 'https://demo.go2cloud.org/aff_c?offer_id=1&aff_id=2';
    const doc = { ...base, requestId: '1', type: 'main_frame' };
    webRequest.onBeforeRequest.fire({ ...doc, url: click });
    // Chromium tells no onHeadersReceived of a document (the filter); one that did is not taken twice.
    webRequest.onHeadersReceived.fire({
      ...doc,
      url: click,
      statusCode: 302,
      responseHeaders: [{ name: 'X-Told', value: 'twice' }],
    });
    webRequest.onBeforeRedirect.fire({
      ...doc,
      url: click,
      redirectUrl: LANDING,
      statusCode: 302,
      responseHeaders: [{ name: 'Location', value: LANDING }],
    });
    webRequest.onCompleted.fire({
      ...doc,
      url: LANDING,
      statusCode: 200,
      statusLine: 'HTTP/1.1 200 OK',
      responseHeaders: [{ name: 'Content-Type', value: 'text/html' }],
    });
    // A pixel the page aborted once the tracker had answered: the answer says it got there.
    const pixel = {
      ...base,
      requestId: '2',
      type: 'image',
      url: `https://t.example/e89bcbe/postback?subid=${SUBID}`,
    };
    webRequest.onBeforeRequest.fire(pixel);
    webRequest.onHeadersReceived.fire({
      ...pixel,
      statusCode: 200,
      responseHeaders: [{ name: 'Content-Type', value: 'text/plain' }],
    });
    webRequest.onErrorOccurred.fire({ ...pixel, error: 'net::ERR_ABORTED' });
    // A click whose redirect target never answered: the hop's answer came with the redirect.
    const dead = { ...doc, requestId: '3', url: click };
    webRequest.onBeforeRequest.fire(dead);
    webRequest.onBeforeRedirect.fire({
      ...dead,
      redirectUrl: LANDING,
      statusCode: 302,
      responseHeaders: [{ name: 'Location', value: LANDING }],
    });
    webRequest.onErrorOccurred.fire({ ...dead, url: LANDING, error: 'net::ERR_CONNECTION_REFUSED' });
    await writer.flush();
    // Each answer taken once: the document's two (its hop's, its own), the pixel's, the dead click's hop.
    const answers = push.mock.calls.map(([e]) => e).filter((e) => e.type === 'request-headers');
    expect(answers.map((e) => [e.id, e.status])).toEqual([
      ['1', 302],
      ['1', 200],
      ['2', 200],
      ['3', 302],
    ]);
    const [document, postback, unanswered] = (await sessionOfTab(3))?.requests ?? [];
    expect(unanswered?.hops.map((h) => h.status)).toEqual([302, undefined]);
    expect(unanswered?.responseHeaders).toEqual([{ name: 'Location', value: LANDING }]);
    expect(document?.hops.map((h) => h.status)).toEqual([302, 200]);
    expect([document?.status, document?.statusLine]).toEqual([200, 'HTTP/1.1 200 OK']);
    expect(document?.responseHeaders).toEqual([{ name: 'Content-Type', value: 'text/html' }]);
    expect([postback?.status, postback?.error]).toEqual([200, 'net::ERR_ABORTED']);
    expect(postback?.responseHeaders).toEqual([{ name: 'Content-Type', value: 'text/plain' }]);
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
      args: [PULL_KEY, true, false],
    });
    // What runs in the tab: the page channel's take function, asked to rescan first.
    const take = vi.fn(() => ({ key: KEY, reports: [] }));
    vi.stubGlobal('window', { [Symbol.for(PULL_KEY)]: take });
    expect(pull.func?.(...(pull.args ?? []))).toEqual({ key: KEY, reports: [] });
    vi.unstubAllGlobals();
    expect(take).toHaveBeenCalledWith(true, false);
    executeScript.mockRejectedValueOnce(new Error('Cannot access a chrome:// URL'));
    expect(await ask({ type: 'rescan-tab', tabId: 4 })).toEqual({ ok: true, data: null });
  });

  it('pulls from a page as it sends a tracker request, and nowhere else: a landing is noted as it commits', async () => {
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
    const [landing, ordinary, framed] = ['A', 'B', 'C'].map((c) => c.repeat(32)) as [string, string, string];
    // No pull as pages commit: a top-level landing is noted under its URL's key, nothing else is.
    await commit(0, LANDING, landing);
    await commit(0, 'https://news.example/?q=1', ordinary);
    await commit(1, `https://lp.example/framed?subid=${SUBID}`, framed);
    await vi.waitFor(async () =>
      expect(await notedKeys()).toEqual([`page-signal:lp.example|${urlKey(LANDING)}`]),
    );
    expect(await fakeBrowser.storage.session.get(`page-signal:lp.example|${urlKey(LANDING)}`)).toEqual({
      [`page-signal:lp.example|${urlKey(LANDING)}`]: {
        tabId: 3,
        documentId: landing,
        host: 'lp.example',
        url: LANDING,
      },
    });
    expect(pulls()).toEqual([]);
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
    const { webRequest, writer } = setup();
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
    sendsTracker(webRequest);
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
    const { webRequest, writer, cookieChanged, getAll, remove, executeScript } = await signalSetup();
    // A pull (the page sent a tracker request) takes the page's key.
    sendsTracker(webRequest);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20)); // the key noted as tab 3's
    // Another tab's page that copied the key (it cannot know it, but say it did) does not take it over.
    sendsTracker(webRequest, 5, 'B'.repeat(32));
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    const signal = (key: string, report: unknown, fields: object = {}) =>
      signalCookie(cookieChanged, `${SIGNAL_PREFIX}${key}`, report, fields);
    const observed = async (tabId = 3) => {
      await new Promise((r) => setTimeout(r, 20));
      await writer.flush();
      return (await sessionOfTab(tabId))?.observations.map((o) => o.name);
    };
    // Forged: a key nobody noted, junk, a command, another path.
    signal('a'.repeat(32), foundIn('forged', LANDING));
    signal(KEY, '%E0%A4%A');
    signal(KEY, { type: 'clear-sessions' });
    signal(KEY, foundIn('elsewhere', LANDING), { path: '/' });
    // The key written by a page of another site than the one pulled from.
    signal(KEY, foundIn('other-site', 'https://evil.example/'), { domain: 'evil.example' });
    // Removed from the jar (or an overwrite's first half): nothing to take.
    cookieChanged.fire({ removed: true, cause: 'explicit', cookie: { name: `${SIGNAL_PREFIX}${KEY}` } });
    expect(await observed()).toEqual([]);
    expect(executeScript).toHaveBeenCalledTimes(2);
    // Every signal cookie goes from the jar as it arrives, a forged one too.
    expect(remove).toHaveBeenCalledWith({
      url: `http://lp.example${SIGNAL_PATH}`,
      name: `${SIGNAL_PREFIX}${KEY}`,
      storeId: '0',
    });
    expect(remove).toHaveBeenCalledWith(
      expect.objectContaining({ name: `${SIGNAL_PREFIX}${'a'.repeat(32)}` }),
    );
    // Nothing found by the http URL (the fake's answer): tried by https, as a page there binds it.
    expect(remove).toHaveBeenCalledWith({
      url: `https://lp.example${SIGNAL_PATH}`,
      name: `${SIGNAL_PREFIX}${KEY}`,
      storeId: '0',
    });

    // The page's own: taken into its tab's session.
    signal(KEY, foundIn('subid', LANDING));
    expect(await observed()).toEqual(['subid']);
    expect(await observed(5)).toEqual([]); // tab 5's session holds its tracker request, no report
    expect(getAll).toHaveBeenLastCalledWith({ url: LANDING });
    // The page URL a report names is not believed (it would choose whose cookies are read): the one
    // its pull ran on is.
    signal(KEY, foundIn('click_id', 'http://lp.example/admin/'));
    expect(await observed()).toEqual(['subid', 'click_id']);
    expect(getAll).toHaveBeenLastCalledWith({ url: LANDING });
    // An empty one asks for a pull of that document.
    signal(KEY, '');
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(3));
    expect((executeScript.mock.calls[2]?.[0] as unknown as Pull | undefined)?.target).toEqual({
      tabId: 3,
      documentIds: [DOC],
    });
    // The tab closed: its keys go with it.
    await fakeBrowser.tabs.onRemoved.trigger(3, { windowId: 1, isWindowClosing: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.includes(KEY))).toEqual(
      [],
    );
    await writer.flush();
  });

  it("takes a landing's signals under its URL key from its commit on, with no pull, for that landing only", async () => {
    const { webNavigation, writer, cookieChanged, getAll, remove, executeScript } = await signalSetup();
    const signal = (url: string, report: unknown, fields: object = {}) =>
      signalCookie(cookieChanged, `${SIGNAL_PREFIX}${urlKey(url)}`, report, fields);
    // Two landings commit, in tabs 3 and 5; neither is pulled. Tab 3's signals at once (a
    // prelander leaving moments after its commit, before the note's storage write has landed).
    commits(webNavigation, 3, DOC, LANDING);
    signal(LANDING, foundIn('at-once', 'https://lp.example/forged'));
    const otherUrl = `https://lp.example/?subid=other${SUBID}`;
    commits(webNavigation, 5, 'C'.repeat(32), otherUrl);
    const observed = async (tabId = 3) => {
      await new Promise((r) => setTimeout(r, 20));
      await writer.flush();
      return (await sessionOfTab(tabId))?.observations.map((o) => o.name) ?? [];
    };
    // Into its tab's session, as the URL it committed with, not the one the report names.
    expect(await observed()).toEqual(['at-once']);
    expect(getAll).toHaveBeenLastCalledWith({ url: LANDING });
    // Not a landing that committed here, the right key written by another site, or for a parent
    // domain (a subdomain's page could write that): nothing, and each goes from the jar.
    signal('https://lp.example/?subid=nobody1234567', foundIn('unknown', LANDING));
    signal(LANDING, foundIn('other-site', LANDING), { domain: 'evil.example' });
    signal(LANDING, foundIn('parent-domain', LANDING), { domain: '.lp.example', hostOnly: false });
    expect(await observed()).toEqual(['at-once']);
    expect(remove).toHaveBeenCalledWith(
      expect.objectContaining({ name: `${SIGNAL_PREFIX}${urlKey(LANDING)}` }),
    );
    signal(LANDING, foundIn('kt_subid', LANDING));
    expect(await observed()).toEqual(['at-once', 'kt_subid']);
    expect(await observed(5)).toEqual([]);
    expect(executeScript).not.toHaveBeenCalled();
    // An empty one asks for a pull of the document noted.
    signal(LANDING, '');
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    expect((executeScript.mock.calls[0]?.[0] as unknown as Pull | undefined)?.target).toEqual({
      tabId: 3,
      documentIds: [DOC],
    });
    // The same landing URL in tab 6 (a duplicated tab): its commit takes the key, and tab 3's
    // document is given a new one, by a pull that asks for it.
    const rekeyed = 'a'.repeat(32);
    executeScript.mockResolvedValueOnce(<never>pulled([], rekeyed));
    commits(webNavigation, 6, 'D'.repeat(32), LANDING);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    expect(executeScript.mock.calls[1]?.[0]).toMatchObject({
      target: { tabId: 3, documentIds: [DOC] },
      args: [PULL_KEY, false, true],
    });
    await new Promise((r) => setTimeout(r, 20));
    signal(LANDING, foundIn('tab-6', LANDING));
    signalCookie(cookieChanged, `${SIGNAL_PREFIX}${rekeyed}`, foundIn('tab-3-again', LANDING));
    expect(await observed(6)).toEqual(['tab-6']);
    expect(await observed()).toEqual(['at-once', 'kt_subid', 'tab-3-again']);
    // Tab 3's document back from the back/forward cache keeps its new key, and tab 6 the URL's.
    commits(webNavigation, 3, DOC, LANDING);
    await new Promise((r) => setTimeout(r, 20));
    signal(LANDING, foundIn('tab-6-again', LANDING));
    signalCookie(cookieChanged, `${SIGNAL_PREFIX}${rekeyed}`, foundIn('tab-3-back', LANDING));
    expect(await observed(6)).toEqual(['tab-6', 'tab-6-again']);
    expect(await observed()).toEqual(['at-once', 'kt_subid', 'tab-3-again', 'tab-3-back']);
    expect(executeScript).toHaveBeenCalledTimes(2);
    // Tab 3 closing leaves tab 6's note be; a closed tab's landing is forgotten: its signal is
    // not handed on (which reads the jar).
    await fakeBrowser.tabs.onRemoved.trigger(3, { windowId: 1, isWindowClosing: false });
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    await new Promise((r) => setTimeout(r, 20));
    const reads = getAll.mock.calls.length;
    signal(otherUrl, foundIn('closed', otherUrl));
    await observed(5);
    expect(getAll.mock.calls.length).toBe(reads);
    expect(await notedKeys()).toEqual([`page-signal:lp.example|${urlKey(LANDING)}`]);
    await writer.flush();
  });

  it('a restarted worker finds the keys noted before in session storage, first owners kept', async () => {
    const before = await signalSetup();
    commits(before.webNavigation, 3, DOC, LANDING);
    sendsTracker(before.webRequest, 4, 'F'.repeat(32)); // a thank-you page in tab 4, key KEY
    await vi.waitFor(async () => expect(await notedKeys()).toHaveLength(2));
    await before.writer.flush();
    // The worker stops; a new one registers its listeners, with nothing in memory.
    const after = setup();
    const observed = async (tabId: number) => {
      await new Promise((r) => setTimeout(r, 20));
      await after.writer.flush();
      return (await sessionOfTab(tabId))?.observations.map((o) => o.name) ?? [];
    };
    signalCookie(after.cookieChanged, `${SIGNAL_PREFIX}${urlKey(LANDING)}`, foundIn('landing', LANDING));
    expect(await observed(3)).toEqual(['landing']);
    // Another page in tab 5 whose pull gives tab 4's key does not take it over.
    sendsTracker(after.webRequest, 5, 'E'.repeat(32));
    await vi.waitFor(() => expect(before.executeScript).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 20));
    signalCookie(after.cookieChanged, `${SIGNAL_PREFIX}${KEY}`, foundIn('thanks', LANDING));
    expect(await observed(4)).toEqual(['thanks']);
    expect(await observed(5)).toEqual([]);
  });

  it('a restarted worker leaves a URL key with the tab that took it, when the older document comes back', async () => {
    const before = await signalSetup();
    before.executeScript.mockResolvedValueOnce(<never>pulled([], 'b'.repeat(32)));
    commits(before.webNavigation, 3, DOC, LANDING);
    await new Promise((r) => setTimeout(r, 20));
    commits(before.webNavigation, 6, 'D'.repeat(32), LANDING); // tab 3's document is given a new key
    await vi.waitFor(async () => expect(await notedKeys()).toHaveLength(2));
    await before.writer.flush();
    const after = setup();
    commits(after.webNavigation, 3, DOC, LANDING); // back from the back/forward cache
    await new Promise((r) => setTimeout(r, 20));
    signalCookie(after.cookieChanged, `${SIGNAL_PREFIX}${urlKey(LANDING)}`, foundIn('six', LANDING));
    await new Promise((r) => setTimeout(r, 20));
    await after.writer.flush();
    expect((await sessionOfTab(6))?.observations.map((o) => o.name)).toEqual(['six']);
  });

  it("notes a landing as it commits with one read and one write, and drops the tab's oldest note unread", async () => {
    const { webNavigation, writer } = setup();
    const landingOf = (i: number) => `https://lp.example/?subid=landing${i}${SUBID}`;
    const settle = () => new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 4; i++) commits(webNavigation, 3, String(i).repeat(32), landingOf(i));
    await settle();
    // Each call is work on the browser's main thread while the landing loads.
    const get = vi.spyOn(fakeBrowser.storage.session, 'get');
    const set = vi.spyOn(fakeBrowser.storage.session, 'set');
    const remove = vi.spyOn(fakeBrowser.storage.session, 'remove');
    commits(webNavigation, 3, '4'.repeat(32), landingOf(4));
    await settle();
    expect([get, set, remove].map((f) => f.mock.calls.length)).toEqual([1, 1, 1]);
    // The tab's four latest landings stay noted; the first one's note went.
    expect((await notedKeys()).sort()).toEqual(
      [1, 2, 3, 4].map((i) => `page-signal:lp.example|${urlKey(landingOf(i))}`).sort(),
    );
    await writer.flush();
  });

  it('notes at most 4 keys a tab, one a document, however many pulls come at once', async () => {
    const { webRequest, writer } = setup();
    let n = 0;
    // Pages that hand out a new key at every pull (they replaced the channel's take function).
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(
      async () => <never>pulled([], (n++).toString(16).padStart(32, '0')),
    );
    // Twenty pages in one tab send a tracker request each, their pulls all under way at once.
    for (let i = 0; i < 20; i++) sendsTracker(webRequest, 3, i.toString(16).padStart(32, '0'));
    await vi.waitFor(() => expect(n).toBe(20));
    await new Promise((r) => setTimeout(r, 50));
    const kept = await notedKeys();
    expect(kept).toHaveLength(4);
    // The last document pulled again (the panel opened) with a new key: it keeps its first one.
    const last = '13'.padStart(32, '0');
    vi.spyOn(fakeBrowser.webNavigation, 'getFrame').mockResolvedValue(<never>{
      url: LANDING,
      documentId: last,
    });
    expect(await ask({ type: 'rescan-tab', tabId: 3 })).toEqual({ ok: true, data: null });
    expect(await ask({ type: 'rescan-tab', tabId: 3 })).toEqual({ ok: true, data: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(n).toBe(22);
    expect(await notedKeys()).toEqual(kept);
    await writer.flush();
  });

  it('pulls a document back from the back/forward cache again at its next tracker request', async () => {
    const { webRequest, webNavigation } = setup();
    const executeScript = vi
      .spyOn(fakeBrowser.scripting, 'executeScript')
      .mockResolvedValue(<never>pulled([]));
    sendsTracker(webRequest);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    sendsTracker(webRequest); // pulled already
    commits(webNavigation); // back from the cache: the same document
    sendsTracker(webRequest);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(executeScript).toHaveBeenCalledTimes(2);
  });

  it('pulls once more for cookies that asked during a pull, and notes nothing for a tab that closed meanwhile', async () => {
    const { webRequest, cookieChanged } = setup();
    vi.spyOn(fakeBrowser.cookies, 'remove').mockResolvedValue(<never>{});
    let release = (_key = KEY) => {};
    const executeScript = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(
      () =>
        new Promise((r) => {
          release = (key = KEY) => r(<never>pulled([], key));
        }),
    );
    sendsTracker(webRequest);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(1));
    release();
    await new Promise((r) => setTimeout(r, 20)); // the key noted
    const ask = () =>
      cookieChanged.fire({
        removed: false,
        cookie: { name: `${SIGNAL_PREFIX}${KEY}`, value: '', domain: 'lp.example', path: SIGNAL_PATH },
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
    // A pull under way as its tab closes: its key is not noted for the closed tab.
    sendsTracker(webRequest, 7, 'E'.repeat(32));
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(4));
    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    release('f'.repeat(32));
    await new Promise((r) => setTimeout(r, 20));
    expect(
      Object.keys(await fakeBrowser.storage.session.get(null)).filter(
        (k) => k.includes('-tab:7') || k.includes('f'.repeat(32)),
      ),
    ).toEqual([]);
  });

  it('takes a signal that arrives before the pull that took the key has come back', async () => {
    const { webRequest, writer, cookieChanged } = setup();
    await landOn(webRequest, writer);
    vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[]);
    vi.spyOn(fakeBrowser.cookies, 'remove').mockResolvedValue(<never>{});
    // The page reports at once: its signal is out while the pull's result is still on its way.
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(async () => {
      cookieChanged.fire({
        removed: false,
        cookie: {
          name: `${SIGNAL_PREFIX}${KEY}`,
          value: encodeURIComponent(JSON.stringify(foundIn('early', LANDING))),
          domain: 'lp.example',
          path: SIGNAL_PATH,
        },
      });
      await new Promise((r) => setTimeout(r, 30));
      return <never>pulled([]);
    });
    sendsTracker(webRequest);
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

  it('reads the cookie jar when a landing with a click id has loaded, not while it loads', async () => {
    const { webRequest, webNavigation, writer } = setup();
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
    // The document has arrived, the page is still loading: every API call then is the browser's main thread's work the load waits for.
    await new Promise((r) => setTimeout(r, 10));
    expect(getAll).not.toHaveBeenCalled();
    webNavigation.onCompleted.fire(<never>{ tabId: 3, frameId: 0, url, timeStamp: 2000 });
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

describe('background wiring: the badge', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('is set when the tab gets a state or a page, not again at every write', async () => {
    const action = {
      setBadgeText: vi.fn(async (_: object) => {}),
      setBadgeBackgroundColor: vi.fn(async (_: object) => {}),
      setTitle: vi.fn(async (_: object) => {}),
    };
    const { webRequest, webNavigation, writer } = setup({ action });
    /** More of the same page, the same state. */
    const again = async () => {
      webRequest.onCompleted.fire({
        ...base,
        requestId: '1',
        type: 'main_frame',
        url: LANDING,
        statusCode: 200,
      });
      await writer.flush();
    };
    const commit = async (frame: object) => {
      webNavigation.onCommitted.fire(<never>{ tabId: 3, transitionType: 'link', ...frame });
      await writer.flush();
    };
    await landOn(webRequest, writer);
    expect(action.setBadgeText).toHaveBeenCalledTimes(1);
    expect(action.setBadgeText.mock.calls[0]?.[0]).toMatchObject({ tabId: 3 });
    expect(action.setTitle).toHaveBeenCalledTimes(1);
    await again();
    expect(action.setBadgeText).toHaveBeenCalledTimes(1);
    // The tab commits a page: the browser has reset the tab's badge, so it is set again.
    await commit({ frameId: 0, url: LANDING, timeStamp: 3000, documentId: DOC });
    expect(action.setBadgeText).toHaveBeenCalledTimes(2);
    expect(action.setBadgeBackgroundColor).toHaveBeenCalledTimes(2);
    expect(action.setTitle).toHaveBeenCalledTimes(2);
    // A subframe's page (an ad, a captcha) leaves the tab's badge be.
    await commit({ frameId: 5, url: 'https://ads.example/frame', timeStamp: 3500, documentId: 'EF' });
    await again();
    expect(action.setBadgeText).toHaveBeenCalledTimes(2);
    // A prerendered page (shown later with no commit of the tab's own, and the browser resets the
    // badge then): until the tab's own frame commits again, every write sets it.
    await commit({
      frameId: 7,
      frameType: 'outermost_frame',
      url: 'https://lp.example/next',
      timeStamp: 4000,
      documentId: 'CD',
    });
    await again();
    expect(action.setBadgeText).toHaveBeenCalledTimes(4);
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
    const { webRequest, webNavigation, writer } = setup_;
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>[phpsessid]);
    webRequest.onBeforeRequest.fire({
      ...base,
      timeStamp: startedAt,
      requestId: '1',
      type: 'main_frame',
      url,
    });
    return { getAll, webRequest, webNavigation, writer };
  }

  async function complete({
    webRequest,
    webNavigation,
    writer,
    getAll,
  }: Awaited<ReturnType<typeof landWithSession>>) {
    webRequest.onCompleted.fire({ ...base, requestId: '1', type: 'main_frame', url, statusCode: 200 });
    webNavigation.onCompleted.fire(<never>{ tabId: 3, frameId: 0, url, timeStamp: 2000 });
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

  it('reads it with the URL the landing committed with, after the page dropped its click ids (replaceState)', async () => {
    const { webRequest, webNavigation, writer } = setup();
    await landOn(webRequest, writer);
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>jar);
    webNavigation.onCommitted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: LANDING,
      timeStamp: 1500,
      transitionType: 'link',
      documentId: DOC,
    });
    // A prerendered page shown in the tab in the meantime is another document: not the landing's jar.
    await new Promise((r) => setTimeout(r, 10));
    getAll.mockClear();
    webNavigation.onCompleted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: 'https://lp.example/',
      timeStamp: 1900,
      documentId: 'PR',
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(getAll).not.toHaveBeenCalledWith({ url: LANDING });
    // By its load event the page shows `/` (history.replaceState), and onCompleted says so.
    webNavigation.onCompleted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: 'https://lp.example/',
      timeStamp: 2000,
      documentId: DOC,
    });
    await vi.waitFor(() => expect(getAll).toHaveBeenCalledWith({ url: LANDING }));
    await new Promise((r) => setTimeout(r, 0));
    await writer.flush();
    expect((await sessionOfTab(3))?.observations).toEqual([
      expect.objectContaining({ place: 'cookie', name: 'subid', value: SUBID }),
    ]);
    // Another document in that frame, without ids: nothing is remembered for it.
    getAll.mockClear();
    webNavigation.onCommitted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: 'https://lp.example/about',
      timeStamp: 2500,
      transitionType: 'link',
      documentId: 'AB',
    });
    webNavigation.onCompleted.fire(<never>{
      tabId: 3,
      frameId: 0,
      url: 'https://lp.example/about',
      timeStamp: 2600,
      documentId: 'AB',
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(getAll).not.toHaveBeenCalled();
  });

  it("reads a framed landing's jar as its document arrives (no page watch runs in a frame to ask later)", async () => {
    const { webRequest } = setup();
    const getAll = vi.spyOn(fakeBrowser.cookies, 'getAll').mockResolvedValue(<never>jar);
    webRequest.onBeforeRequest.fire({ ...base, frameId: 5, requestId: '9', type: 'sub_frame', url: LANDING });
    webRequest.onCompleted.fire({
      ...base,
      frameId: 5,
      requestId: '9',
      type: 'sub_frame',
      url: LANDING,
      statusCode: 200,
    });
    await vi.waitFor(() => expect(getAll).toHaveBeenCalledWith({ url: LANDING }));
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
