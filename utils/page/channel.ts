/**
 * How the page-side scripts talk. On Chrome and Edge the page watch and the hooks run in the
 * page's own (MAIN) world, where touching the DOM costs nothing extra; an isolated-world script
 * only relays their reports to the background, and it is not on every page: the background puts
 * it into a landing (click ids in its URL) once loaded and into a page that sends a tracker
 * request (utils/capture/inject-relay.ts). Not from the manifest at document_start: an isolated
 * world, even an empty script's, made a lab landing load ~3 ms (8-9%) later, though traces of the
 * script itself show ~0.27 ms (an isolated-world script's first `document.addEventListener` costs
 * ~0.4 ms, its first `chrome.runtime` access ~0.5 ms). Until a relay takes them, reports wait in
 * the MAIN world.
 *
 * Reports travel as JSON strings in cancelable window events: objects do not cross worlds, and
 * the relay cancels the events it takes, so the MAIN world knows whether one was there. The page
 * can dispatch and cancel these events too, so the relay passes on only the two kinds of report
 * a page may make; a page that cancels them only hides itself.
 *
 * A message from the relay is dear the first time: the isolated world builds its runtime API on
 * first use (~0.45 ms). So what waited for the relay is not sent: the relay returns it, and the
 * injection's result brings it to the background; a landing whose only report is its load scan's
 * never builds that API. Pulling the load scan from the MAIN world with executeScript instead was
 * tried twice. It cost the page ~0.3 ms on every landing, and with no relay in a landing at all
 * the next page loaded ~2-3 ms sooner (the relay's world costs the load that follows it, an empty
 * relay's too, and also when the next page is on another site and in another process: lab cookie
 * landing, one browser, extensions enabled in turns); but the MAIN world cannot ask for a
 * pull, and what a landing stores as the visitor leaves (lab leave.html: sessionStorage on the
 * way to the offer) was lost. The relay stays.
 */

/** MAIN world → isolated world: a report for the background, as a JSON string. */
export const REPORT_EVENT = 'postback-lens:report';
/** Extension → page watch (dispatched by an injected one-liner when the panel opens on the tab). */
export const RESCAN_EVENT = 'postback-lens:rescan';
/** Relay → MAIN world: a relay has arrived; reports still waiting are sent again. */
export const RELAY_EVENT = 'postback-lens:relay';

/** The relay as built (entrypoints/page-watch.ts), for the background to inject. */
export const RELAY_FILE = '/page-watch.js';

/** Browsers where the watch and hooks run in the MAIN world (Firefox MV2 has no MAIN-world content scripts). */
export const MAIN_WORLD_BROWSERS = ['chrome', 'edge'];

const MAX_DETAIL = 80 * 1024;
/** Reports kept for a relay that has not arrived (a page that reports without one is not ours to fill memory). */
export const MAX_WAITING = 50;
const PAGE_REPORTS = new Set(['page-request', 'observations']);

export type Send = (message: object) => void;

/**
 * MAIN world: a report goes out as a window event; one no relay took waits until a relay arrives
 * (RELAY_EVENT). Never throws into the page.
 */
export function reportTo(win: Window & typeof globalThis): Send {
  const stringify = JSON.stringify;
  let waiting: string[] = [];
  /** True when a relay took it (cancelled the event). */
  const offer = (detail: string) =>
    !win.dispatchEvent(new win.CustomEvent(REPORT_EVENT, { detail, cancelable: true }));
  const retry = () => {
    waiting = waiting.filter((detail) => !offer(detail));
  };
  return (message) => {
    try {
      const detail = stringify(message);
      if (offer(detail)) return;
      // The first report with no relay: listen for one (ordinary pages never get this far).
      if (waiting.length === 0) win.addEventListener(RELAY_EVENT, retry);
      if (waiting.length < MAX_WAITING) waiting.push(detail);
    } catch {
      // never break the page
    }
  };
}

/**
 * Isolated world: pass the page's reports on to the background, which validates them again. The
 * background puts the relay in after the page's first reports, so once it listens it says it is
 * here (RELAY_EVENT) and the MAIN world offers what was waiting. Those come back as the return
 * value, which is the injection's result in the background (entrypoints/page-watch.ts): no
 * message from the page for them, and a landing whose only reports are its load scan's never
 * builds its runtime API (~0.45 ms). Later reports go out with `send`.
 */
export function relayReports(win: Window & typeof globalThis, send: Send): object[] {
  const waiting: object[] = [];
  let deliver: Send = (message) => {
    if (waiting.length < MAX_WAITING) waiting.push(message);
  };
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
    if (message && PAGE_REPORTS.has(message.type as string)) {
      e.preventDefault();
      deliver(message);
    }
  });
  win.dispatchEvent(new win.Event(RELAY_EVENT));
  deliver = send;
  return waiting;
}

/**
 * Run in a page by the background (executeScript serialises it, so the event's name is an
 * argument): RESCAN_EVENT when the panel opens.
 */
export function dispatchInPage(name: string) {
  dispatchEvent(new Event(name));
}
