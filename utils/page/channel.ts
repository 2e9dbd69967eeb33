/**
 * How the page-side scripts reach the background. On Chrome and Edge the page watch and the hooks
 * run in the page's own (MAIN) world, which has no extension API, and no isolated-world script is
 * put into pages at all: an isolated world, even an empty script's, made the page that loads next
 * ~2-3 ms (5-9%) slower, also when that page was on another site and in another process (lab
 * landings, one browser, extensions enabled in turns), and its first `chrome.runtime` use cost the
 * page ~0.45 ms. So reports wait in the MAIN world and travel two other ways:
 *
 * - Pulled: the background runs a small script in the MAIN world (executeScript, entrypoints/
 *   page-pull.ts) that takes what waits, once a landing's DOM is ready, when a page sends a tracker
 *   request, and when the panel opens on the tab (utils/capture/page-reports.ts). Its result is
 *   the reports and the page's nonce. A file, not a function with arguments: Chromium compiles a
 *   function's source anew on every call (~0.2-0.4 ms of the page's main thread against ~0.1 for
 *   the file, whose compiled code it keeps; trace of lab hidden.html).
 * - Signalled: once a pull has taken its nonce (random, made in the page), the background knows
 *   which tab, document and page it belongs to, and a report made after that (the load scan, or a
 *   landing storing the subid as the visitor clicks to the offer, lab leave.html) rides in a cookie
 *   named with the nonce, on a path no page has (SIGNAL_PATH), so the page's requests do not carry
 *   it (only one to that very path would) and its `document.cookie` does not show it;
 *   cookies.onChanged brings it to the background, which removes it at once. A cookie because the
 *   page may be leaving: a pull would find it gone (tried: the leave.html observation was lost in 3
 *   of 3 runs), while a cookie write is in the jar before the next page is asked for. Findings too
 *   long for one cookie are packed into a few (`cookieValues`); any other report too long waits
 *   for a pull, and an empty cookie asks for one. Where cookies are off, reports wait for the next
 *   pull. The cookie is one more in the site's jar for a few milliseconds (one name per page,
 *   overwritten); only a site already at Chromium's 180 cookies a domain could see its oldest one
 *   go for it.
 *
 * - Signalled early: a landing left before any pull reached it (a prelander that stores the subid
 *   and moves on before its DOM is ready, lab prelander.html) has no nonce the background knows.
 *   From its pagehide on, its reports go in cookies named after the URL it committed with
 *   (`earlyKey`), which the background noted for that tab as the landing committed.
 *
 * The background notes a nonce for the tab, document and host the pull ran in, never the other
 * way, and takes a signal only from that host, so a page cannot speak for another tab; it can
 * forge its own reports anyway, so the background validates them (Zod) and takes only the two
 * kinds a page may make.
 *
 * Firefox (MV2) has no MAIN-world content scripts: its isolated script runs the page watch itself
 * and uses runtime messages (entrypoints/page-watch.ts).
 */

/** Extension → page watch, when the panel opens on the tab (dispatched by the pull; on Firefox by dispatchInPage). */
export const RESCAN_EVENT = 'postback-lens:rescan';
/** The window property (a registered symbol, so the pull finds it) holding the MAIN world's take function. */
export const PULL_KEY = 'postback-lens:pull';
/** Signal cookies are named `SIGNAL_PREFIX + nonce`. */
export const SIGNAL_PREFIX = 'postback-lens-';
/** A path no page has: cookies are sent and shown only under their path. */
export const SIGNAL_PATH = '/.postback-lens-signal';
/** A signal the background did not take (the worker was stopped and woke too late) expires by itself. */
const SIGNAL_SECONDS = 60;
/** What one cookie may carry (Chromium keeps name + value up to 4096 bytes; the name takes ~50). */
const MAX_SIGNAL_VALUE = 3800;
/** A page's nonce: 128 random bits in hex. */
export const NONCE = /^[0-9a-f]{32}$/;

