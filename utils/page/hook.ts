/**
 * The MAIN-world hook: reports the bodies of `sendBeacon`, `fetch` and XHR calls to tracker-looking
 * URLs (webRequest shows no beacon body in some browsers and never a response body), and tells
 * the page watch when the page writes storage so it re-reads it. Cookies need no hook: the
 * background reads the cookie jar once the page has loaded, and again on submit and when the panel
 * opens. Installed by `page-hooks.content.ts`; everything here runs in the page's own world, so it
 * is tiny, never throws into the page, and hands plain values to `report` (see channel.ts).
 */

import type { Send } from './channel';

export type ChangedArea = 'localStorage' | 'sessionStorage';
/** One character over what the session keeps (MAX_BODY, 16 KB), so it can tell a cut body and mark it truncated. */
const MAX = 16 * 1024 + 1;

/** A cheap first look; the background's recognizer decides for real. */
export const TRACKER_HINT =
  /postback|aff_(?:lsr|goal|l|c|i)\b|[?&](?:sub_?id|_subid|_token|clickid|click_id|cid|cnv_id|transaction_id|_update_tokens)=|p\.ashx|click\.php/i;

export function bodyText(body: unknown): string | undefined {
  try {
    if (body == null) return undefined;
    if (typeof body === 'string') return body.slice(0, MAX);
    if (body instanceof URLSearchParams) return body.toString().slice(0, MAX);
    if (typeof FormData !== 'undefined' && body instanceof FormData) {
      const p = new URLSearchParams();
      body.forEach((v, k) => {
        p.append(k, typeof v === 'string' ? v : `[file ${v.name}]`);
      });
      return p.toString().slice(0, MAX);
    }
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
      const bytes =
        body instanceof ArrayBuffer
          ? new Uint8Array(body)
          : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      return new TextDecoder().decode(bytes.subarray(0, MAX));
    }
    if (typeof Blob !== 'undefined' && body instanceof Blob) return `[blob ${body.size} bytes]`;
  } catch {
    // an exotic body: report the request without it
  }
  return undefined;
}

export function isTrackerLike(url: string, body: string | undefined): boolean {
  return TRACKER_HINT.test(url) || (body !== undefined && TRACKER_HINT.test(`?${body}`));
}

export function installHook(
  win: Window & typeof globalThis,
  report: Send,
  /** Storage writes are hooked only for a page watch that listens (a page with click ids). */
  changed?: (area: ChangedArea) => void,
) {
  const emit = (detail: object) => report({ type: 'page-request', ...detail, at: Date.now() });
  const abs = (u: unknown) => {
    try {
      // The document's base URL, as fetch and XHR resolve a relative URL (it follows <base href>).
      return new URL(String(u), win.document.baseURI).href;
    } catch {
      return String(u);
    }
  };

  const beacon = win.navigator.sendBeacon;
  if (typeof beacon === 'function') {
    win.navigator.sendBeacon = function (this: Navigator, url: string | URL, data?: BodyInit | null) {
      const u = abs(url);
      const body = bodyText(data);
      if (isTrackerLike(u, body)) emit({ via: 'beacon', url: u, method: 'POST', body });
      return beacon.call(this, url, data);
    };
  }

  const fetchFn = win.fetch;
  if (typeof fetchFn === 'function') {
    win.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const promise = fetchFn.call(this, input, init);
      try {
        const isRequest = typeof Request !== 'undefined' && input instanceof Request;
        const u = abs(isRequest ? input.url : input);
        const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
        const body = bodyText(init?.body);
        if (isTrackerLike(u, body)) {
          promise.then(
            (res) => {
              // An opaque (no-cors) answer has no readable body: report the request alone.
              if (res.type === 'opaque') return emit({ via: 'fetch', url: u, method, body });
              res
                .clone()
                .text()
                .then(
                  (text) =>
                    emit({
                      via: 'fetch',
                      url: u,
                      method,
                      body,
                      response: { status: res.status, body: text.slice(0, MAX) },
                    }),
                  () => emit({ via: 'fetch', url: u, method, body }),
                );
            },
            () => emit({ via: 'fetch', url: u, method, body }),
          );
        }
      } catch {
        // the page's fetch goes on untouched
      }
      return promise;
    };
  }

  const xhrs = new WeakMap<XMLHttpRequest, { method: string; url: string }>();
  const open = win.XMLHttpRequest?.prototype.open;
  const send = win.XMLHttpRequest?.prototype.send;
  if (open && send) {
    win.XMLHttpRequest.prototype.open = function (
      this: XMLHttpRequest,
      method: string,
      url: string | URL,
      ...rest: unknown[]
    ) {
      xhrs.set(this, { method: String(method).toUpperCase(), url: abs(url) });
      return (open as (...a: unknown[]) => void).call(this, method, url, ...rest);
    } as XMLHttpRequest['open'];
    win.XMLHttpRequest.prototype.send = function (
      this: XMLHttpRequest,
      data?: Document | XMLHttpRequestBodyInit | null,
    ) {
      const info = xhrs.get(this);
      const body = bodyText(data);
      if (info && isTrackerLike(info.url, body)) {
        this.addEventListener('loadend', () => {
          const readable = this.responseType === '' || this.responseType === 'text';
          emit({
            via: 'xhr',
            ...info,
            body,
            ...(readable && this.status
              ? { response: { status: this.status, body: this.responseText.slice(0, MAX) } }
              : {}),
          });
        });
      }
      return send.call(this, data);
    };
  }

  const setItem = changed && win.Storage?.prototype.setItem;
  if (setItem) {
    win.Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      setItem.call(this, key, value);
      let area: ChangedArea = 'localStorage';
      try {
        if (this === win.sessionStorage) area = 'sessionStorage';
        changed(area);
      } catch {
        // storage denied to this document (it could not have written either), or the watch failed: never the page's problem
      }
    };
  }
}
