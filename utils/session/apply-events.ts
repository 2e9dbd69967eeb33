import type { Recognition } from '../recognize/schema';
import { hostOf } from '../url/host-of';
import type { SessionEvent } from './events';
import { type CapturedRequest, type Header, type Observation, SESSION_VERSION, type Session } from './schema';
import { parseSetCookie, SESSION_COOKIE } from './set-cookie';

/**
 * The session model: `(session, events) → session`. Pure apart from mutating the session it is
 * given: the writer's own, read from storage or kept from its last write while storage still holds
 * exactly that (utils/capture/session-writer.ts).
 */

export interface Caps {
  requestsPerTab: number;
  observationsPerTab: number;
  replaysPerSession: number;
}

export type Recognize = (url: string, opts?: { method?: string; body?: string }) => Recognition | null;
/** Id values in a URL (not macros), for Set-Cookie matching. */
export type IdsOf = (url: string) => string[];

export interface ModelDeps {
  recognize: Recognize;
  idsOf: IdsOf;
}

export const MAX_BODY = 16 * 1024;
/** A page hook report and a webRequest record of the same URL belong together if this close in time. */
const MATCH_WINDOW_MS = 30_000;

/** Response headers worth keeping: what a debugger of redirects, cookies and CORS looks at. */
const KEPT_HEADERS = new Set([
  'content-type',
  'content-length',
  'location',
  'set-cookie',
  'access-control-allow-origin',
  'cache-control',
  'server',
  'date',
]);

export function createSession(tabId: number, at: number, url = ''): Session {
  return {
    version: SESSION_VERSION,
    id: `${tabId}-${at}`,
    tabId,
    url,
    openedAt: at,
    updatedAt: at,
    closedAt: null,
    pages: [],
    requests: [],
    observations: [],
    replays: [],
    dropped: { requests: 0, observations: 0, replays: 0 },
  };
}

