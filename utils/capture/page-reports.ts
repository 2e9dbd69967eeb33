import type { WxtStorage } from '@wxt-dev/storage';
import type { browser as browserApi } from 'wxt/browser';
import { z } from 'zod';
import {
  EARLY_PREFIX,
  earlyKey,
  MAIN_WORLD_BROWSERS,
  MAX_DETAIL,
  MAX_WAITING,
  NONCE,
  PULL_KEY,
  pullInPage,
  SIGNAL_PATH,
  SIGNAL_PREFIX,
} from '../page/channel';

type Browser = typeof browserApi;

/**
 * The background's end of the page channel (utils/page/channel.ts): it pulls what waits in a
 * page's MAIN world, and takes the signal cookies a page writes once a pull has taken its nonce.
 * Chrome and Edge only; Firefox's page watch sends runtime messages.
 */

/** Request types the MAIN-world hook sees (utils/page/hook.ts): fetch and XHR, and sendBeacon ('ping'). */
export const HOOKED_TYPES = new Set(['xmlhttprequest', 'ping', 'other']);

/** Whether this build's pages run the page channel (Chrome, Edge); unit tests run as Chrome. */
export const PAGE_CHANNEL = MAIN_WORLD_BROWSERS.includes(import.meta.env.BROWSER ?? 'chrome');

/** Where a report from the page is handed, as if the page's content script had sent it (the message handler). */
export type Deliver = (
  report: unknown,
  sender: { id: string; tab: { id: number }; frameId: number; url: string },
) => unknown;

/** One result per frame; the pull's is what waited and the page's nonce (channel.ts `pullInPage`). */
const InjectionResults = z.array(
  z.object({ result: z.object({ nonce: z.string().regex(NONCE), reports: z.array(z.unknown()) }).nullish() }),
);

/**
 * Pull what waits in a top-level document's MAIN world, and take its nonce for its later signals:
 * once a landing's DOM is ready (a visitor can leave before its load event), when a page sends a
 * tracker request (the page hook's report of it), when a signal asks for it, and with `rescan`
 * when the panel opens on the tab. Top-level http(s) documents only: the page scripts run nowhere
 * else, and a signal is matched to the page's host. A page that has gone, or where nothing may
 * run, is not an error: its requests are captured anyway. True when the page was reached.
 */
async function pullReports(
  browser: Browser,
  storage: WxtStorage,
  state: State,
  d: { tabId: number; frameId: number; documentId?: string; pageUrl?: string },
  deliver: Deliver,
  rescan = false,
): Promise<boolean> {
  if (!PAGE_CHANNEL || d.tabId < 0 || d.frameId !== 0) return false;
  let { documentId, pageUrl } = d;
  if (!documentId || !pageUrl) {
    // The page's URL as the browser gives it (a report names its own, which the page can forge).
    const frame = await frameOf(browser, documentId ? { documentId } : { tabId: d.tabId, frameId: 0 });
    documentId ??= frame?.documentId;
    pageUrl ??= frame?.url;
  }
  const host = hostOf(pageUrl);
  if (!documentId || !pageUrl || !host) return false; // no page, gone, or not a web page
  type Injection = Parameters<Browser['scripting']['executeScript']>[0];
  const target = { tabId: d.tabId, documentIds: [documentId] };
  let results: unknown;
  state.inFlight++;
  try {
    // The file where it can be (its compiled code is kept); a rescan passes an argument.
    results = await browser.scripting.executeScript(
      (rescan
        ? { target, world: 'MAIN', func: pullInPage, args: [PULL_KEY, true], injectImmediately: true }
        : { target, world: 'MAIN', files: [PULL_FILE], injectImmediately: true }) as Injection,
    );
    const pulled = InjectionResults.safeParse(results).data?.[0]?.result;
    if (!pulled) return true; // reached, and no page channel there: nothing to pull again
    // The reports first: they have left the page, and nothing after this may lose them.
    const sender = { id: browser.runtime.id, tab: { id: d.tabId }, frameId: 0, url: pageUrl };
    for (const report of pulled.reports.slice(0, MAX_WAITING).flatMap(parseDetail)) deliver(report, sender);
    state.landings.delete(documentId); // its signals carry its nonce from now on
    await rememberNonce(storage, state, pulled.nonce, { tabId: d.tabId, documentId, host, url: pageUrl });
    return true;
  } catch {
    return false; // the document has gone, or nothing may run there (a browser page)
  } finally {
    state.inFlight--;
  }
}

/**
 * What this worker knows while it runs: hints, like register.ts's (a restarted worker starts
 * empty), never a record. `inFlight`: pulls under way; a signal whose nonce is not known yet is
 * looked up again only while one is (its pull may not have come back), otherwise dropped at once,
 * so cookies a page makes up cost one lookup each. `asked`: documents with a pull under way because
 * a signal asked, and whether another asked meanwhile. `tabQueue`: per tab, the update of its
 * nonce list under way, so updates of one tab run one after another. `closedTabs`: tabs closed
 * while this worker ran, so a pull that comes back after its tab closed notes nothing (tab ids are
 * not reused). `landings`: top-level documents committed with click ids in their URL and not
 * pulled yet, by document, for the early signals of those left first (channel.ts `earlyKey`); a
 * prelander is left within moments of its commit, which woke this worker if it slept.
 */
