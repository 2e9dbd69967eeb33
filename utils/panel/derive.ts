import type { Diagnostic } from '../recognize/schema';
import type { CapturedRequest, Observation, Page, Session } from '../session/schema';
import { bodyParams, splitQuery } from './params';

/** Pure derivations the panel shows: rows of the request list, search hits, all diagnostics. */

export interface PageGroup {
  page: Page | null;
  requests: CapturedRequest[];
}

/** Requests grouped by page load, in page order; requests of no known page come first. */
export function groupByPage(session: Session): PageGroup[] {
  const byPage = new Map<string, CapturedRequest[]>();
  const orphans: CapturedRequest[] = [];
  const known = new Set(session.pages.map((p) => p.id));
  for (const r of session.requests) {
    if (r.pageId && known.has(r.pageId)) {
      const list = byPage.get(r.pageId) ?? [];
      byPage.set(r.pageId, list);
      list.push(r);
    } else orphans.push(r);
  }
  const groups: PageGroup[] = [];
  if (orphans.length) groups.push({ page: null, requests: orphans });
  for (const page of session.pages) {
    const requests = byPage.get(page.id);
    if (requests?.length) groups.push({ page, requests });
  }
  return groups;
}

export type Row =
  | { kind: 'page'; page: Page | null; count: number }
  | { kind: 'request'; request: CapturedRequest }
  | { kind: 'hop'; request: CapturedRequest; hop: number };

/** Flat, fixed-height rows for the windowed list: a header per page, a row per request, hop rows when expanded. */
export function requestRows(groups: PageGroup[], expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  for (const g of groups) {
    rows.push({ kind: 'page', page: g.page, count: g.requests.length });
    for (const request of g.requests) {
      rows.push({ kind: 'request', request });
      if (request.hops.length > 1 && expanded.has(request.id)) {
        for (let hop = 0; hop < request.hops.length; hop++) rows.push({ kind: 'hop', request, hop });
      }
    }
  }
  return rows;
}

export interface SearchHit {
  where: 'request' | 'hop' | 'body' | 'response' | 'observation';
  requestId?: string;
  hop?: number;
  observation?: Observation;
  /** The param / cookie / key name. */
  name: string;
  value: string;
  /** The URL or place it was found in. */
  context: string;
}

export interface SearchResult {
  query: string;
  total: number;
  hits: SearchHit[];
}

/**
 * Every place a param name or value contains the query (case-insensitive): request URLs, every
 * redirect hop, form bodies, response bodies the page read, and storage observations.
 */
export function searchSession(session: Session, query: string, limit = 200): SearchResult {
  const q = query.trim().toLowerCase();
  const hits: SearchHit[] = [];
  let total = 0;
  if (!q) return { query, total, hits };
  const add = (hit: SearchHit) => {
    total++;
    if (hits.length < limit) hits.push(hit);
  };
  const matches = (s: string) => s.toLowerCase().includes(q);
  for (const r of session.requests) {
    r.hops.forEach((hop, i) => {
      const i0 = hop.url.indexOf('?');
      const params = i0 < 0 ? [] : splitQuery(hop.url.slice(i0 + 1).split('#', 1)[0] ?? '');
      let found = false;
      for (const p of params) {
        if (matches(p.name) || matches(p.value) || matches(p.raw)) {
          found = true;
          add({
            where: i === 0 ? 'request' : 'hop',
            requestId: r.id,
            hop: i,
            name: p.name,
            value: p.value,
            context: hop.url,
          });
        }
      }
      // A value in the path (Keitaro's key, a /SL short link) is found too.
      if (!found && matches(i0 < 0 ? hop.url : hop.url.slice(0, i0))) {
        add({
          where: i === 0 ? 'request' : 'hop',
          requestId: r.id,
          hop: i,
          name: '',
          value: hop.url,
          context: hop.url,
        });
      }
    });
    if (r.requestBody && matches(r.requestBody.text)) {
      const params = bodyParams(r.requestBody.text).filter((p) => matches(p.name) || matches(p.value));
      if (params.length)
        for (const p of params)
          add({
            where: 'body',
            requestId: r.id,
            name: p.name,
            value: p.value,
            context: r.hops[0]?.url ?? '',
          });
      else
        add({
          where: 'body',
          requestId: r.id,
          name: '',
          value: r.requestBody.text,
          context: r.hops[0]?.url ?? '',
        });
    }
    if (r.responseBody && matches(r.responseBody.text)) {
      add({
        where: 'response',
        requestId: r.id,
        name: '',
        value: r.responseBody.text,
        context: r.hops[0]?.url ?? '',
      });
    }
  }
  for (const o of session.observations) {
    if (matches(o.name) || matches(o.value) || matches(o.raw)) {
      add({
        where: 'observation',
        observation: o,
        name: o.name,
        value: o.value,
        context: `${o.place} ${o.where}`,
      });
    }
  }
  return { query, total, hits };
}

export interface LocatedDiagnostic extends Diagnostic {
  requestId?: string;
  hop?: number;
}

/**
 * URL-level diagnostics of every recognised hop, then the session-level ones, without
 * duplicates (a pixel fired 50 times with the same macro is one finding with its first request).
 */
export function allDiagnostics(
  session: Session,
  sessionLevel: Diagnostic[],
  diagnoseUrl: (url: string) => Diagnostic[],
): LocatedDiagnostic[] {
  const out: LocatedDiagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: LocatedDiagnostic) => {
    const key = `${d.code}\u0000${d.evidence}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const r of session.requests) {
    r.hops.forEach((hop, i) => {
      if (!hop.recognition) return;
      for (const d of diagnoseUrl(hop.url)) push({ ...d, requestId: r.id, hop: i });
    });
  }
  for (const d of sessionLevel) push(d);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** Postbacks and pixels captured in the session: what the builder can start from. */
export function capturedPostbacks(session: Session): { request: CapturedRequest; hop: number }[] {
  const out: { request: CapturedRequest; hop: number }[] = [];
  for (const r of session.requests) {
    const hop = r.hops.findIndex(
      (h) => h.recognition?.kind === 'postback' || h.recognition?.kind === 'pixel',
    );
    if (hop >= 0) out.push({ request: r, hop });
  }
  return out;
}
