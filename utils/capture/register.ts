import type { WxtStorage } from '@wxt-dev/storage';
import type { browser as browserApi } from 'wxt/browser';
import { pageIds } from '../page/page-ids';
import { currentPageId } from '../session/apply-events';
import { modelDeps } from '../session/model-deps';
import type { Session, Trail } from '../session/schema';
import { buildTrails } from '../session/trail';
import { loadSession, parseIndex } from '../storage';
import { BADGES, badgeState } from './badge';
import { jarObservations, noteSessionCookie } from './cookie-jar';
import { createMessageHandler } from './handle-message';
import { createPageReports, HOOKED_TYPES, isSignal } from './page-reports';
import { createSessionWriter, type SessionWriter } from './session-writer';
import {
  ANSWER_TYPES_ALL,
  completeEvent,
  errorEvent,
  headersEvent,
  isClaimed,
  redirectEvent,
  startEvent,
} from './webrequest-events';

type Browser = typeof browserApi;

/**
 * Requests whose answer is taken as it arrives (onHeadersReceived): what a page fires at a tracker
 * (a pixel, a beacon, a fetch or XHR, a frame), which the page may abort once the tracker has
 * answered (a pixel fired just before the page moves on): the status says it got there. Every other
 * request's answer comes with its redirect or its completion. Chromium works on each answer an
 * onHeadersReceived listener is told of on its main thread before the page gets it: for the lab
 * cookie landing's own document, on the page's critical path, 0.68 ms against 0.42 without
 * (WebRequestProxyingURLLoaderFactory OnReceiveResponse, thread time, traced), and the same again
 * for each of a page's stylesheets, scripts and fonts. A document the visitor leaves while its
 * body still streams ends with an error and no answer: it was the page's own, not a postback.
 * Firefox names a beacon 'beacon' and a srcset image 'imageset'; Chromium rejects a filter with
 * either, and calls a beacon 'ping'.
 */
const ANSWER_TYPES = [
  ...ANSWER_TYPES_ALL,
  ...(import.meta.env.BROWSER === 'firefox' ? ['beacon', 'imageset'] : []),
];
const answerLater = (d: { type: string }) => !ANSWER_TYPES.includes(d.type);
type ResourceTypes = NonNullable<
  Parameters<Browser['webRequest']['onHeadersReceived']['addListener']>[1]['types']
>;

/**
 * Every background listener, registered synchronously at start (an MV3 worker woken by an event
 * only delivers it to listeners added in the first turn). Each hands its event to the core and
 * the write queue; the worker itself keeps no session in memory.
 */
