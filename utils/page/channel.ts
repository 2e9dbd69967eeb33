/**
 * How the page-side scripts reach the background. On Chrome and Edge the page watch and the hooks
 * run in the page's own (MAIN) world, which has no extension API, and no isolated-world script is
 * put into pages at all: an isolated world, even an empty script's, made the page that loads next
 * ~2-3 ms (5-9%) slower, also when that page was on another site and in another process (lab
 * landings, one browser, extensions enabled in turns), and its first `chrome.runtime` use cost the
 * page ~0.45 ms. So reports travel two other ways:
 *
 * - Signalled: a report rides in a cookie named with the page's signal key, on a path no page has
 *   (SIGNAL_PATH), so the page's requests do not carry it (only one to that very path would) and
 *   its `document.cookie` does not show it; cookies.onChanged brings it to the background, which
 *   removes it at once and hands it on for the tab and document it noted under that key and the
 *   cookie's host (utils/capture/page-reports.ts). A cookie because the page may be leaving: a
 *   pull would find it gone (tried: the leave.html observation was lost in 3 of 3 runs), while a
 *   cookie write is in the jar before the next page is asked for. A landing's key is `urlKey` of
 *   the URL it committed with, which the background noted as it committed, so a landing signals
 *   from its first report on; another page's is made at its first pull, which the background
 *   notes. Findings too long for one cookie are packed into a few (`cookieValues`); any other
 *   report too long waits for a pull, and an empty cookie asks for one. The cookie is one more in
 *   the site's jar for a few milliseconds (one name per page, overwritten); only a site already at
 *   Chromium's 180 cookies a domain could see its oldest one go for it.
 * - Pulled: the background runs a small script in the MAIN world (executeScript, entrypoints/
 *   page-pull.ts) that takes what waits and the page's key: when a page sends a tracker request,
 *   when a signal asks, and when the panel opens on the tab. So a thank-you page (no click id in
 *   its URL) is known from its first tracker request, and where the site's cookies are blocked
 *   reports wait for the next pull. A file, not a function with arguments: Chromium compiles a
 *   function's source anew on every call (~0.2-0.4 ms of the page's main thread against ~0.1 for
 *   the file, whose compiled code it keeps; trace of lab hidden.html).
 *
 * The background notes a key for the tab and document it knows it from (a landing's commit, a
 * pull it ran), never the other way, and takes a signal only from that host, so a page cannot
 * speak for another site's tab; it can forge its own reports anyway, so the background validates
 * them (Zod) and takes only the two kinds a page may make.
 *
 * Firefox (MV2) has no MAIN-world content scripts: its isolated script runs the page watch itself
 * and uses runtime messages (entrypoints/page-watch.ts).
 */

/** Extension → page watch, when the panel opens on the tab (dispatched by the pull; on Firefox by dispatchInPage). */
export const RESCAN_EVENT = 'postback-lens:rescan';
/** The window property (a registered symbol, so the pull finds it) holding the MAIN world's take function. */
export const PULL_KEY = 'postback-lens:pull';
/** Signal cookies are named `SIGNAL_PREFIX + key` (`SIGNAL_KEY`). */
export const SIGNAL_PREFIX = 'postback-lens-';
/** A path no page has: cookies are sent and shown only under their path. */
export const SIGNAL_PATH = '/.postback-lens-signal';
/** A signal the background did not take (the worker was stopped and woke too late) expires by itself. */
const SIGNAL_SECONDS = 60;
/** What one cookie may carry (Chromium keeps name + value up to 4096 bytes; the name takes ~50). */
const MAX_SIGNAL_VALUE = 3800;
/** A page's signal key: a landing's `urlKey` (8 hex digits), or another page's `makeNonce` (32). */
export const SIGNAL_KEY = /^(?:[0-9a-f]{8}|[0-9a-f]{32})$/;

/** What a pull takes from the page: its signal key, and the reports that waited. */
export interface Pulled {
  key: string;
  /** Each report as a JSON string. */
  reports: string[];
}