interface State {
  inFlight: number;
  asked: Map<string, boolean>;
  tabQueue: Map<number, Promise<void>>;
  closedTabs: Set<number>;
  landings: Map<string, Landing>;
}
type Landing = { tabId: number; documentId: string; url: string; host: string; key: string };
/** Landings kept for early signals at most (the oldest goes first). */
const MAX_LANDINGS = 200;

/** The background's end of the page channel, bound to the browser, storage and the message handler. */
export function createPageReports(browser: Browser, storage: WxtStorage, deliver: Deliver) {
  const state: State = {
    inFlight: 0,
    asked: new Map(),
    tabQueue: new Map(),
    closedTabs: new Set(),
    landings: new Map(),
  };
  return {
    /** A top-level document committed with click ids in its URL (webNavigation.onCommitted). */
    noteLanding: (d: { tabId: number; documentId: string; url: string }) => noteLanding(state, d),
    pull: (d: Parameters<typeof pullReports>[3], rescan = false) =>
      pullReports(browser, storage, state, d, deliver, rescan),
    takeSignal: (details: unknown) => takeSignal(browser, storage, state, details, deliver),
    forgetTab: (tabId: number) => forgetTab(storage, state, tabId),
  };
}

/** A frame as the browser knows it; null where it has gone (or the API fails). */
async function frameOf(browser: Browser, query: Parameters<Browser['webNavigation']['getFrame']>[0]) {
  try {
    return await browser.webNavigation.getFrame(query);
  } catch {
    return null;
  }
}

/** The pull as built (entrypoints/page-pull.ts). */
export const PULL_FILE = '/page-pull.js';

/** A report as the page keeps it: a JSON string (channel.ts); anything else is not one. */
function parseDetail(detail: unknown): unknown[] {
  if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return [];
  try {
    return [JSON.parse(detail)];
  } catch {
    return [];
  }
}

const SignalChange = z.object({
  removed: z.boolean(),
  cookie: z.object({
    name: z.string(),
    value: z.string(),
    domain: z.string(),
    path: z.string(),
    storeId: z.string().optional(),
  }),
});

/** A cheap first look for cookies.onChanged, which hears every cookie of every site. */
export function isSignal(change: { cookie?: { name?: unknown } }): boolean {
  const name = change?.cookie?.name;
  return typeof name === 'string' && name.startsWith(SIGNAL_PREFIX);
}

/**
 * cookies.onChanged, for a signal cookie (channel.ts): remove it from the jar at once, find the
 * tab and document its nonce was pulled from, and hand on the report it carries, or pull when it
 * only asks for one. The page may have gone by now (that is why it wrote a cookie): the report is
 * handed on with that tab and the page URL its pull ran on, which the background noted.
 */
async function takeSignal(
  browser: Browser,
  storage: WxtStorage,
  state: State,
  details: unknown,
  deliver: Deliver,
): Promise<void> {
  const change = SignalChange.safeParse(details).data;
  if (!change || change.removed) return; // our own removal, or an overwrite's first half
  const { cookie } = change;
  if (!cookie.name.startsWith(SIGNAL_PREFIX) || cookie.path !== SIGNAL_PATH) return;
  const host = cookie.domain.replace(/^\./, '');
  // Who it is from first, at once: a tab closing as its page signals forgets its nonces right after.
  const early = cookie.name.startsWith(EARLY_PREFIX);
  const owner = early
    ? Promise.resolve(earlyOwner(state, cookie.name.slice(EARLY_PREFIX.length), host))
    : nonceOwner(storage, state, cookie.name.slice(SIGNAL_PREFIX.length));
  // By an http URL, and by https where that found nothing (Chromium can bind a cookie to the scheme
  // of the page that wrote it).
  const remove = (scheme: string) =>
    browser.cookies
      .remove({ url: `${scheme}://${host}${SIGNAL_PATH}`, name: cookie.name, storeId: cookie.storeId })
      .catch(() => null);
  if (!(await remove('http'))) await remove('https');
  const from = await owner;
  // Not a nonce a pull took (a page playing, or one from before the browser restarted), or written
  // by a page of another site than the one pulled from (channel.ts `makeNonce` says why that matters).
  if (!from || from.host !== host) return;
  if (cookie.value === '') {
    if (early) return; // its page is leaving: nothing to pull
    // One pull at a time a document, however many cookies ask; one asking meanwhile gets one more
    // pull after it (what it kept may have come after the first pull's take).
    const { asked } = state;
    if (asked.has(from.documentId)) {
      asked.set(from.documentId, true);
      return;
    }
    const d = { tabId: from.tabId, documentId: from.documentId, frameId: 0, pageUrl: from.url };
    try {
      do {
        asked.set(from.documentId, false);
        await pullReports(browser, storage, state, d, deliver);
      } while (asked.get(from.documentId));
    } finally {
      asked.delete(from.documentId);
    }
    return;
  }
  let detail = '';
  try {
    detail = decodeURIComponent(cookie.value);
  } catch {
    return;
  }
  // The page URL its pull ran on: a report names its own, which would choose whose cookies are read.
  for (const report of parseDetail(detail))
    deliver(report, { id: browser.runtime.id, tab: { id: from.tabId }, frameId: 0, url: from.url });
}