/** What a pull takes from the page. */
export interface Pulled {
  nonce: string;
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

/** The page end of the channel: `send` for every report; `leave` as a landing is left. */
export interface PageChannel {
  send: Send;
  /**
   * A landing that committed with `url` (document.URL at document_start) is being left: if no pull
   * took its nonce, what waits and what it reports from now on goes in early cookies (`earlyKey`).
   */
  leave(url: string): void;
}

/**
 * MAIN world: a report waits for the next pull, or, once a pull has taken the page's nonce, goes
 * out as a signal cookie. The take function is a non-enumerable window property under a
 * registered symbol, there from the start: a pull can come before the page's first report (a
 * thank-you page's fetch is pulled from as it starts, its report comes with the answer). Never
 * throws into the page.
 */
export function pageChannel(win: Window & typeof globalThis): PageChannel {
  const stringify = JSON.stringify;
  const doc = win.document;
  /** JSON strings: what a pull returns is a copy of the report as it was made. */
  let waiting: string[] = [];
  /** Made at the first pull (`makeNonce`), from Math.random as it was before the page's scripts ran. */
  const random = win.Math.random;
  let nonce = '';
  let pulling = false;
  /** A landing's early signal name, set as it is left (`leave`). */
  let early = '';
  const take = (rescan?: unknown): Pulled => {
    if (!nonce) nonce = makeNonce(random);
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
    return { nonce, reports };
  };
  try {
    Object.defineProperty(win, Symbol.for(PULL_KEY), { value: take, configurable: true });
  } catch {
    // a window the page froze first: reports wait there, requests are captured anyway
  }
  const keep = (detail: string) => {
    if (waiting.length < MAX_WAITING && detail.length <= MAX_DETAIL) waiting.push(detail);
  };
  /** A report as cookies named `name`; what cannot go waits for a pull, and an empty cookie asks for one. */
  const signal = (name: string, message: object, detail: string) => {
    const values = cookieValues(message as Record<string, unknown>);
    if (!values) keep(detail);
    try {
      for (const value of values ?? [''])
        doc.cookie = `${name}=${value}; path=${SIGNAL_PATH}; max-age=${SIGNAL_SECONDS}; samesite=strict`;
    } catch {
      if (values) keep(detail); // cookies throw here (a sandboxed document): it waits for a pull
    }
  };
  const send: Send = (message) => {
    try {
      const detail = stringify(message);
      // Where the browser blocks this site's cookies a write is dropped without a word: wait for a pull.
      if (pulling || !win.navigator.cookieEnabled) return keep(detail);
      if (nonce) return signal(SIGNAL_PREFIX + nonce, message, detail);
      if (early) return signal(early, message, detail);
      keep(detail);
    } catch {
      // never break the page
    }
  };
  return {
    send,
    leave(url) {
      if (nonce || early) return; // its reports go as signals already
      early = `${EARLY_PREFIX}${earlyKey(url)}`;
      const left = waiting;
      waiting = [];
      for (const detail of left) {
        try {
          send(JSON.parse(detail));
        } catch {
          // never break the page
        }
      }
    },
  };
}

/**
 * A landing left before any pull reached it (a prelander that stores the subid and moves on
 * before its DOM is ready, lab prelander.html) has no nonce the background knows. What it reported
 * then goes in cookies named EARLY_PREFIX + this key of the URL it committed with: the background
 * noted that URL, with its tab and document, as the landing committed, and takes such a signal
 * only for a landing of that tab not yet pulled, on the cookie's host (page-reports.ts). 32-bit
 * FNV-1a: it tells apart the few landings left unpulled at a time; a page of the same site that
 * knew another tab's landing URL could already write what that landing's watch reports.
 */
export function earlyKey(url: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) h = Math.imul(h ^ url.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
/** Early signal cookies are named `EARLY_PREFIX + earlyKey(url)`; a nonce has no `-`. */
export const EARLY_PREFIX = `${SIGNAL_PREFIX}early-`;

/**
 * A report as signal cookie values: one, or, when that is too long, what a landing found packed
 * into as few as fit, each finding's raw text cut to RAW_IN_SIGNAL (a scan on the way out can find
 * several, each with up to 1 KB raw; the click id each holds stays whole). The page URL is left out: the background
 * has the one its pull ran on. Null when it cannot be carried (a body over ~3 KB; webRequest has
 * a fetch's or XHR's request body, not the answer).
 */
export function cookieValues(message: Record<string, unknown>): string[] | null {
  const carried = (m: object) => cookieValue(JSON.stringify('pageUrl' in m ? { ...m, pageUrl: '' } : m));
  const whole = carried(message);
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
 * 128 bits from Math.random, not crypto.getRandomValues: a page's first touch of `crypto` builds
 * its Crypto object, ~0.08 ms of every landing's pull (trace, lab pixel.html: pull 0.25-0.30 ms
 * with it, 0.15-0.18 without). A guessed nonce is worth little: the background takes a signal only
 * from the host its pull ran on (utils/capture/page-reports.ts), so only a page of that same site
 * could try, and that page could already write the storage and cookies the watch reports; another
 * site's page sees none of this page's Math.random.
 */
export function makeNonce(random: () => number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += ((random() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
  return out;
}

/**
 * Take what waits in the page's MAIN world, and its nonce (entrypoints/page-pull.ts runs it; with
 * `rescan`, when the panel opens, the background runs it as a function, so `key` is an argument).
 * A page without a channel gives nothing.
 */
export function pullInPage(key: string, rescan: boolean): Pulled | null {
  const take = (window as unknown as Record<symbol, unknown>)[Symbol.for(key)];
  return typeof take === 'function' ? take(rescan) : null;
}

/** Firefox: run in the page by the background (isolated world, where the watch listens): RESCAN_EVENT when the panel opens. */
export function dispatchInPage(name: string) {
  dispatchEvent(new Event(name));
}
