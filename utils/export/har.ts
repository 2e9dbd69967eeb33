import type { Entry, Har, Header, Page, QueryString } from 'har-format';
import { splitQuery } from '../panel/params';
import type { CapturedRequest, Session } from '../session/schema';
import { redactText } from './redact';

/**
 * HAR 1.2 of a session's captured requests, shaped for Chrome DevTools' importer (Network panel →
 * Import HAR): every required field present, one entry per redirect hop so the chain shows as
 * DevTools shows its own (each 3xx entry with `redirectURL`), pages from the session's page loads.
 * Spec: http://www.softwareishard.com/blog/har-12-spec/
 */

export interface HarOptions {
  /** Replace secrets (Keitaro key, security_token, session cookies) as the JSON export does. Default on. */
  redact?: boolean;
  creatorVersion?: string;
}

type ResourceType = NonNullable<Entry['_resourceType']>;

function resourceType(r: CapturedRequest): ResourceType {
  if (r.via === 'beacon') return 'ping';
  if (r.via === 'fetch') return 'fetch';
  if (r.via === 'xhr') return 'xhr';
  switch (r.type) {
    case 'main_frame':
    case 'sub_frame':
      return 'document';
    case 'image':
    case 'imageset':
      return 'image';
    case 'xmlhttprequest':
      return 'xhr';
    case 'ping':
    case 'beacon':
      return 'ping';
    case 'script':
      return 'script';
    case 'stylesheet':
      return 'stylesheet';
    case 'font':
      return 'font';
    case 'media':
      return 'media';
    default:
      return 'other';
  }
}

function parseStatusLine(line: string | undefined): { httpVersion: string; statusText: string } {
  const m = /^(HTTP\/[\d.]+)\s+\d{3}\s*(.*)$/i.exec(line ?? '');
  return m
    ? { httpVersion: (m[1] ?? '').toUpperCase(), statusText: m[2] ?? '' }
    : { httpVersion: 'HTTP/1.1', statusText: '' };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

function mimeTypeOf(headers: Header[]): string {
  return headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? 'x-unknown';
}

function queryString(url: string): QueryString[] {
  const q = url.split('#', 1)[0] ?? '';
  const i = q.indexOf('?');
  return i < 0 ? [] : splitQuery(q.slice(i + 1)).map((p) => ({ name: p.name, value: p.value }));
}

export function toHar(session: Session, opts: HarOptions = {}): Har {
  const clean = opts.redact === false ? (s: string) => s : redactText;
  const iso = (t: number) => new Date(t).toISOString();
  const known = new Set(session.pages.map((p) => p.id));

  const pages: Page[] = session.pages.map((p) => ({
    id: p.id,
    startedDateTime: iso(p.at),
    title: clean(p.url),
    pageTimings: { onContentLoad: -1, onLoad: -1 },
  }));

  const entries: Entry[] = [];
  for (const r of session.requests) {
    const last = r.hops.length - 1;
    const type = resourceType(r);
    r.hops.forEach((hop, i) => {
      const isLast = i === last;
      const next = r.hops[i + 1];
      const end = isLast ? (r.endedAt ?? hop.at) : (next?.at ?? hop.at);
      const time = Math.max(0, end - hop.at);
      // 301/302/303 turn a POST into a GET; 307/308 keep the method and the body [RFC 9110 15.4].
      const keepsBody = i === 0 || r.hops.slice(0, i).every((h) => h.status === 307 || h.status === 308);
      const method = keepsBody ? r.method : 'GET';
      const url = clean(hop.url);
      const body = keepsBody && r.requestBody ? clean(r.requestBody.text) : undefined;
      const status = hop.status ?? (isLast ? (r.status ?? 0) : 0);
      const line = isLast ? parseStatusLine(r.statusLine) : { httpVersion: 'HTTP/1.1', statusText: '' };
      const statusText = line.statusText || STATUS_TEXT[status] || '';
      const headers: Header[] = isLast
        ? r.responseHeaders.map((h) => ({ name: h.name, value: clean(h.value) }))
        : next
          ? [{ name: 'location', value: clean(next.url) }]
          : [];
      const text = isLast && r.responseBody ? clean(r.responseBody.text) : undefined;
      const entry: Entry = {
        startedDateTime: iso(hop.at),
        time,
        request: {
          method,
          url,
          httpVersion: line.httpVersion,
          headers: [],
          queryString: queryString(url),
          cookies: [],
          headersSize: -1,
          bodySize: body === undefined ? (method === 'GET' ? 0 : -1) : byteLength(body),
          ...(body !== undefined
            ? {
                postData: {
                  mimeType: /^[^=&\s]+=/.test(body) ? 'application/x-www-form-urlencoded' : 'text/plain',
                  text: body,
                },
              }
            : {}),
        },
        response: {
          status,
          statusText,
          httpVersion: line.httpVersion,
          headers,
          cookies: [],
          content: {
            size: text === undefined ? 0 : byteLength(text),
            mimeType: isLast ? mimeTypeOf(headers) : 'x-unknown',
            ...(text !== undefined ? { text } : {}),
          },
          redirectURL: next ? clean(next.url) : '',
          headersSize: -1,
          bodySize: text === undefined ? -1 : byteLength(text),
          ...(isLast && r.error ? { _error: r.error } : {}),
        },
        cache: {},
        timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: time, receive: 0 },
        _resourceType: type,
        ...(r.pageId && known.has(r.pageId) ? { pageref: r.pageId } : {}),
        ...(isLast && r.fromCache ? { _fromCache: 'disk' as const } : {}),
      };
      entries.push(entry);
    });
  }
  entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));

  return {
    log: {
      version: '1.2',
      creator: { name: 'Postback Lens', version: opts.creatorVersion ?? '0.1.0' },
      pages,
      entries,
      comment: `Tab ${session.tabId}: ${clean(session.url)}. Captured tracker requests only; request headers and cookies are not recorded.`,
    },
  };
}
