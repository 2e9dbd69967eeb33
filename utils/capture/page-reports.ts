import type { WxtStorage } from '@wxt-dev/storage';
import type { browser as browserApi } from 'wxt/browser';
import { z } from 'zod';
import {
  MAIN_WORLD_BROWSERS,
  MAX_DETAIL,
  MAX_WAITING,
  PULL_KEY,
  pullInPage,
  SIGNAL_PATH,
  SIGNAL_PREFIX,
  TOKEN,
} from '../page/channel';

type Browser = typeof browserApi;

/**
 * The background's end of the page channel (utils/page/channel.ts): it pulls what waits in a
 * page's MAIN world, and takes the signal cookies a page writes once a pull gave it a token.
 * Chrome and Edge only; Firefox's page watch sends runtime messages.
 */

/** Request types the MAIN-world hook sees (utils/page/hook.ts): fetch and XHR, and sendBeacon ('ping'). */
export const HOOKED_TYPES = new Set(['xmlhttprequest', 'ping', 'other']);

/** The build's browser; unit tests run without one, as Chrome. */
const BROWSER: string = import.meta.env.BROWSER ?? 'chrome';

/** Where a report from the page is handed, as if the page's content script had sent it (the message handler). */
export type Deliver = (
  report: unknown,
  sender: { id: string; tab: { id: number }; frameId: number; url: string },
) => unknown;

/** One result per frame; the pull's is the list of reports that waited (channel.ts `pullInPage`). */
const InjectionResults = z.array(z.object({ result: z.unknown() }));

/**
 * Pull what waits in a top-level document's MAIN world, and hand it the token for its later
 * reports: once a landing has loaded (its load scan), when a page sends a tracker request (the
 * page hook's report of it), and with `rescan` when the panel opens on the tab. Top-level only:
 * the page scripts run nowhere else. A page that has gone, or where nothing may run, is not an
 * error: its requests are captured anyway.
 */
export async function pullReports(
  browser: Browser,
  storage: WxtStorage,
  d: { tabId: number; frameId: number; documentId?: string; pageUrl?: string },
  deliver: Deliver,
  rescan = false,
): Promise<void> {
  if (!MAIN_WORLD_BROWSERS.includes(BROWSER) || d.tabId < 0 || d.frameId !== 0) return;
  let { documentId, pageUrl } = d;
  if (!documentId) {
    const frame = await browser.webNavigation.getFrame({ tabId: d.tabId, frameId: 0 }).catch(() => null);
    documentId = frame?.documentId;
    pageUrl ??= frame?.url;
  }
  if (!documentId) return; // the tab has no page (yet)
  const token = await tokenFor(storage, d.tabId, documentId);
  type Injection = Parameters<Browser['scripting']['executeScript']>[0];
  let results: unknown;
  try {
    results = await browser.scripting.executeScript({
      target: { tabId: d.tabId, documentIds: [documentId] },
      world: 'MAIN',
      func: pullInPage,
      args: [PULL_KEY, token, rescan],
      injectImmediately: true,
    } as Injection);
  } catch {
    return; // the document has gone, or nothing may run there (a browser page)
  }
  const reports = (InjectionResults.safeParse(results).data ?? []).flatMap(({ result }) =>
    Array.isArray(result) ? result.slice(0, MAX_WAITING).flatMap(parseDetail) : [],
  );
  if (reports.length === 0) return;
  // The page's URL as the browser gives it (a report names its own, which the page can forge).
  pageUrl ??= (await browser.webNavigation.getFrame({ documentId }).catch(() => null))?.url;
  if (!pageUrl) return; // the document has gone
  const sender = { id: browser.runtime.id, tab: { id: d.tabId }, frameId: 0, url: pageUrl };
  for (const report of reports) deliver(report, sender);
}

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
 * cookies.onChanged, for a signal cookie (channel.ts): remove it from the jar at once, check its
 * token, and hand on the report it carries, or pull when it only asks for one. The page may have
 * gone by now (that is why it wrote a cookie): the report is handed on with the tab the token
 * names, and with the page URL it gives only when that is on the cookie's own host.
 */
export async function takeSignal(
  browser: Browser,
  storage: WxtStorage,
  details: unknown,
  deliver: Deliver,
): Promise<void> {
  const change = SignalChange.safeParse(details).data;
  if (!change || change.removed) return; // our own removal, or an overwrite's first half
  const { cookie } = change;
  if (!cookie.name.startsWith(SIGNAL_PREFIX) || cookie.path !== SIGNAL_PATH) return;
  const host = cookie.domain.replace(/^\./, '');
  await browser.cookies
    .remove({ url: `http://${host}${SIGNAL_PATH}`, name: cookie.name, storeId: cookie.storeId })
    .catch(() => null);
  const from = await checkToken(storage, cookie.name.slice(SIGNAL_PREFIX.length));
  if (!from) return; // not a token we gave: a page playing, or one from before the browser restarted
  if (cookie.value === '') return pullReports(browser, storage, { ...from, frameId: 0 }, deliver);
  let detail = '';
  try {
    detail = decodeURIComponent(cookie.value);
  } catch {
    return;
  }
  const [report] = parseDetail(detail);
  if (report === undefined) return;
  const sender = {
    id: browser.runtime.id,
    tab: { id: from.tabId },
    frameId: 0,
    url: pageUrlOn(report, host),
  };
  deliver(report, sender);
}

/** The report's page URL when it is an http(s) URL on `host`; else the host's root (never an extension URL the page wrote). */
function pageUrlOn(report: unknown, host: string): string {
  const named = (report as { pageUrl?: unknown } | null)?.pageUrl;
  if (typeof named === 'string' && /^https?:\/\//i.test(named)) {
    try {
      if (new URL(named).hostname === host) return named;
    } catch {
      // not a URL: the root below
    }
  }
  return `http://${host}/`;
}

/**
 * Tokens: `tabId-documentId-mac`, the mac an HMAC of the rest under a key made once per browser
 * session and kept in session storage (the worker keeps nothing between events). A page learns
 * only its own document's token, so it cannot make its signals count for another tab.
 */
const KEY = 'session:page-channel-key';

async function channelKey(storage: WxtStorage): Promise<CryptoKey> {
  let raw = await storage.getItem<string>(KEY);
  if (typeof raw !== 'string' || !/^[0-9a-f]{64}$/.test(raw)) {
    await storage.setItem(KEY, hex(crypto.getRandomValues(new Uint8Array(32))));
    // Two first uses at once: both go on with the key that stayed.
    raw = (await storage.getItem<string>(KEY)) ?? '';
  }
  const bytes = new Uint8Array(raw.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? []);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function mac(storage: WxtStorage, tabId: number, documentId: string): Promise<string> {
  const signed = await crypto.subtle.sign(
    'HMAC',
    await channelKey(storage),
    new TextEncoder().encode(`${tabId}-${documentId}`),
  );
  return hex(new Uint8Array(signed).subarray(0, 16));
}

export async function tokenFor(storage: WxtStorage, tabId: number, documentId: string): Promise<string> {
  return `${tabId}-${documentId}-${await mac(storage, tabId, documentId)}`;
}

export async function checkToken(
  storage: WxtStorage,
  token: string,
): Promise<{ tabId: number; documentId: string } | null> {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const tabId = Number(m[1]);
  const documentId = m[2] ?? '';
  return (await mac(storage, tabId, documentId)) === m[3] ? { tabId, documentId } : null;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