/** Where the watch and hooks run in the MAIN world (Firefox MV2 has no MAIN-world content scripts). */
export const MAIN_WORLD_BROWSERS = ['chrome', 'edge'];

/** Reports kept for a pull that has not come (a page that reports without one is not ours to fill memory). */
export const MAX_WAITING = 50;
/** The longest report kept (a body is cut at 16 KB before it gets here: utils/page/hook.ts). */
export const MAX_DETAIL = 80 * 1024;

export type Send = (message: object) => void;

/** The page end of the channel: `send` for every report; `landing` for a page with click ids in its URL. */
export interface PageChannel {
  send: Send;
  /**
   * The page is a landing that committed with `url` (document.URL at document_start): the
   * background noted it then, so its reports are signalled from the start (`urlKey`).
   */
  landing(url: string): void;
}

/**
 * MAIN world: a report is signalled once the background knows the page (a landing from its
 * commit, another page once a pull has taken its key), and waits for a pull until then. The take
 * function is a non-enumerable window property under a registered symbol, there from the start: a
 * pull can come before the page's first report (a thank-you page's fetch is pulled from as it
 * starts, its report comes with the answer). Never throws into the page.
 */
export function pageChannel(win: Window & typeof globalThis): PageChannel {
  const stringify = JSON.stringify;
  const doc = win.document;
  /** JSON strings: what a pull returns is a copy of the report as it was made. */
  let waiting: string[] = [];
  /** Another page's key is made at its first pull (`makeNonce`), from Math.random as it was before the page's scripts ran. */
  const random = win.Math.random;
  /** The signal key, once the background knows it; a landing's URL, until its key is first needed. */
  let key = '';
  let landingUrl = '';
  let pulling = false;
  /** Read once: each read asks the browser (a page firing 1,000 tracker fetches reports 1,000 times). */
  let cookiesOn: boolean | undefined;
  const known = () => {
    if (!key && landingUrl) key = urlKey(landingUrl);
    return key;
  };
  const take = (rescan?: unknown, rekey?: unknown): Pulled => {
    // A new key when asked: another tab's landing took over this one's (the same URL, say a duplicated tab).
    if (!known() || rekey === true) key = makeNonce(random);
    if (rescan === true) {
      // The watch reads the page again now; what it finds is in this pull, not in a cookie.
      pulling = true;
      try {
        win.dispatchEvent(new win.Event(RESCAN_EVENT));
      } finally {
        pulling = false;
      }
    }
    const reports = waiting;
    waiting = [];
    return { key, reports };
  };
  try {
    Object.defineProperty(win, Symbol.for(PULL_KEY), { value: take, configurable: true });
  } catch {
    // a window the page froze first: reports wait there, requests are captured anyway
  }
  const keep = (detail: string) => {
    if (waiting.length < MAX_WAITING && detail.length <= MAX_DETAIL) waiting.push(detail);
  };
  const send: Send = (message) => {
    try {
      const detail = stringify(message);
      // Where the browser blocks this site's cookies a write is dropped without a word: wait for a pull.
      cookiesOn ??= win.navigator.cookieEnabled;
      if (pulling || !cookiesOn || !known()) return keep(detail);
      const values = cookieValues(message as Record<string, unknown>, detail);
      if (!values) keep(detail); // too long to carry: the empty cookie asks for a pull
      try {
        for (const value of values ?? [''])
          doc.cookie = `${SIGNAL_PREFIX}${key}=${value}; path=${SIGNAL_PATH}; max-age=${SIGNAL_SECONDS}; samesite=strict`;
      } catch {
        if (values) keep(detail); // cookies throw here (a sandboxed document): it waits for a pull
      }
    } catch {
      // never break the page
    }
  };
  return {
    send,
    landing(url) {
      landingUrl = url;
    },
  };
}

