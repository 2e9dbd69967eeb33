import { z } from 'zod/mini';
import { HeaderSchema, ObservationSchema, ReplaySchema } from './schema';

/**
 * What the background hands to the session model. Each browser event becomes one of these plain
 * values, so the model is a pure function `(session, event) → session` tested without a browser.
 */

const base = { tabId: z.int(), at: z.number() };

export const SessionEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('request-start'),
    ...base,
    id: z.string(),
    frameId: z.int(),
    resourceType: z.string(),
    method: z.string(),
    url: z.string(),
    initiator: z.optional(z.string()),
    body: z.optional(z.string()),
    bodyTruncated: z.optional(z.boolean()),
    /** Earlier hops, when the request only became ours at a redirect. */
    previousUrls: z.optional(z.array(z.string())),
  }),
  z.object({
    type: z.literal('request-redirect'),
    ...base,
    id: z.string(),
    url: z.string(),
    redirectUrl: z.string(),
    status: z.int(),
    frameId: z.int(),
    resourceType: z.string(),
    method: z.string(),
  }),
  z.object({
    type: z.literal('request-headers'),
    ...base,
    id: z.string(),
    status: z.int(),
    statusLine: z.optional(z.string()),
    headers: z.array(HeaderSchema),
  }),
  z.object({
    type: z.literal('request-complete'),
    ...base,
    id: z.string(),
    status: z.int(),
    fromCache: z.optional(z.boolean()),
  }),
  z.object({ type: z.literal('request-error'), ...base, id: z.string(), error: z.string() }),
  z.object({
    type: z.literal('navigation'),
    ...base,
    frameId: z.int(),
    url: z.string(),
    transition: z.optional(z.string()),
  }),
  z.object({ type: z.literal('title'), ...base, title: z.string() }),
  z.object({
    type: z.literal('observations'),
    ...base,
    frameId: z.int(),
    /** The URL of the document they were found on, where known: the page they belong to, even once the tab has moved on. */
    pageUrl: z.optional(z.string()),
    observations: z.array(z.omit(ObservationSchema, { pageId: true })),
  }),
  z.object({
    type: z.literal('page-request'),
    ...base,
    via: z.enum(['beacon', 'fetch', 'xhr']),
    url: z.string(),
    method: z.string(),
    body: z.optional(z.string()),
    response: z.optional(z.object({ status: z.int(), body: z.string() })),
  }),
  z.object({
    type: z.literal('replay'),
    ...base,
    /** The session it was replayed from: it goes there, also when that tab has closed (its session is a recent one). */
    sessionId: z.optional(z.string()),
    replay: ReplaySchema,
  }),
  z.object({ type: z.literal('tab-closed'), ...base }),
]);
export type SessionEvent = z.infer<typeof SessionEventSchema>;
