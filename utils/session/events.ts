import { z } from 'zod';
import { HeaderSchema, ObservationSchema, ReplaySchema } from './schema';

/**
 * What the background hands to the session model. Each browser event becomes one of these plain
 * values, so the model is a pure function `(session, event) → session` tested without a browser.
 */

const base = { tabId: z.number().int(), at: z.number() };

export const SessionEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('request-start'),
    ...base,
    id: z.string(),
    frameId: z.number().int(),
    resourceType: z.string(),
    method: z.string(),
    url: z.string(),
    initiator: z.string().optional(),
    body: z.string().optional(),
    bodyTruncated: z.boolean().optional(),
    /** Earlier hops, when the request only became ours at a redirect. */
    previousUrls: z.array(z.string()).optional(),
  }),
  z.object({
    type: z.literal('request-redirect'),
    ...base,
    id: z.string(),
    url: z.string(),
    redirectUrl: z.string(),
    status: z.number().int(),
    frameId: z.number().int(),
    resourceType: z.string(),
    method: z.string(),
  }),
  z.object({
    type: z.literal('request-headers'),
    ...base,
    id: z.string(),
    status: z.number().int(),
    statusLine: z.string().optional(),
    headers: z.array(HeaderSchema),
  }),
  z.object({
    type: z.literal('request-complete'),
    ...base,
    id: z.string(),
    status: z.number().int(),
    fromCache: z.boolean().optional(),
  }),
  z.object({ type: z.literal('request-error'), ...base, id: z.string(), error: z.string() }),
  z.object({
    type: z.literal('navigation'),
    ...base,
    frameId: z.number().int(),
    url: z.string(),
    transition: z.string().optional(),
  }),
  z.object({ type: z.literal('title'), ...base, title: z.string() }),
  z.object({
    type: z.literal('observations'),
    ...base,
    frameId: z.number().int(),
    observations: z.array(ObservationSchema.omit({ pageId: true })),
  }),
  z.object({
    type: z.literal('page-request'),
    ...base,
    via: z.enum(['beacon', 'fetch', 'xhr']),
    url: z.string(),
    method: z.string(),
    body: z.string().optional(),
    response: z.object({ status: z.number().int(), body: z.string() }).optional(),
  }),
  z.object({ type: z.literal('replay'), ...base, replay: ReplaySchema }),
  z.object({ type: z.literal('tab-closed'), ...base }),
]);
export type SessionEvent = z.infer<typeof SessionEventSchema>;