/** The hostname of an http(s) URL, as a cookie's domain names it; '' for anything else. */
function hostOf(url: string | undefined): string {
  if (!url || !/^https?:\/\//i.test(url)) return '';
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Which tab, document and page each nonce was pulled from, in session storage (in memory, gone
 * with the browser; the worker keeps nothing between events): one key per nonce, found by the
 * signal's name, and per tab its documents' nonces, one a document (a page that hands out a new
 * one at every pull does not add more), the last few documents only, so what a tab leaves behind
 * stays bounded and goes with it.
 */
const NONCES_PER_TAB = 4;
const nonceKey = (nonce: string) => `session:page-nonce:${nonce}` as const;
const tabKey = (tabId: number) => `session:page-nonces-of-tab:${tabId}` as const;
const Owner = z.object({
  tabId: z.number().int().nonnegative(),
  documentId: z.string(),
  host: z.string(),
  url: z.string(),
});
const TabNonces = z.array(z.object({ nonce: z.string().regex(NONCE), documentId: z.string() }));

function inTabQueue({ tabQueue }: State, tabId: number, run: () => Promise<void>): Promise<void> {
  const next = (tabQueue.get(tabId) ?? Promise.resolve()).then(run, run);
  tabQueue.set(tabId, next);
  const done = () => {
    if (tabQueue.get(tabId) === next) tabQueue.delete(tabId);
  };
  next.then(done, done);
  return next;
}

function rememberNonce(
  storage: WxtStorage,
  state: State,
  nonce: string,
  owner: z.infer<typeof Owner>,
): Promise<void> {
  return inTabQueue(state, owner.tabId, async () => {
    if (state.closedTabs.has(owner.tabId)) return;
    const known = TabNonces.safeParse(await storage.getItem(tabKey(owner.tabId))).data ?? [];
    if (known.some((k) => k.nonce === nonce || k.documentId === owner.documentId)) return;
    // A nonce another tab's pull took first stays that tab's: a page cannot take over another's.
    if (await storage.getItem(nonceKey(nonce))) return;
    const kept = [...known, { nonce, documentId: owner.documentId }].slice(-NONCES_PER_TAB);
    await storage.setItems([
      { key: nonceKey(nonce), value: owner },
      { key: tabKey(owner.tabId), value: kept },
    ]);
    const dropped = known.filter((k) => !kept.includes(k)).map((k) => nonceKey(k.nonce));
    if (dropped.length > 0) await storage.removeItems(dropped);
  });
}

/**
 * Who a nonce was pulled from. A page can signal as soon as the pull has taken its nonce, before
 * the pull's result is back here and noted: while a pull is under way, an unknown nonce is looked
 * up again a little later; otherwise it is not ours.
 */
async function nonceOwner(storage: WxtStorage, state: State, nonce: string) {
  if (!NONCE.test(nonce)) return null;
  for (const wait of NONCE_WAITS) {
    if (wait > 0 && state.inFlight === 0) return null;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const owner = Owner.safeParse(await storage.getItem(nonceKey(nonce))).data;
    if (owner) return owner;
  }
  return null;
}
const NONCE_WAITS = [0, 20, 100, 500];

function noteLanding(state: State, d: { tabId: number; documentId: string; url: string }) {
  const host = hostOf(d.url);
  if (!PAGE_CHANNEL || d.tabId < 0 || !host || state.closedTabs.has(d.tabId)) return;
  const { landings } = state;
  landings.delete(d.documentId); // back from the back/forward cache: noted anew, as the newest
  landings.set(d.documentId, { ...d, host, key: earlyKey(d.url) });
  if (landings.size > MAX_LANDINGS) landings.delete(landings.keys().next().value ?? '');
}

/**
 * Who an early signal is from (channel.ts `earlyKey`): the newest landing not yet pulled whose
 * committed URL has that key, on the cookie's host. Not a nonce: nothing asked it to pull.
 */
function earlyOwner(state: State, key: string, host: string): Landing | null {
  let owner: Landing | null = null;
  for (const landing of state.landings.values())
    if (landing.key === key && landing.host === host) owner = landing;
  return owner;
}

/** The tab has closed: its nonces go, after any update of them under way (a signal its last page wrote as it closed looked its owner up first). */
function forgetTab(storage: WxtStorage, state: State, tabId: number): Promise<void> {
  if (state.closedTabs.size > 1000) state.closedTabs.clear();
  state.closedTabs.add(tabId);
  for (const [documentId, landing] of state.landings)
    if (landing.tabId === tabId) state.landings.delete(documentId);
  return inTabQueue(state, tabId, async () => {
    const known = TabNonces.safeParse(await storage.getItem(tabKey(tabId))).data ?? [];
    await storage.removeItems([tabKey(tabId), ...known.map((k) => nonceKey(k.nonce))]);
  });
}
