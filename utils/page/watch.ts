import { RESCAN_EVENT, type Send } from './channel';
import type { ChangedArea } from './hook';
import { pageIds } from './page-ids';
import { ALL_PARTS, type Found, foundKey, type ScanParts, scanPage } from './scan';

/**
 * Where the page keeps its click ids. It runs on every page (in the MAIN world where the browser
 * has one, see channel.ts), so it does as little as it can: at document_start it reads the URL;
 * a page without click ids is left alone. A landing is scanned once, as it has loaded, then only
 * when the page writes storage (the hook calls `changed`), when the user clicks or submits, and
 * when the panel opens on the tab (RESCAN_EVENT), so what the user sees is read at that moment,
 * and as the page is left before it has loaded. At most MAX_SCANS scans a page.
 *
 * Cookies are the background's: it reads the cookie jar (HttpOnly cookies too) once the landing
 * has loaded, and again when a submit, a rescan or an early leave asks it to, so cookies cost the
 * page nothing.
 */

const MAX_SCANS = 30;
/** Scans asked for by page changes wait this long, so a page writing ten keys costs one scan. */
const SETTLE_MS = 250;

/** What a scan reads, plus whether the background should re-read the cookie jar. */
type Pending = ScanParts & { cookies?: boolean };

export interface PageWatch {
  /** The hook saw the page write to a storage area. */
  changed(area: ChangedArea): void;
  /** The page's URL as the watch started (document_start): the URL the landing committed with. */
  url: string;
}

/** host[:port] of an http(s) URL, as URL.host gives it for the URLs a document has, without touching `URL` (another interface to build in the page). */
export function pageHost(url: string): string {
  const m = /^https?:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
  return m?.[1]?.toLowerCase() ?? '';
}

/** Returns null on a page without click ids. */
export function startPageWatch(win: Window, send: Send): PageWatch | null {
  // document.URL, not location.href: the page's first touch of `location` builds its Location
  // object (~0.09 ms in a Chromium trace, against ~0.03 ms for document.URL), on every page.
  const doc = win.document;
  const url = doc.URL;
  const ids = pageIds(url).map((i) => i.value);
  if (ids.length === 0) return null;

  const reported = new Set<string>();
  let scans = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loaded = false;
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
    }
    // Nothing waits now: a loaded page's leaving is not listened to until something does.
    if (loaded) win.removeEventListener('pagehide', leaving);
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
          host: pageHost(doc.URL),
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
    // A submit or a rescan reports even with nothing new: the background then re-reads the cookie jar.
    if (fresh.length > 0 || parts.cookies)
      // No page URL: the background takes the frame's from the browser (a page could write any).
      send({ type: 'observations', pageUrl: '', ids, observations: fresh });
  };
  /** Later, folded with whatever else the page changes meanwhile; a page that leaves first is read as it goes. */
  const soon = (parts: Pending) => {
    pending = { ...pending, ...parts };
    if (timer !== undefined) return;
    timer = setTimeout(run, SETTLE_MS);
    win.addEventListener('pagehide', leaving);
  };
  const now = (parts: Pending) => {
    pending = { ...pending, ...parts };
    run();
  };
  // Leaving, listened to only while there is something to do then: before the load event, and
  // while a scan waits (a page's pagehide callbacks delay the next page). What waits is read now. A
  // landing left before its load event (a prelander that stores the subid and moves on at once,
  // lab prelander.html) had no scan yet: all of it is read, storage written by property too, and
  // the background reads the cookie jar (it reads it once a page has loaded, which this one will
  // not).
  function leaving() {
    if (loaded) run();
    else now({ ...ALL_PARTS, cookies: true });
  }

  // The one scan of a landing, once it has loaded: the page has built its forms and links by then.
  // At pageshow, which Chromium and Firefox fire in the same task right after the load event (a
  // new task would cost the page ~0.1 ms more), not in it: a load listener added at document_start
  // runs before the page's own, so it held the page's onload handlers back (lab cookie.html: the
  // load event took 0.5 ms with the extension, 0.01 without) and missed a field they fill. A page
  // that fills one later is read when the user clicks, submits, or opens the panel.
  win.addEventListener(
    'pageshow',
    () => {
      loaded = true;
      now({ dom: true });
    },
    { once: true },
  );
  win.addEventListener('pagehide', leaving);
  win.addEventListener('click', () => soon({ dom: true }), true);
  // A submit is when a landing writes its last state: storage is read then too, for writes the page
  // hook could not see (`localStorage.x = …`, or no MAIN world in Firefox).
  win.addEventListener('submit', () => now({ ...ALL_PARTS, cookies: true }), true);
  win.addEventListener(RESCAN_EVENT, () => now({ ...ALL_PARTS, cookies: true }));
  return {
    changed: (area) => soon({ [area]: true }),
    url,
  };
}