export function registerCapture(browser: Browser, storage: WxtStorage) {
  const shown: BadgesShown = new Map();
  /** Tabs with a prerendered page committed since their own frame last did (see updateBadges). */
  const prerendering = new Set<number>();
  const writer = createSessionWriter({
    storage,
    onWritten: (sessions) => updateBadges(browser, sessions, shown, prerendering),
    onError: report,
  });
  const filter = { urls: ['<all_urls>'] };
  // Requests in flight that are ours, so the answers to everything else cost one Set lookup. A hint,
  // not a record: after a worker restart an answer is still taken when its own URL is ours.
  const inFlight = new Set<string>();
  const push = (requestId: string, event: ReturnType<typeof startEvent>) => {
    if (!event) return;
    if (inFlight.size > 10_000) inFlight.clear();
    inFlight.add(requestId);
    writer.push(event);
  };
  const ours = (d: { requestId: string; url: string; tabId: number }) =>
    d.tabId >= 0 && (inFlight.has(d.requestId) || isClaimed(d.url));
  /**
   * The URL each document committed with, where it carried click ids. A landing may drop them from
   * its URL while it loads (history.replaceState), and webNavigation.onCompleted gives the URL as it
   * is then. By documentId, so another document of the frame (a prerendered page shown in its
   * place, about:blank) never reads the landing's jar; by tab and frame where the browser gives no
   * documentId (Firefox). A hint: a restarted worker goes by the URL the event gives.
   */
  const committedWithIds = new Map<string, { tabId: number; url: string }>();
  const docKey = (d: { tabId: number; frameId: number }) =>
    (d as { documentId?: string }).documentId ?? `${d.tabId}:${d.frameId}`;
  /**
   * The cookie jar (HttpOnly too) of a page whose URL brought click ids, so the page need not send
   * it; with `noted`, the URL its document committed with when the one given has none.
   */
  const readJar = (d: { tabId: number; frameId: number; url: string }, noted = true) => {
    if (d.tabId < 0) return;
    let url = d.url;
    let ids = modelDeps.idsOf(url);
    const committed = noted && ids.length === 0 ? committedWithIds.get(docKey(d))?.url : undefined;
    if (committed !== undefined) {
      url = committed;
      ids = modelDeps.idsOf(url);
    }
    if (ids.length > 0) void checkCookies(browser, storage, writer, { ...d, url }, ids).catch(report);
  };
  // Documents pulled from as they sent a tracker request: a hint like inFlight, so a page firing
  // 1,000 tracker fetches costs one pull, not 1,000 (its later reports come as signal cookies). A
  // restarted worker pulls again, which costs one pull.
  const pulled = new Set<string>();
  // What the page channel brings is handled as the page's own report (handle is made just below).
  const page = createPageReports(browser, storage, (report, sender) => handle(report, sender));
  const handle = createMessageHandler({
    browser,
    storage,
    writer,
    pullTab: (tabId) => page.pull({ tabId, frameId: 0 }, true),
  });
  /** A webRequest event gives the request's URL, not the document's: the pull asks the browser for that. */
  const pull = (d: { tabId: number; frameId: number; documentId?: string }) => {
    if (d.documentId) {
      if (pulled.has(d.documentId)) return;
      if (pulled.size > 1000) pulled.clear();
      pulled.add(d.documentId);
    }
    const { tabId, frameId, documentId } = d;
    void page.pull({ tabId, frameId, documentId }).then((answered) => {
      // The page was not reached (gone, or not there yet): a later event may pull again.
      if (!answered && documentId) pulled.delete(documentId);
    }, report);
  };
  const guard =
    <T>(fn: (d: T) => void) =>
    (d: T): undefined => {
      try {
        fn(d);
      } catch (e) {
        report(e);
      }
    };

  const wr = browser.webRequest;
  wr.onBeforeRequest.addListener(
    guard((d) => {
      const event = startEvent(d);
      push(d.requestId, event);
      // A tracker request the page hook reports on (fetch, XHR, beacon): take its report now.
      if (event && HOOKED_TYPES.has(d.type)) pull(d);
    }),
    filter,
    ['requestBody'],
  );
  wr.onBeforeRedirect.addListener(
    guard((d) => {
      const event = redirectEvent(d);
      // The hop's answer first: its status and headers are the hop's, the redirect starts the next.
      if ((event || ours(d)) && answerLater(d)) writer.push(headersEvent(d));
      push(d.requestId, event);
    }),
    filter,
    ['responseHeaders'],
  );
  // Without 'extraHeaders': Chromium then hides Set-Cookie, and that option sends every response of
  // every page through the browser process on its way to the page, whatever the filter: the
  // landing's own document arrived 4-5 ms later (respEnd 11 vs 6-7 ms, no-extension 6-7 ms, this
  // lab, one browser with the extension installed and removed in turns). A session cookie set as
  // the id arrived is dated through cookies.onChanged instead (cookie-jar.ts).
  wr.onHeadersReceived.addListener(
    guard((d) => {
      // The filter says so already; a browser that delivers the others anyway gets them once, later.
      if (ours(d) && !answerLater(d)) writer.push(headersEvent(d));
    }),
    { ...filter, types: ANSWER_TYPES as ResourceTypes },
    ['responseHeaders'],
  );
  wr.onCompleted.addListener(
    guard((d) => {
      if (!ours(d)) return;
      inFlight.delete(d.requestId);
      if (answerLater(d)) writer.push(headersEvent(d));
      writer.push(completeEvent(d));
      // A framed landing runs no page watch (content scripts are top-frame only), so nothing would
      // ask for a read if the frame never loads: its jar is read as its document arrives, by its own
      // URL (the frame has not committed it yet: what was noted for the frame is its last document's).
      if (d.type === 'sub_frame') readJar(d, false);
    }),
    filter,
    ['responseHeaders'],
  );
  wr.onErrorOccurred.addListener(
    guard((d) => {
      if (!ours(d)) return;
      inFlight.delete(d.requestId);
      writer.push(errorEvent(d));
    }),
    filter,
  );

  // The page has loaded (its load handlers too): cookies it wrote meanwhile are in the jar now, and
  // its response's (PHPSESSID …), so the page need not report them (utils/page/watch.ts). Subframes
  // too: a landing can be framed. A top-level landing's jar is not also read as its document
  // arrives: that read came while the page was loading, and every API call is work on the
  // browser's main thread, which the page's load needs too. A landing left or submitted before its
  // load asks for a read itself (watch.ts).
  browser.webNavigation.onCompleted.addListener(guard((d) => readJar(d)));
  browser.webNavigation.onCommitted.addListener(
    guard((d) => {
      if (d.tabId < 0) return;
      const http = /^https?:/.test(d.url);
      if (committedWithIds.size >= 1000) committedWithIds.clear();
      if (http && modelDeps.idsOf(d.url).length > 0)
        committedWithIds.set(docKey(d), { tabId: d.tabId, url: d.url });
      else committedWithIds.delete(docKey(d));
      // A prerendered page commits in a frame of its own (not 0) and is shown later without another
      // commit: until the tab's own frame commits again, its badge is set at every write.
      const prerender = d.frameId !== 0 && (d as { frameType?: string }).frameType === 'outermost_frame';
      if (d.frameId === 0) prerendering.delete(d.tabId);
      else if (prerender) prerendering.add(d.tabId);
      if (!http) return;
      const topLevel = d.frameId === 0 || prerender;
      if (topLevel && d.documentId) {
        // A document back from the back/forward cache is pulled again: its note may have gone.
        pulled.delete(d.documentId);
        // A landing signals from its first report on, under its URL's key (utils/page/channel.ts):
        // noted now, with the URL it committed with (it may drop its click ids from it later).
        if (pageIds(d.url).length > 0)
          void page.noteLanding({ tabId: d.tabId, documentId: d.documentId, url: d.url }).catch(report);
      }
      writer.push({
        type: 'navigation',
        tabId: d.tabId,
        at: d.timeStamp,
        frameId: d.frameId,
        url: d.url,
        transition: d.transitionType,
      });
    }),
  );
  // A page's signal cookie (a report from a landing, utils/page/channel.ts); or a server session
  // cookie written (PHPSESSID by the landing's response): when, so the jar read above can date it.
  browser.cookies.onChanged.addListener(
    guard((change) => {
      if (isSignal(change)) void page.takeSignal(change).catch(report);
      else void noteSessionCookie(storage, change, Date.now()).catch(report);
    }),
  );
  browser.tabs.onRemoved.addListener(
    guard((tabId: number) => {
      writer.push({ type: 'tab-closed', tabId, at: Date.now() });
      shown.delete(tabId);
      prerendering.delete(tabId);
      for (const [key, noted] of committedWithIds) if (noted.tabId === tabId) committedWithIds.delete(key);
      void page.forgetTab(tabId).catch(report);
    }),
  );

  browser.runtime.onMessage.addListener(
    (raw: unknown, sender: Parameters<typeof handle>[1], sendResponse: (r: unknown) => void) => {
      const reply = handle(raw, sender);
      if (!reply) return false; // not ours: leave it to whoever it was meant for
      reply.then(sendResponse, (e) => sendResponse({ ok: false, error: String(e) }));
      // Keep the channel open for the async reply (the fake browser and some polyfill paths ignore returned promises).
      return true;
    },
  );

  // A woken worker rebuilds the badges from storage: the tab-specific badge is all it shows.
  void restoreBadges(browser, storage, shown, prerendering).catch(report);
  return { writer };
}