/**
 * A landing's signal key: 32-bit FNV-1a of the URL it committed with. The background notes a
 * landing, with its tab and document, under this key of its host as it commits
 * (webNavigation.onCommitted, utils/capture/page-reports.ts), so the landing needs no pull
 * before it can signal: a pull costs the page ~0.17 ms (lab pixel.html, trace), and a prelander
 * that stores the subid and moves on at once (lab prelander.html) is gone before any pull could
 * come. Two tabs on one landing URL (a duplicated tab) share a key: the newer one's commit takes
 * it, and the background gives the older document a new one (`pullInPage` with `rekey`). A page of
 * the same host that knew the URL could write signals under it; it could already write the
 * storage and cookies the watch reports. A page of a subdomain could not: the background takes
 * only host-only signal cookies.
 */
export function urlKey(url: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) h = Math.imul(h ^ url.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A report as signal cookie values: one (from `json`, the report as the channel already made it
 * into JSON), or, when that is too long, what a landing found packed into as few as fit, each
 * finding's raw text cut to RAW_IN_SIGNAL (a scan on the way out can find several, each with up to
 * 1 KB raw; the click id each holds stays whole). Null when it cannot be carried (a body over
 * ~3 KB; webRequest has a fetch's or XHR's request body, not the answer).
 */
export function cookieValues(
  message: Record<string, unknown>,
  json = JSON.stringify(message),
): string[] | null {
  const carried = (m: object) => cookieValue(JSON.stringify(m));
  const whole = cookieValue(json);
  if (whole.length <= MAX_SIGNAL_VALUE) return [whole];
  const { observations } = message;
  if (!Array.isArray(observations)) return null;
  const values: string[] = [];
  let pack: unknown[] = [];
  let packed = '';
  for (const found of observations) {
    const raw = (found as { raw?: unknown } | null)?.raw;
    const one = typeof raw === 'string' ? { ...(found as object), raw: raw.slice(0, RAW_IN_SIGNAL) } : found;
    const more = carried({ ...message, observations: [...pack, one] });
    if (more.length <= MAX_SIGNAL_VALUE) {
      pack.push(one);
      packed = more;
      continue;
    }
    if (pack.length === 0) return null; // one finding too long on its own
    values.push(packed);
    pack = [one];
    packed = carried({ ...message, observations: pack });
    if (packed.length > MAX_SIGNAL_VALUE) return null;
  }
  if (pack.length > 0) values.push(packed);
  return values.length > 0 ? values : null;
}
/** What a finding's raw text keeps in a report too long for one cookie. */
const RAW_IN_SIGNAL = 256;

/**
 * A cookie value that carries any string: `%`, and what ends or trims a value in the browser's
 * cookie parser (`;`, spaces, controls) or is not ASCII, percent-encoded; the rest as is. JSON's
 * quotes, commas and braces stay, so a report grows by a few per cent, not the third
 * encodeURIComponent adds. The background reads it back with decodeURIComponent.
 */
export function cookieValue(text: string): string {
  return text.replace(/[%;\s]|[^\x21-\x7e]/gu, encodeURIComponent);
}

/**
 * Another page's signal key, made at its first pull: 128 bits from Math.random, not
 * crypto.getRandomValues: a page's first touch of `crypto` builds its Crypto object, ~0.08 ms of
 * the pull (trace, lab pixel.html: pull 0.25-0.30 ms with it, 0.15-0.18 without). A guessed key is
 * worth little: the background takes a signal only from the host its pull ran on
 * (utils/capture/page-reports.ts), so only a page of that same site could try, and that page could
 * already write the storage and cookies the watch reports; another site's page sees none of this
 * page's Math.random.
 */
export function makeNonce(random: () => number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += ((random() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
  return out;
}

/**
 * Take what waits in the page's MAIN world, and its signal key (entrypoints/page-pull.ts runs it; with
 * `rescan`, when the panel opens, or `rekey`, when another landing took its key, the background runs
 * it as a function, so `key` is an argument). A page without a channel gives nothing.
 */
export function pullInPage(key: string, rescan: boolean, rekey = false): Pulled | null {
  const take = (window as unknown as Record<symbol, unknown>)[Symbol.for(key)];
  return typeof take === 'function' ? take(rescan, rekey) : null;
}

/** Firefox: run in the page by the background (isolated world, where the watch listens): RESCAN_EVENT when the panel opens. */
export function dispatchInPage(name: string) {
  dispatchEvent(new Event(name));
}
