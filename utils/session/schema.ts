import { z } from 'zod/mini';
import { DiagnosticSchema, RecognitionSchema, ResponseMeaningSchema } from '../recognize/schema';

/**
 * What the extension keeps about one tab: the requests the core claimed and the places the page
 * stored a click id. Stored in `browser.storage.local`, versioned; trails and session diagnostics
 * are derived from it (never stored), so a fix in the core re-reads old sessions correctly.
 */

export const SESSION_VERSION = 1;

export const HeaderSchema = z.object({ name: z.string(), value: z.string() });
export type Header = z.infer<typeof HeaderSchema>;

/** One URL of a request's redirect chain. Hop 0 is the URL the page asked for. */
export const HopSchema = z.object({
  url: z.string(),
  /** HTTP status of this hop's answer (3xx for all but the last). */
  status: z.optional(z.int()),
  at: z.number(),
  recognition: z.nullable(RecognitionSchema),
});
export type Hop = z.infer<typeof HopSchema>;

export const RequestBodySchema = z.object({
  /** Decoded text of the body (form fields joined as a query string), capped. */
  text: z.string(),
  /** Where the body came from: webRequest's requestBody, or the page hook (beacon/fetch/XHR). */
  source: z.enum(['webRequest', 'page-hook']),
  truncated: z._default(z.boolean(), false),
});

export const ResponseBodySchema = z.object({
  text: z.string(),
  /** The page's own fetch/XHR read it; for pixels, iframes, beacons and forms the browser withholds it. */
  source: z.enum(['page-hook', 'replay']),
  truncated: z._default(z.boolean(), false),
});

export const CapturedRequestSchema = z.object({
  /** webRequest requestId, unique within one browser run. */
  id: z.string(),
  pageId: z.nullable(z.string()),
  frameId: z.int(),
  /** webRequest resourceType: main_frame, sub_frame, image, xmlhttprequest, ping, script, other … */
  type: z.string(),
  method: z.string(),
  initiator: z.optional(z.string()),
  hops: z.array(HopSchema).check(z.minLength(1)),
  status: z.optional(z.int()),
  statusLine: z.optional(z.string()),
  requestBody: z.optional(RequestBodySchema),
  responseBody: z.optional(ResponseBodySchema),
  /** Selected response headers (content-type, location, set-cookie where the browser shows it …). */
  responseHeaders: z._default(z.array(HeaderSchema), []),
  startedAt: z.number(),
  endedAt: z.optional(z.number()),
  /** net::ERR_BLOCKED_BY_CLIENT, net::ERR_NAME_NOT_RESOLVED, CORS … */
  error: z.optional(z.string()),
  fromCache: z.optional(z.boolean()),
  /** How the page sent it, when the page hook saw it: beacon, fetch, xhr. */
  via: z.optional(z.enum(['beacon', 'fetch', 'xhr'])),
});
export type CapturedRequest = z.infer<typeof CapturedRequestSchema>;

/** One top-level or frame page load. */
export const PageSchema = z.object({
  id: z.string(),
  frameId: z.int(),
  url: z.string(),
  at: z.number(),
  /** webNavigation transitionType: link, typed, form_submit, reload … A form_submit after the id arrived is where a server-side postback usually happens. */
  transition: z.optional(z.string()),
});
export type Page = z.infer<typeof PageSchema>;

/** Where a click id was found stored or carried on a page. */
export const StoragePlaceSchema = z.enum([
  'cookie', // document.cookie or the cookies API (HttpOnly included)
  'set-cookie', // a Set-Cookie response header
  'session-cookie', // a server session cookie (PHPSESSID …) set right after the id arrived: the id may live server-side
  'localStorage',
  'sessionStorage',
  'hidden-input',
  'input',
  'link', // an <a href> carrying the id on
  'form-action',
]);
export type StoragePlace = z.infer<typeof StoragePlaceSchema>;

export const ObservationSchema = z.object({
  pageId: z.nullable(z.string()),
  place: StoragePlaceSchema,
  /** Cookie / storage key / input name / link text. */
  name: z.string(),
  /** The click id value found in it (not the whole stored value when that is large). */
  value: z.string(),
  /** The whole stored value or href, capped. */
  raw: z.string(),
  /** Cookie domain/path, element selector, link href … */
  where: z.string(),
  at: z.number(),
  /** Cookie lifetime: epoch seconds, or null for a session cookie. */
  expires: z.optional(z.nullable(z.number())),
  httpOnly: z.optional(z.boolean()),
});
export type Observation = z.infer<typeof ObservationSchema>;

export const ReplaySchema = z.object({
  id: z.string(),
  at: z.number(),
  request: z.object({
    url: z.string(),
    method: z.enum(['GET', 'POST']),
    body: z.optional(z.string()),
    withCookies: z.boolean(),
  }),
  response: z.nullable(
    z.object({
      status: z.int(),
      statusText: z.string(),
      headers: z.array(HeaderSchema),
      body: z.string(),
      truncated: z.boolean(),
      ms: z.number(),
    }),
  ),
  error: z.optional(z.string()),
  meaning: z.nullable(ResponseMeaningSchema),
});
export type Replay = z.infer<typeof ReplaySchema>;

export const SessionSchema = z.object({
  version: z.literal(SESSION_VERSION),
  id: z.string(),
  tabId: z.int(),
  /** The tab's current top-level URL. */
  url: z.string(),
  title: z.optional(z.string()),
  openedAt: z.number(),
  updatedAt: z.number(),
  /** Set when the tab closed: the session stays in "recent" until cleared. */
  closedAt: z.nullable(z.number()),
  pages: z.array(PageSchema),
  requests: z.array(CapturedRequestSchema),
  observations: z.array(ObservationSchema),
  replays: z.array(ReplaySchema),
  /** What the caps dropped, counted so the panel can say so. */
  dropped: z.object({
    requests: z.int(),
    observations: z.int(),
    replays: z.int(),
  }),
});
export type Session = z.infer<typeof SessionSchema>;

// ---- Derived (computed from a Session by the core, never stored) ----

export const TrailStageNameSchema = z.enum(['arrived', 'stored', 'carried', 'sent', 'answered']);
export type TrailStageName = z.infer<typeof TrailStageNameSchema>;

export const TrailStageSchema = z.object({
  stage: TrailStageNameSchema,
  /** ok: seen; missing: expected and not seen; invisible: may have happened where the browser cannot see (server-side); problem: seen but wrong. */
  state: z.enum(['ok', 'missing', 'invisible', 'problem', 'pending']),
  /** One plain sentence for the card. */
  summary: z.string(),
  /** Ids of the requests / observations that prove it. */
  requestIds: z.array(z.string()),
  observations: z.array(ObservationSchema),
  diagnostics: z.array(DiagnosticSchema),
});
export type TrailStage = z.infer<typeof TrailStageSchema>;

export const TrailSchema = z.object({
  /** The id values of this story: e.g. the Keitaro subid and the HasOffers transaction_id linked through one redirect chain. */
  ids: z.array(
    z.object({
      value: z.string(),
      param: z.string(),
      system: z.string(),
      role: z.string(),
      macro: z.boolean(),
    }),
  ),
  stages: z.array(TrailStageSchema),
  /** Index in `stages` of the first stage that is not ok, or -1. */
  firstBroken: z.int(),
});
export type Trail = z.infer<typeof TrailSchema>;
