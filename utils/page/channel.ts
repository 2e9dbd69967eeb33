/**
 * How the page-side scripts talk. On Chrome and Edge the page watch and the hooks run in the
 * page's own (MAIN) world, where touching the DOM costs nothing extra; an isolated-world script
 * only relays their reports to the background, so it never touches the DOM or the runtime API
 * on a page with nothing to say. (Measured in Chromium traces: an isolated-world script's first
 * `document.addEventListener` costs ~0.4 ms, its first `chrome.runtime` access ~0.5 ms, a
 * `window.addEventListener` ~0.1 ms.) Reports travel as JSON strings in window events: objects
 * do not cross worlds, and the page can dispatch these events too, so the relay passes on only
 * the two kinds of report a page may make.
 */

/** MAIN world → isolated world: a report for the background, as a JSON string. */
export const REPORT_EVENT = 'postback-lens:report';
/** Extension → page watch (dispatched by an injected one-liner when the panel opens on the tab). */
export const RESCAN_EVENT = 'postback-lens:rescan';

/** Browsers where the watch and hooks run in the MAIN world (Firefox MV2 has no MAIN-world content scripts). */
export const MAIN_WORLD_BROWSERS = ['chrome', 'edge'];

const MAX_DETAIL = 80 * 1024;
const PAGE_REPORTS = new Set(['page-request', 'observations']);

export type Send = (message: object) => void;

/** MAIN world: a report goes out as a window event; never throws into the page. */
export function reportTo(win: Window): Send {
  const stringify = JSON.stringify;
  return (message) => {
    try {
      win.dispatchEvent(new CustomEvent(REPORT_EVENT, { detail: stringify(message) }));
    } catch {
      // never break the page
    }
  };
}

/** Isolated world: pass the page's reports on to the background. The background validates them again. */
export function relayReports(win: Window, send: Send) {
  win.addEventListener(REPORT_EVENT, (e) => {
    const detail = (e as CustomEvent).detail;
    if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
    let message: { type?: unknown } | null;
    try {
      message = JSON.parse(detail);
    } catch {
      return; // not JSON: not ours
    }
    // The page can forge this event: it may report what it sent or stored, never ask for anything else.
    if (message && PAGE_REPORTS.has(message.type as string)) send(message);
  });
}
