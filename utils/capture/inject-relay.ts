import type { browser as browserApi } from 'wxt/browser';
import { z } from 'zod';
import { MAIN_WORLD_BROWSERS, MAX_WAITING, RELAY_FILE } from '../page/channel';

type Browser = typeof browserApi;

/** Request types the MAIN-world hook sees (utils/page/hook.ts): fetch and XHR, and sendBeacon ('ping'). */
export const HOOKED_TYPES = new Set(['xmlhttprequest', 'ping', 'other']);

/** The build's browser; unit tests run without one, as Chrome. */
const BROWSER: string = import.meta.env.BROWSER ?? 'chrome';

/** Where a report the relay brought back is handed, as if the page's content script had sent it (the message handler). */
export type Deliver = (
  report: unknown,
  sender: { id: string; tab: { id: number }; frameId: number; url: string },
) => unknown;

/** One result per frame; the relay's is the list of reports that waited for it (entrypoints/page-watch.ts). */
const InjectionResults = z.array(z.object({ result: z.unknown() }));

/**
 * Chrome and Edge: put the relay (page-watch.js) into a top-level landing once loaded (click ids in
 * its URL: its page watch reports), and into a document that sends a tracker request (a thank-you
 * page: the page hook reports it), so their reports get out; utils/page/channel.ts says why it is
 * not on every page. Top-level only: the page scripts run nowhere else. It takes what the MAIN
 * world kept waiting and returns it as its injection result, which goes to `deliver`; a second one
 * does nothing. A page that has gone, or where nothing may run, is not an error: its requests are
 * captured anyway.
 */
export function injectRelay(
  browser: Browser,
  d: { tabId: number; frameId: number; documentId?: string; pageUrl?: string },
  deliver: Deliver,
) {
  if (!MAIN_WORLD_BROWSERS.includes(BROWSER) || d.tabId < 0 || d.frameId !== 0) return;
  const target = d.documentId
    ? { tabId: d.tabId, documentIds: [d.documentId] }
    : { tabId: d.tabId, frameIds: [0] };
  type Injection = Parameters<Browser['scripting']['executeScript']>[0];
  const handOn = async (results: unknown) => {
    const reports = (InjectionResults.safeParse(results).data ?? []).flatMap(({ result }) =>
      Array.isArray(result) ? result.slice(0, MAX_WAITING) : [],
    );
    if (reports.length === 0) return;
    // The page's URL as the browser gives it (a report names its own, which the page can forge).
    const url = d.pageUrl ?? (await frameUrl(browser, d));
    if (!url) return; // the document has gone
    const sender = { id: browser.runtime.id, tab: { id: d.tabId }, frameId: 0, url };
    for (const report of reports) deliver(report, sender);
  };
  try {
    // Once it listens it says so in the page (entrypoints/page-watch.ts): the MAIN world then
    // offers the reports that waited, and the relay returns them here.
    void browser.scripting
      .executeScript({ target, files: [RELAY_FILE], injectImmediately: true } as Injection)
      .then(handOn)
      .catch(() => undefined);
  } catch {
    // no scripting API here: reports stay in the page, requests are captured anyway
  }
}

async function frameUrl(
  browser: Browser,
  d: { tabId: number; documentId?: string },
): Promise<string | undefined> {
  const frame = await browser.webNavigation
    .getFrame(d.documentId ? { documentId: d.documentId } : { tabId: d.tabId, frameId: 0 })
    .catch(() => null);
  return frame?.url;
}