async function checkCookies(
  browser: Browser,
  storage: WxtStorage,
  writer: SessionWriter,
  { tabId, frameId, url }: { tabId: number; frameId: number; url: string },
  ids: string[],
) {
  const observations = await jarObservations(browser, storage, url, ids, Date.now());
  if (observations.length > 0)
    writer.push({ type: 'observations', tabId, at: Date.now(), frameId, pageUrl: url, observations });
}

async function restoreBadges(
  browser: Browser,
  storage: WxtStorage,
  shown: BadgesShown,
  prerendering: Set<number>,
) {
  const index = parseIndex(await storage.getItem('local:index'));
  const ids = Object.values(index.live);
  if (ids.length === 0) return;
  const loaded = await Promise.all(ids.map((id) => loadSession(id, storage)));
  const sessions = loaded.filter((s): s is Session => s !== null);
  await updateBadges(
    browser,
    sessions.map((session) => ({ session, trails: buildTrails(session) })),
    shown,
    prerendering,
  );
}

/**
 * What each tab's badge was last set to, and on which page (the tab's own latest, frame 0). A hint, not a
 * record: a woken worker starts empty and sets every badge again. Setting an unchanged badge is
 * three API calls at every write, each work on the browser's main thread (a lab landing's writes
 * made 19 calls, 6 of them the same badge again). The page is in the key because the browser
 * resets a tab's badge when the tab navigates (MDN, action.setBadgeText: tabId), so a write that
 * records a new page sets it again.
 */
type BadgesShown = Map<number, string>;

async function updateBadges(
  browser: Browser,
  sessions: Array<{ session: Session; trails: Trail[] }>,
  shown: BadgesShown,
  prerendering: Set<number>,
) {
  // Firefox's MV2 build has browserAction; MV3 has action.
  const action = browser.action ?? (browser as unknown as { browserAction: Browser['action'] }).browserAction;
  if (!action) return;
  for (const { session, trails } of sessions) {
    if (session.closedAt !== null) continue;
    const state = badgeState(session, trails);
    // Keyed by the tab's latest page of its own (a subframe's commit leaves the badge be). Not at all
    // while a prerendered page waits: it is shown later with no commit seen here, though the browser
    // resets the badge then.
    const key = prerendering.has(session.tabId) ? null : `${state}@${currentPageId(session, 0)}`;
    if (key !== null && shown.get(session.tabId) === key) continue;
    const badge = BADGES[state];
    shown.delete(session.tabId);
    try {
      await action.setBadgeText({ tabId: session.tabId, text: badge.text });
      await action.setBadgeBackgroundColor({ tabId: session.tabId, color: badge.color });
      await action.setTitle({ tabId: session.tabId, title: badge.title });
      if (shown.size >= 1000) shown.clear();
      if (key !== null) shown.set(session.tabId, key);
    } catch {
      // The tab may have closed between the write and the badge: nothing to show.
    }
  }
}

function report(error: unknown) {
  console.error('[postback-lens]', error);
}
