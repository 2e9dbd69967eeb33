import type { WxtStorage } from '@wxt-dev/storage';
import type { browser as browserApi } from 'wxt/browser';
import { z } from 'zod';
import {
  MAIN_WORLD_BROWSERS,
  MAX_DETAIL,
  MAX_WAITING,
  PULL_KEY,
  pullInPage,
  SIGNAL_KEY,
  SIGNAL_PATH,
  SIGNAL_PREFIX,
  urlKey,
} from '../page/channel';

type Browser = typeof browserApi;

/**
 * The background's end of the page channel (utils/page/channel.ts): it notes which tab and
 * document each page's signal key belongs to (a landing's as it commits, another page's at its
 * first pull), takes the signal cookies pages write, and pulls what waits in a page's MAIN world.
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

/** One result per frame; the pull's is the page's signal key and what waited (channel.ts `pullInPage`). */
const InjectionResults = z.array(
  z.object({
    result: z.object({ key: z.string().regex(SIGNAL_KEY), reports: z.array(z.unknown()) }).nullish(),
  }),
);

/** The tab, document, host and page URL a signal key was noted for: where its reports go. */
const Owner = z.object({
  tabId: z.number().int().nonnegative(),
  documentId: z.string(),
  host: z.string(),
  url: z.string(),
});
type Owner = z.infer<typeof Owner>;

/**
 * What a pull asks of the page: only what waits; a rescan first (the panel opened on the tab); or
 * a new key (another tab's landing of the same URL took this one's, channel.ts `urlKey`).
 */
type PullMode = 'take' | 'rescan' | 'rekey';

/**
 * Pull what waits in a top-level document's MAIN world, and note its signal key: when a page
 * sends a tracker request (the page hook's report of it), when a signal asks for it, with a rescan
 * when the panel opens on the tab, and for a new key. Top-level http(s) documents only: the page
 * scripts run nowhere else, and a signal is matched to the page's host. A page that has gone, or
 * where nothing may run, is not an error: its requests are captured anyway. True when the page was
 * reached.
 */
async function pullReports(
  browser: Browser,
  storage: WxtStorage,
  state: State,
  d: { tabId: number; frameId: number; documentId?: string; pageUrl?: string },
  deliver: Deliver,
  mode: PullMode = 'take',
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
    // The file where it can be (its compiled code is kept); a rescan or a new key passes arguments.
    const args = [PULL_KEY, mode === 'rescan', mode === 'rekey'];
    results = await browser.scripting.executeScript(
      (mode === 'take'
        ? { target, world: 'MAIN', files: [PULL_FILE], injectImmediately: true }
        : { target, world: 'MAIN', func: pullInPage, args, injectImmediately: true }) as Injection,
    );
    const pulled = InjectionResults.safeParse(results).data?.[0]?.result;
    if (!pulled) return true; // reached, and no page channel there: nothing to pull again
    // The reports first: they have left the page, and nothing after this may lose them.
    const sender = { id: browser.runtime.id, tab: { id: d.tabId }, frameId: 0, url: pageUrl };
    for (const report of pulled.reports.slice(0, MAX_WAITING).flatMap(parseDetail)) deliver(report, sender);
    const owner = { tabId: d.tabId, documentId, host, url: pageUrl };
    await noteKey(storage, state, pulled.key, owner, mode === 'rekey' ? 'rekey' : 'pull');
    return true;
  } catch {
    return false; // the document has gone, or nothing may run there (a browser page)
  } finally {
    state.inFlight--;
  }
}

/**
 * What this worker knows while it runs: hints, like register.ts's (a restarted worker starts
 * empty), never a record. `inFlight`: pulls under way; a signal whose key is not known yet is
 * looked up again only while one is (its pull may not have come back), otherwise dropped at once,
 * so cookies a page makes up cost one lookup each. `asked`: documents with a pull under way because
 * a signal asked, and whether another asked meanwhile. `queue`: the update of the notes under
 * way, so updates run one after another (two tabs can share a key, and a tab's list is read and
 * written back). `closedTabs`: tabs closed while this worker ran, so a pull that comes back after
 * its tab closed notes nothing (tab ids are not reused). `notes`: the keys this worker noted, so a
 * landing's first signal, which can come moments after its commit (a prelander), finds its note
 * before the storage write has landed.
 */
interface State {
  inFlight: number;
  asked: Map<string, boolean>;
  queue: Promise<void>;
  closedTabs: Set<number>;
  notes: Map<string, Owner>;
}
/** Notes this worker keeps in memory at most (the oldest goes first; session storage has them all). */
const MAX_NOTES = 200;

