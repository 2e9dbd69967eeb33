import { z } from 'zod';
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
  status: z.number().int().optional(),
  at: z.number(),
  recognition: RecognitionSchema.nullable(),
});
export type Hop = z.infer<typeof HopSchema>;

export const RequestBodySchema = z.object({
  /** Decoded text of the body (form fields joined as a query string), capped. */
  text: z.string(),
  /** Where the body came from: webRequest's requestBody, or the page hook (beacon/fetch/XHR). */
  source: z.enum(['webRequest', 'page-hook']),
  truncated: z.boolean().default(false),
});

export const ResponseBodySchema = z.object({
  text: z.string(),
  /** The page's own fetch/XHR read it; for pixels, iframes, beacons and forms the browser withholds it. */
  source: z.enum(['page-hook', 'replay']),
  truncated: z.boolean().default(false),
});

export const CapturedRequestSchema = z.object({
  /** webRequest requestId, unique within one browser run. */
  id: z.string(),
  pageId: z.string().nullable(),
  frameId: z.number().int(),
  /** webRequest resourceType: main_frame, sub_frame, image, xmlhttprequest, ping, script, other … */
  type: z.string(),
  method: z.string(),
  initiator: z.string().optional(),
  hops: z.array(HopSchema).min(1),
  status: z.number().int().optional(),
  statusLine: z.string().optional(),
  requestBody: RequestBodySchema.optional(),
  responseBody: ResponseBodySchema.optional(),
  /** Selected response headers (content-type, location, set-cookie where the browser shows it …). */
  responseHeaders: z.array(HeaderSchema).default([]),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** net::ERR_BLOCKED_BY_CLIENT, net::ERR_NAME_NOT_RESOLVED, CORS … */
  error: z.string().optional(),
  fromCache: z.boolean().optional(),
  /** How the page sent it, when the page hook saw it: beacon, fetch, xhr. */
  via: z.enum(['beacon', 'fetch', 'xhr']).optional(),
});
export type CapturedRequest = z.infer<typeof CapturedRequestSchema>;

/** One top-level or frame page load. */
export const PageSchema = z.object({
  id: z.string(),
  frameId: z.number().int(),
  url: z.string(),
  at: z.number(),
  /** webNavigation transitionType: link, typed, form_submit, reload … A form_submit after the id arrived is where a server-side postback usually happens. */
  transition: z.string().optional(),
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
  pageId: z.string().nullable(),
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
  expires: z.number().nullable().optional(),
  httpOnly: z.boolean().optional(),
});
export type Observation = z.infer<typeof ObservationSchema>;

export const ReplaySchema = z.object({
  id: z.string(),
  at: z.number(),
  request: z.object({
    url: z.string(),
    method: z.enum(['GET', 'POST']),
    body: z.string().optional(),
    withCookies: z.boolean(),
  }),
  response: z
    .object({
      status: z.number().int(),
      statusText: z.string(),
      headers: z.array(HeaderSchema),
      body: z.string(),
      truncated: z.boolean(),
      ms: z.number(),
    })
    .nullable(),
  error: z.string().optional(),
  meaning: ResponseMeaningSchema.nullable(),
});
export type Replay = z.infer<typeof ReplaySchema>;

export const SessionSchema = z.object({
  version: z.literal(SESSION_VERSION),
  id: z.string(),
  tabId: z.number().int(),
  /** The tab's current top-level URL. */
  url: z.string(),
  title: z.string().optional(),
  openedAt: z.number(),
  updatedAt: z.number(),
  /** Set when the tab closed: the session stays in "recent" until cleared. */
  closedAt: z.number().nullable(),
  pages: z.array(PageSchema),
  requests: z.array(CapturedRequestSchema),
  observations: z.array(ObservationSchema),
  replays: z.array(ReplaySchema),
  /** What the caps dropped, counted so the panel can say so. */
  dropped: z.object({
    requests: z.number().int(),
    observations: z.number().int(),
    replays: z.number().int(),
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
  firstBroken: z.number().int(),
});
export type Trail = z.infer<typeof TrailSchema>;