/** A urlencoded form body: `name=value` pairs joined by `&`, nothing else (not JSON, not text). */
const FORM_BODY = /^[^=&\s{}[\]"]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/;

/**
 * The same form fields, perhaps in another order or encoding. Chromium hands a urlencoded body to
 * webRequest as `formData`, a dictionary sorted by name (an XHR's `subid=…&status=lead` arrives as
 * `status=lead&subid=…`); the page hook has the body as sent, so it wins when it says the same.
 * Only for form bodies, and not where decoding loses bytes (`%FF` and `%FE` both read as U+FFFD).
 */
function sameFields(a: string, b: string): boolean {
  if (a === b) return true;
  if (!FORM_BODY.test(a) || !FORM_BODY.test(b)) return false;
  const fields = (text: string) => [...new URLSearchParams(text)].map((pair) => JSON.stringify(pair));
  const [x, y] = [fields(a), fields(b)];
  if (x.length !== y.length || [...x, ...y].some((f) => f.includes('\uFFFD'))) return false;
  return x.sort().join() === y.sort().join();
}

export function capText(text: string, max = MAX_BODY): { text: string; truncated: boolean } {
  return text.length > max ? { text: text.slice(0, max), truncated: true } : { text, truncated: false };
}

/** What one `applyEvents` call carries from event to event. */
interface Context {
  caps: Caps;
  deps: ModelDeps;
  byId: Map<string, CapturedRequest>;
  /** Hook-only records are rare and short-lived: look among them, not the whole session, at every request. */
  hooks: Set<string>;
  /** Requests added or modified by these events. */
  touched: Set<CapturedRequest>;
}

/**
 * Applies `events` to `session`. `changed`, when given, receives the index of every request the
 * events added or modified: the writer stores requests in chunks and rewrites only those.
 */
export function applyEvents(
  session: Session,
  events: SessionEvent[],
  caps: Caps,
  deps: ModelDeps,
  changed?: Set<number>,
): Session {
  const byId = new Map<string, CapturedRequest>();
  for (const r of session.requests) byId.set(r.id, r);
  const hooks = new Set([...byId.keys()].filter((id) => id.startsWith('hook:')));
  const ctx: Context = { caps, deps, byId, hooks, touched: new Set() };
  for (const event of events) {
    applyEvent(session, event, ctx);
    session.updatedAt = Math.max(session.updatedAt, event.at);
  }
  // Marked where they change, by object: a hook record adopted by webRequest changes its id.
  if (changed && ctx.touched.size > 0)
    session.requests.forEach((r, i) => {
      if (ctx.touched.has(r)) changed.add(i);
    });
  return session;
}

/** The frame's latest page, or its latest page with this URL. */
export function currentPageId(session: Session, frameId: number, url?: string): string | null {
  for (let i = session.pages.length - 1; i >= 0; i--) {
    const page = session.pages[i];
    if (page && page.frameId === frameId && (url === undefined || page.url === url)) return page.id;
  }
  return null;
}

function hop(url: string, at: number, deps: ModelDeps, method?: string, body?: string, status?: number) {
  let recognition: Recognition | null = null;
  try {
    recognition = deps.recognize(url, { method, body });
  } catch {
    // The core must never throw; if it does, keep the hop unrecognised rather than lose it.
  }
  return { url, at, recognition, ...(status === undefined ? {} : { status }) };
}

function addRequest(session: Session, request: CapturedRequest, ctx: Context) {
  if (session.requests.length >= ctx.caps.requestsPerTab) {
    session.dropped.requests++;
    return;
  }
  session.requests.push(request);
  ctx.byId.set(request.id, request);
  ctx.touched.add(request);
}

function addObservations(session: Session, observations: Observation[], caps: Caps) {
  for (const o of observations) {
    const dup = session.observations.some(
      (x) =>
        x.place === o.place &&
        x.name === o.name &&
        x.value === o.value &&
        x.where === o.where &&
        x.pageId === o.pageId,
    );
    if (dup) continue;
    if (session.observations.length >= caps.observationsPerTab) {
      session.dropped.observations++;
      continue;
    }
    session.observations.push(o);
  }
}

/** A hook-only record (its webRequest not seen yet) or a webRequest record without hook data, of the same URL. */
function findMatch(
  session: Session,
  url: string,
  method: string,
  at: number,
  hookOnly: boolean,
  { hooks, byId }: Context,
) {
  if (hookOnly) {
    for (const id of hooks) {
      const r = byId.get(id);
      if (
        r &&
        r.method === method.toUpperCase() &&
        r.hops[0]?.url === url &&
        Math.abs(r.startedAt - at) <= MATCH_WINDOW_MS
      )
        return r;
    }
    return undefined;
  }
  for (let i = session.requests.length - 1; i >= 0; i--) {
    const r = session.requests[i];
    if (!r) continue;
    // Requests are stored in start order: past the window, nothing older can match.
    if (r.startedAt < at - MATCH_WINDOW_MS) break;
    if (Math.abs(r.startedAt - at) > MATCH_WINDOW_MS) continue;
    if (r.method !== method.toUpperCase()) continue;
    if (hookOnly !== r.id.startsWith('hook:')) continue;
    if (!hookOnly && r.via) continue;
    if (r.hops[0]?.url === url) return r;
  }
  return undefined;
}

function keepHeaders(headers: Header[]): Header[] {
  return headers
    .filter((h) => KEPT_HEADERS.has(h.name.toLowerCase()))
    .map((h) => ({ name: h.name, value: capText(h.value, 4096).text }));
}

function cookieObservations(
  request: CapturedRequest,
  headers: Header[],
  at: number,
  deps: ModelDeps,
): Observation[] {
  const ids = new Set<string>();
  for (const h of request.hops) for (const id of deps.idsOf(h.url)) ids.add(id);
  if (ids.size === 0) return [];
  const isDocument = request.type === 'main_frame' || request.type === 'sub_frame';
  const host = hostOf(request.hops[request.hops.length - 1]?.url ?? '');
  const found: Observation[] = [];
  for (const h of headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    // Chromium joins several Set-Cookie headers with newlines in webRequest.
    for (const line of h.value.split('\n')) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      const where = `${cookie.domain ?? host}${cookie.path ?? '/'}`;
      const common = {
        pageId: request.pageId,
        name: cookie.name,
        raw: capText(line, 1024).text,
        where,
        at,
        expires: cookie.expires,
        httpOnly: cookie.httpOnly,
      };
      const id = [...ids].find((v) => cookie.value.includes(v));
      if (id) found.push({ ...common, place: 'set-cookie', value: id });
      else if (isDocument && SESSION_COOKIE.test(cookie.name)) {
        for (const v of ids) found.push({ ...common, place: 'session-cookie', value: v });
      }
    }
  }
  return found;
}