/** The background's end of the page channel, bound to the browser, storage and the message handler. */
export function createPageReports(browser: Browser, storage: WxtStorage, deliver: Deliver) {
  const state: State = {
    inFlight: 0,
    asked: new Map(),
    queue: Promise.resolve(),
    closedTabs: new Set(),
    notes: new Map(),
  };
  return {
    pull: (d: Parameters<typeof pullReports>[3], rescan = false) =>
      pullReports(browser, storage, state, d, deliver, rescan ? 'rescan' : 'take'),
    /**
     * A top-level document committed with click ids in its URL (webNavigation.onCommitted): its
     * signals come under `urlKey` of that URL (channel.ts), with no pull before them. A document of
     * another tab that had the key (the same landing URL: a duplicated tab) is given a new one.
     */
    noteLanding: async (d: { tabId: number; documentId: string; url: string }) => {
      const host = hostOf(d.url);
      if (!PAGE_CHANNEL || d.tabId < 0 || !host) return;
      const displaced = await noteKey(storage, state, urlKey(d.url), { ...d, host }, 'commit');
      // Another tab's (a tab's own earlier document has gone, or is in the cache: a pull would fail).
      if (displaced && displaced.tabId !== d.tabId && !state.closedTabs.has(displaced.tabId)) {
        const { tabId, documentId, url } = displaced;
        await pullReports(
          browser,
          storage,
          state,
          { tabId, documentId, frameId: 0, pageUrl: url },
          deliver,
          'rekey',
        );
      }
    },
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
    hostOnly: z.boolean().optional(),
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
 * tab and document its key was noted for on the cookie's host, and hand on the report it carries,
 * or pull when it only asks for one. The page may have gone by now (that is why it wrote a
 * cookie): the report is handed on with that tab and the page URL the background noted.
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
  // Set for a parent domain: the channel writes host-only cookies, and a page of a subdomain could
  // otherwise write into a landing's signals on its parent (with its URL's key). Removed, not read.
  const parentDomain = cookie.hostOnly === false || cookie.domain.startsWith('.');
  // Who it is from first, at once: a tab closing as its page signals forgets its keys right after.
  const owner = parentDomain ? null : ownerOf(storage, state, host, cookie.name.slice(SIGNAL_PREFIX.length));
  // By an http URL, and by https where that found nothing (Chromium can bind a cookie to the scheme
  // of the page that wrote it).
  const remove = (scheme: string) =>
    browser.cookies
      .remove({ url: `${scheme}://${host}${SIGNAL_PATH}`, name: cookie.name, storeId: cookie.storeId })
      .catch(() => null);
  if (!(await remove('http'))) await remove('https');
  // Not a key noted on this host (a page playing, or one from before the browser restarted).
  const from = await owner;
  if (!from) return;
  if (cookie.value === '') {
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
  // The page URL noted for the key: a report names its own, which would choose whose cookies are read.
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
 * Which tab, document and page each signal key belongs to, in session storage (in memory, gone
 * with the browser; the worker keeps nothing between events that storage does not hold): one entry
 * per host and key, found by the signal's domain and name, and per tab its documents' entries, one
 * a document, the last few documents only, so what a tab leaves behind stays bounded and goes
 * with it.
 */
const KEYS_PER_TAB = 4;
const noteOf = (host: string, key: string) => `session:page-signal:${host}|${key}` as const;
const tabKey = (tabId: number) => `session:page-signals-of-tab:${tabId}` as const;
const TabNotes = z.array(
  z.object({ note: z.string().startsWith('session:page-signal:'), documentId: z.string() }),
);

function inQueue(state: State, run: () => Promise<void>): Promise<void> {
  const next = state.queue.then(run, run);
  state.queue = next.catch(() => {});
  return next;
}

/**
 * Note `key` on the owner's host for its tab and document. 'commit': the browser says a landing
 * committed with this key's URL: noted at once (in memory too, for a prelander's signal moments
 * later), over an older note, whose document is returned so it can be given a new key (a
 * duplicated tab). 'pull': a key a page gave; a key noted for another document stays that one's,
 * and a document keeps its first key, so a page cannot take over another's signals or fill the
 * tab's list. 'rekey': the new key of a document whose landing key another tab took.
 */
async function noteKey(
  storage: WxtStorage,
  state: State,
  key: string,
  owner: Owner,
  how: 'commit' | 'pull' | 'rekey',
): Promise<Owner | null> {
  const note = noteOf(owner.host, key);
  const { notes } = state;
  const remember = () => {
    if (state.closedTabs.has(owner.tabId)) return;
    notes.delete(note);
    notes.set(note, owner);
    if (notes.size > MAX_NOTES) notes.delete(notes.keys().next().value ?? '');
  };
  const inMemory = notes.get(note);
  // A document noted under another key already (given a new one, then back from the
  // back/forward cache) keeps it: its page signals under that one.
  const otherKey = (n: string, documentId: string) => documentId === owner.documentId && n !== note;
  const early = how === 'commit' && ![...notes].some(([n, o]) => otherKey(n, o.documentId));
  if (early) remember();
  let displaced: Owner | null = null;
  await inQueue(state, async () => {
    if (state.closedTabs.has(owner.tabId)) return;
    // One read for both: every API call is work on the browser's main thread, and a landing's
    // commit comes while the page loads.
    const [rawKept, rawStored] = await storage.getItems([tabKey(owner.tabId), note]);
    const kept = TabNotes.safeParse(rawKept?.value).data ?? [];
    const stored = Owner.safeParse(rawStored?.value).data;
    if (how === 'commit') {
      const before = stored ?? inMemory;
      if (kept.some((k) => otherKey(k.note, k.documentId))) {
        // A restarted worker learns it only now: what it remembered above goes (storage says who has the key).
        if (early) notes.delete(note);
        return;
      }
      if (before && before.documentId !== owner.documentId) displaced = before;
      // Back from the back/forward cache: written already, unless another tab's commit took it since.
      if (stored?.documentId === owner.documentId && stored.tabId === owner.tabId) return;
    } else {
      // Another document's key, in storage or (a commit a moment ago) in memory.
      for (const other of [stored, notes.get(note)])
        if (other && other.documentId !== owner.documentId) return;
      if (how === 'pull' && kept.some((k) => k.documentId === owner.documentId)) return;
    }
    const others = kept.filter((k) => k.documentId !== owner.documentId && k.note !== note);
    const next = [...others, { note, documentId: owner.documentId }].slice(-KEYS_PER_TAB);
    await storage.setItems([
      { key: note, value: owner },
      { key: tabKey(owner.tabId), value: next },
    ]);
    // A commit noted in memory at once; one that was not (its document had another key) is now.
    if (how !== 'commit' || !early) remember();
    await removeOwned(
      storage,
      kept.filter((k) => !next.some((n) => n.note === k.note)),
      owner.tabId,
      notes,
    );
  });
  return displaced;
}

/**
 * Remove these notes of a tab's list where they are still that tab's (a landing URL opened in
 * another tab since is that tab's now). Who owns a note is read from storage only where this
 * worker's memory does not know it (a restarted worker): it notes every key it writes, in memory
 * first, so what it knows is never older than storage.
 */
async function removeOwned(
  storage: WxtStorage,
  entries: Array<{ note: string }>,
  tabId: number,
  known: Map<string, Owner> = new Map(),
) {
  if (entries.length === 0) return;
  const keys = entries.map((e) => e.note as `session:${string}`);
  const unknown = keys.filter((k) => !known.has(k));
  const stored = unknown.length > 0 ? await storage.getItems(unknown) : [];
  const owners = new Map(stored.map((item) => [item.key, Owner.safeParse(item.value).data]));
  const owned = keys.filter((k) => (known.get(k) ?? owners.get(k))?.tabId === tabId);
  if (owned.length === 0) return;
  await storage.removeItems(owned);
  // Gone from storage, so from memory too: what memory says stays never older than storage.
  for (const k of owned) known.delete(k);
}

/**
 * Who a key on this host was noted for: in this worker's memory (a landing's commit note is there
 * at once, before its storage write), else in session storage (a restarted worker). A page can
 * signal as soon as a pull has taken its key, before the pull's result is back here and noted:
 * while a pull is under way, an unknown key is looked up again a little later; otherwise it is not
 * ours.
 */
async function ownerOf(storage: WxtStorage, state: State, host: string, key: string) {
  if (!SIGNAL_KEY.test(key)) return null;
  const note = noteOf(host, key);
  for (const wait of KEY_WAITS) {
    if (wait > 0 && state.inFlight === 0) return null;
    if (wait > 0) {
      await state.queue; // notes waiting their turn (a burst of pulls) are written first
      await new Promise((r) => setTimeout(r, wait));
    }
    const owner = state.notes.get(note) ?? Owner.safeParse(await storage.getItem(note)).data;
    if (owner) return owner;
  }
  return null;
}
const KEY_WAITS = [0, 20, 100, 500];

/**
 * The tab has closed: its keys go, after any update of them under way. A page's last signal can
 * come as its tab closes (its pagehide): until they are gone from storage, they stay in memory
 * too, so that signal still finds its tab (whose session stays, among the recent ones).
 */
function forgetTab(storage: WxtStorage, state: State, tabId: number): Promise<void> {
  if (state.closedTabs.size > 1000) state.closedTabs.clear();
  state.closedTabs.add(tabId);
  return inQueue(state, async () => {
    const kept = TabNotes.safeParse(await storage.getItem(tabKey(tabId))).data ?? [];
    await removeOwned(storage, kept, tabId, state.notes);
    await storage.removeItem(tabKey(tabId));
    for (const [note, owner] of state.notes) if (owner.tabId === tabId) state.notes.delete(note);
  });
}
