import { CHANGED_EVENT, REQUEST_EVENT } from './hook';
import { pageIds } from './page-ids';
import { type Found, foundKey, scanPage } from './scan';

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
    let found: Found[] = [];
    try {
      found = scanPage(
        {
          document: doc,
          localStorage: storageOf('localStorage'),
          sessionStorage: storageOf('sessionStorage'),
          host: win.location.host,
        },
        ids,
        Date.now(),
      );
    } catch {
      return;
    }
    const fresh = found.filter((f) => !reported.has(foundKey(f)));
    for (const f of fresh) reported.add(foundKey(f));
    // The first scan always reports, so the background checks the cookie jar (HttpOnly too) for these ids.
    if (fresh.length > 0 || scans === 1)
      send({ type: 'observations', pageUrl: win.location.href, ids, observations: fresh });
  };
  const soon = (ms = 250) => {
    timer ??= setTimeout(scan, ms);
  };

  doc.addEventListener('DOMContentLoaded', () => soon(0));
  win.addEventListener('load', () => {
    soon(0);
    setTimeout(() => soon(0), 1500);
  });
  doc.addEventListener(CHANGED_EVENT, () => soon());
  win.addEventListener('click', () => soon(), true);
  // Before the page leaves: a submit or a navigation away is when a landing writes its last state.
  win.addEventListener('submit', scan, true);
  win.addEventListener('pagehide', scan);
}