/**
 * A session cookie read from the jar is dated by when it was set (utils/capture/cookie-jar.ts): it
 * tells of this click only if set once a document carrying the id had been asked for. A PHPSESSID
 * left from an earlier visit is in the jar of the broken landing too, which never starts a session.
 * Where no document of the session carried the id (it was dropped past the cap) it is kept.
 */
function setSinceArrival(session: Session, o: Omit<Observation, 'pageId'>, deps: ModelDeps): boolean {
  if (o.place !== 'session-cookie') return true;
  const arrivals = session.requests.filter(
    (r) =>
      (r.type === 'main_frame' || r.type === 'sub_frame') &&
      r.hops.some((h) => deps.idsOf(h.url).includes(o.value)),
  );
  return arrivals.length === 0 || arrivals.some((r) => r.startedAt <= o.at);
}

/** The request of `id`, marked as modified: every caller changes what it finds. */
function toUpdate(ctx: Context, id: string): CapturedRequest | undefined {
  const r = ctx.byId.get(id);
  if (r) ctx.touched.add(r);
  return r;
}

function applyEvent(session: Session, e: SessionEvent, ctx: Context) {
  const { caps, deps, byId, hooks } = ctx;
  switch (e.type) {
    case 'request-start': {
      if (byId.has(e.id)) return;
      const body = e.body === undefined ? undefined : capText(e.body);
      const hookOnly = hooks.size > 0 ? findMatch(session, e.url, e.method, e.at, true, ctx) : undefined;
      if (hookOnly) {
        // The page hook reported this beacon/fetch before webRequest saw it: adopt the record.
        ctx.touched.add(hookOnly);
        byId.delete(hookOnly.id);
        hooks.delete(hookOnly.id);
        hookOnly.id = e.id;
        hookOnly.type = e.resourceType;
        hookOnly.frameId = e.frameId;
        if (e.initiator) hookOnly.initiator = e.initiator;
        byId.set(e.id, hookOnly);
        return;
      }
      const hops = [
        ...(e.previousUrls ?? []).map((u) => hop(u, e.at, deps, e.method)),
        hop(e.url, e.at, deps, e.method, e.body),
      ];
      const isDocument = e.resourceType === 'main_frame';
      addRequest(
        session,
        {
          id: e.id,
          pageId: isDocument ? null : currentPageId(session, e.frameId),
          frameId: e.frameId,
          type: e.resourceType,
          method: e.method.toUpperCase(),
          ...(e.initiator ? { initiator: e.initiator } : {}),
          hops,
          ...(body
            ? {
                requestBody: {
                  text: body.text,
                  source: 'webRequest',
                  truncated: body.truncated || !!e.bodyTruncated,
                },
              }
            : {}),
          responseHeaders: [],
          startedAt: e.at,
        },
        ctx,
      );
      return;
    }
    case 'request-redirect': {
      let r = toUpdate(ctx, e.id);
      if (!r) {
        // Ours only from this hop on (e.g. a short link redirecting to a tracker): start the record here.
        applyEvent(
          session,
          {
            type: 'request-start',
            tabId: e.tabId,
            at: e.at,
            id: e.id,
            frameId: e.frameId,
            resourceType: e.resourceType,
            method: e.method,
            url: e.redirectUrl,
            previousUrls: [e.url],
          },
          ctx,
        );
        r = byId.get(e.id);
        const first = r?.hops[0];
        if (first) first.status = e.status;
        return;
      }
      const last = r.hops[r.hops.length - 1];
      if (last) last.status = e.status;
      // Redirects switch POST to GET for 301/302/303.
      r.hops.push(hop(e.redirectUrl, e.at, deps, e.status === 307 || e.status === 308 ? r.method : 'GET'));
      return;
    }
    case 'request-headers': {
      const r = toUpdate(ctx, e.id);
      if (!r) return;
      r.status = e.status;
      if (e.statusLine) r.statusLine = e.statusLine;
      const last = r.hops[r.hops.length - 1];
      if (last) last.status = e.status;
      r.responseHeaders = keepHeaders(e.headers);
      addObservations(session, cookieObservations(r, e.headers, e.at, deps), caps);
      return;
    }
    case 'request-complete': {
      const r = toUpdate(ctx, e.id);
      if (!r) return;
      r.status = e.status;
      r.endedAt = e.at;
      if (e.fromCache) r.fromCache = true;
      const last = r.hops[r.hops.length - 1];
      if (last) last.status = e.status;
      return;
    }
    case 'request-error': {
      const r = toUpdate(ctx, e.id);
      if (!r) return;
      r.error = e.error;
      r.endedAt = e.at;
      return;
    }
    case 'navigation': {
      const id = `${e.frameId}@${e.at}`;
      if (session.pages.some((p) => p.id === id)) return;
      session.pages.push({
        id,
        frameId: e.frameId,
        url: e.url,
        at: e.at,
        ...(e.transition ? { transition: e.transition } : {}),
      });
      if (e.frameId === 0) session.url = e.url;
      // The document request that brought this page in belongs to it.
      for (let i = session.requests.length - 1; i >= 0; i--) {
        const r = session.requests[i];
        if (!r || r.pageId !== null || r.frameId !== e.frameId) continue;
        if (r.hops[r.hops.length - 1]?.url === e.url) {
          r.pageId = id;
          ctx.touched.add(r);
          for (const o of session.observations) if (o.pageId === null && o.at >= r.startedAt) o.pageId = id;
          break;
        }
      }
      return;
    }
    case 'title':
      session.title = e.title.slice(0, 300);
      return;
    case 'observations': {
      // The page they were found on: a report made as the visitor submits can be applied after the
      // next page's navigation (lab PHP landing, the session cookie read for the submit).
      const pageId =
        (e.pageUrl === undefined ? null : currentPageId(session, e.frameId, e.pageUrl)) ??
        currentPageId(session, e.frameId);
      addObservations(
        session,
        e.observations.filter((o) => setSinceArrival(session, o, deps)).map((o) => ({ ...o, pageId })),
        caps,
      );
      return;
    }
    case 'page-request': {
      const body = e.body === undefined ? undefined : capText(e.body);
      const response = e.response ? { ...capText(e.response.body), status: e.response.status } : undefined;
      const r = findMatch(session, e.url, e.method, e.at, false, ctx);
      if (r) {
        ctx.touched.add(r);
        r.via = e.via;
        const seen = r.requestBody;
        // A cut-off body cannot be compared: the browser's, with its truncated flag, stays.
        const sameWhole = (text: string) =>
          seen !== undefined && !seen.truncated && !body?.truncated && sameFields(seen.text, text);
        if (body && (!seen || seen.text === '' || sameWhole(body.text)))
          r.requestBody = { text: body.text, source: 'page-hook', truncated: body.truncated };
        if (response)
          r.responseBody = { text: response.text, source: 'page-hook', truncated: response.truncated };
        // A body may be what made it a tracker request (a beacon to /postback with the subid in the body).
        const first = r.hops[0];
        if (first && !first.recognition && body)
          r.hops[0] = hop(first.url, first.at, deps, r.method, body.text, first.status);
        return;
      }
      const start = hop(e.url, e.at, deps, e.method, e.body);
      if (!start.recognition) return;
      const id = `hook:${e.at}:${session.requests.length}`;
      addRequest(
        session,
        {
          id,
          pageId: currentPageId(session, 0),
          frameId: 0,
          type: e.via === 'beacon' ? 'ping' : 'xmlhttprequest',
          method: e.method.toUpperCase(),
          via: e.via,
          hops: [start],
          ...(body
            ? { requestBody: { text: body.text, source: 'page-hook' as const, truncated: body.truncated } }
            : {}),
          ...(response
            ? {
                responseBody: {
                  text: response.text,
                  source: 'page-hook' as const,
                  truncated: response.truncated,
                },
                status: response.status,
              }
            : {}),
          responseHeaders: [],
          startedAt: e.at,
        },
        ctx,
      );
      if (byId.has(id)) hooks.add(id);
      return;
    }
    case 'replay': {
      session.replays.push(e.replay);
      while (session.replays.length > caps.replaysPerSession) {
        session.replays.shift();
        session.dropped.replays++;
      }
      return;
    }
    case 'tab-closed':
      session.closedAt = e.at;
      return;
  }
}
