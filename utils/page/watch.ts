import { CHANGED_EVENT, type ChangedArea, REQUEST_EVENT } from './hook';
import { pageIds } from './page-ids';
import { ALL_PARTS, type Found, foundKey, type ScanParts, scanPage } from './scan';

/**
 * The isolated-world content script's work, kept out of the entrypoint: relay the page hook's
 * reports, and find where the page stores its click ids. It runs on every page, so it does as
 * little as it can: at document_start it reads the URL and adds listeners; a landing is scanned
 * once, in its load event, then only when the page changes what it stores, when the user acts
 * (click, submit), and when the panel opens on the tab (RESCAN_MESSAGE), so what the user sees
 * is read at that moment. At most MAX_SCANS scans a page.
 */

const MAX_SCANS = 30;
const MAX_DETAIL = 80 * 1024;
/** Scans asked for by page changes wait this long, so a page writing ten keys costs one scan. */
const SETTLE_MS = 250;

/** Background → content script, when the panel opens on the tab: read everything now. */
export const RESCAN_MESSAGE = 'rescan-page';

export type Send = (message: object) => void;

/** What a scan reads, plus whether the background should re-read the cookie jar. */
type Pending = ScanParts & { cookies?: boolean };

export interface PageWatch {
  /** A runtime message: RESCAN_MESSAGE reads the DOM and both storage areas now and has the background re-read the cookie jar; anything else is ignored. */
  receive(message: unknown): void;
}

/** Returns null on a page without click ids: it only relays the page hook there. */
export function startPageWatch(win: Window, send: Send): PageWatch | null {
  const doc = win.document;
  doc.addEventListener(REQUEST_EVENT, (e) => {
    const detail = (e as CustomEvent).detail;
    if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
    try {
      // Untrusted: the page can dispatch this event too, so its type is ours whatever the detail says.
      // The background validates and re-recognises it.
      send({ ...JSON.parse(detail), type: 'page-request' });
    } catch {
      // not JSON: ignore
    }
  });

  const ids = pageIds(win.location.href).map((i) => i.value);
  if (ids.length === 0) return null;

  const reported = new Set<string>();
  let scans = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Pending = {};
  const storageOf = (name: 'localStorage' | 'sessionStorage') => {
    try {
      return win[name];
    } catch {
      return null;
    }
  };
  const run = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      win.removeEventListener('pagehide', run);
    }
    const parts = pending;
    pending = {};
    if (scans >= MAX_SCANS) return;
    scans++;
    let found: Found[] = [];
    try {
      found = scanPage(
        {
          document: doc,
          localStorage: parts.localStorage ? storageOf('localStorage') : null,
          sessionStorage: parts.sessionStorage ? storageOf('sessionStorage') : null,
          host: win.location.host,
        },
        ids,
        Date.now(),
        parts,
      );
    } catch {
      return;
    }
    const fresh = found.filter((f) => !reported.has(foundKey(f)));
    for (const f of fresh) reported.add(foundKey(f));
    // A cookie write reports even with nothing new: the background then re-reads the cookie jar
    // (HttpOnly cookies too) for these ids. It read it once already when the landing finished loading.
    if (fresh.length > 0 || parts.cookies)
      send({ type: 'observations', pageUrl: win.location.href, ids, observations: fresh });
  };
  /** Later, folded with whatever else the page changes meanwhile; a page that leaves first is read as it goes. */
  const soon = (parts: Pending) => {
    pending = { ...pending, ...parts };
    if (timer !== undefined) return;
    timer = setTimeout(run, SETTLE_MS);
    win.addEventListener('pagehide', run);
  };
  const now = (parts: Pending) => {
    pending = { ...pending, ...parts };
    run();
  };

  // The one scan of a landing: the page has built its forms and links by its load event. A page
  // that fills a field later is read when the user clicks, submits, or opens the panel.
  win.addEventListener('load', () => now({ dom: true }), { once: true });
  doc.addEventListener(CHANGED_EVENT, (e) => {
    const area = (e as CustomEvent).detail as ChangedArea | undefined;
    // A cookie write needs no scan of the page: the background reads the cookie jar.
    soon(area === 'localStorage' || area === 'sessionStorage' ? { [area]: true } : { cookies: true });
  });
  win.addEventListener('click', () => soon({ dom: true }), true);
  // A submit is when a landing writes its last state: storage is read then too, for writes the page
  // hook could not see (`localStorage.x = …`, or no MAIN world in Firefox).
  win.addEventListener('submit', () => now({ ...ALL_PARTS, cookies: true }), true);
  return {
    receive(message) {
      if ((message as { type?: unknown } | null)?.type === RESCAN_MESSAGE)
        now({ ...ALL_PARTS, cookies: true });
    },
  };
}
