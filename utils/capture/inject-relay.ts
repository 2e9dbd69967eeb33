import type { browser as browserApi } from 'wxt/browser';
import { MAIN_WORLD_BROWSERS, RELAY_FILE } from '../page/channel';

type Browser = typeof browserApi;

/** Request types the MAIN-world hook sees (utils/page/hook.ts): fetch and XHR, and sendBeacon ('ping'). */
export const HOOKED_TYPES = new Set(['xmlhttprequest', 'ping', 'other']);

/** The build's browser; unit tests run without one, as Chrome. */
const BROWSER: string = import.meta.env.BROWSER ?? 'chrome';

/**
 * Chrome and Edge: put the relay (page-watch.js) into a top-level landing once loaded (click ids in
 * its URL: its page watch reports), and into a document that sends a tracker request (a thank-you
 * page: the page hook reports it), so their reports get out; utils/page/channel.ts says why it is
 * not on every page. Top-level only: the page scripts run nowhere else. It takes what the MAIN
 * world kept waiting; a second one does nothing. A page that has gone, or where nothing may run,
 * is not an error: its requests are captured anyway.
 */
export function injectRelay(browser: Browser, d: { tabId: number; frameId: number; documentId?: string }) {
  if (!MAIN_WORLD_BROWSERS.includes(BROWSER) || d.tabId < 0 || d.frameId !== 0) return;
  const target = d.documentId
    ? { tabId: d.tabId, documentIds: [d.documentId] }
    : { tabId: d.tabId, frameIds: [0] };
  type Injection = Parameters<Browser['scripting']['executeScript']>[0];
  try {
    // Once it listens it says so in the page (entrypoints/page-watch.ts): the MAIN world then sends the reports that waited.
    void browser.scripting
      .executeScript({ target, files: [RELAY_FILE], injectImmediately: true } as Injection)
      .catch(() => undefined);
  } catch {
    // no scripting API here: reports stay in the page, requests are captured anyway
  }
}
