import { CHANGED_EVENT, type ChangedArea, REQUEST_EVENT } from './hook';
import { pageIds } from './page-ids';
import { ALL_PARTS, type Found, foundKey, type ScanParts, scanPage } from './scan';

/**
 * The isolated-world content script's work, kept out of the entrypoint: relay the page hook's
 * reports, and re-scan where the page stores its click ids when the page changes them. At
 * document_start it only reads the URL and adds listeners; scans run later and at most MAX_SCANS
 * times per page.
 */

const MAX_SCANS = 30;
const MAX_DETAIL = 80 * 1024;

export type Send = (message: object) => void;

export function startPageWatch(win: Window, send: Send) {
  const doc = win.document;
  doc.addEventListener(REQUEST_EVENT, (e) => {
    const detail = (e as CustomEvent).detail;
    if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
    try {
      // Untrusted: the page can dispatch this event too. The background validates and re-recognises it.
      send({ type: 'page-request', ...JSON.parse(detail) });
    } catch {
      // not JSON: ignore
    }
  });

  const ids = pageIds(win.location.href).map((i) => i.value);
  if (ids.length === 0) return;

  const reported = new Set<string>();
  let scans = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** What the next scan reads; storage areas only once the page wrote to them (or as it leaves). */
  let pending: ScanParts = {};
  const storageOf = (name: 'localStorage' | 'sessionStorage') => {
    try {
      return win[name];
    } catch {
      return null;
    }
  };
  const scan = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (scans >= MAX_SCANS) return;
    scans++;
    const parts = pending;
    pending = {};
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
    if (fresh.length > 0 || cookieChanged) {
      cookieChanged = false;
      send({ type: 'observations', pageUrl: win.location.href, ids, observations: fresh });
    }
  };
  let cookieChanged = false;
  const soon = (parts: ScanParts, ms = 250) => {
    pending = { ...pending, ...parts };
    timer ??= setTimeout(scan, ms);
  };
  /** On submit: read everything and report, so the background re-reads the cookie jar before the page goes. */
  const leaving = (parts: ScanParts, recheckCookies: boolean) => {
    pending = { ...pending, ...parts };
    if (recheckCookies) cookieChanged = true;
    scan();
  };

  // One scan once the page has loaded (or a second after its DOM is ready, if loading drags on), one
  // more 1.5 s later for what scripts add; then only on changes and user actions.
  doc.addEventListener('DOMContentLoaded', () => soon({ dom: true }, 1000));
  win.addEventListener('load', () => {
    soon({ dom: true }, 0);
    setTimeout(() => soon({ dom: true }, 0), 1500);
  });
  doc.addEventListener(CHANGED_EVENT, (e) => {
    const area = (e as CustomEvent).detail as ChangedArea | undefined;
    if (area === 'cookie') cookieChanged = true;
    soon(area === 'localStorage' || area === 'sessionStorage' ? { [area]: true } : { dom: true });
  });
  win.addEventListener('click', () => soon({ dom: true }), true);
  // A submit is when a landing writes its last state: storage is read then too, for writes the page
  // hook could not see (`localStorage.x = …`, or no MAIN world in Firefox). On pagehide only the DOM:
  // opening a storage area as the page unloads would cost every navigation a millisecond or more.
  win.addEventListener('submit', () => leaving(ALL_PARTS, true), true);
  win.addEventListener('pagehide', () => leaving({ dom: true }, false));
}
