import { z } from 'zod/mini';
import { ObservationSchema } from './session/schema';

/**
 * Every message between the extension's contexts, as one schema checked on receipt.
 * Other extensions and pages do send stray messages: anything that does not parse is ignored.
 */

const MAX_TEXT = 64 * 1024;
const text = z.string().check(z.maxLength(MAX_TEXT));

/** Page watch → background (through the page channel, or Firefox's content script): where the page keeps a click id. */
export const ObservationsMessageSchema = z.object({
  type: z.literal('observations'),
  pageUrl: z.string().check(z.maxLength(8192)),
  /** The click ids the page looked for: the background checks the cookie jar (HttpOnly included) for them. */
  ids: z._default(z.array(z.string().check(z.maxLength(512))).check(z.maxLength(50)), []),
  observations: z.array(z.omit(ObservationSchema, { pageId: true })).check(z.maxLength(500)),
});

/** Page (the MAIN-world hook, through the page channel) → background: a beacon/fetch/XHR to a tracker URL, with its body. */
export const PageRequestMessageSchema = z.object({
  type: z.literal('page-request'),
  via: z.enum(['beacon', 'fetch', 'xhr']),
  url: z.string().check(z.maxLength(16_384)),
  method: z.string().check(z.maxLength(16)),
  body: z.optional(text),
  response: z.optional(z.object({ status: z.int(), body: text })),
  at: z.number(),
});

/** Panel/tests → background: the session in the export format. Either a live tab or a stored session. */
export const ExportMessageSchema = z.object({
  type: z.literal('export-session'),
  tabId: z.optional(z.int()),
  sessionId: z.optional(z.string().check(z.maxLength(200))),
});

/** Panel → background: send a rebuilt postback. Only ever on an explicit user action. */
export const ReplayMessageSchema = z.object({
  type: z.literal('replay'),
  sessionId: z.string().check(z.maxLength(200)),
  url: z.string().check(z.maxLength(16_384)),
  method: z.enum(['GET', 'POST']),
  body: z.optional(text),
  withCookies: z.boolean(),
});

export const ClearMessageSchema = z.object({
  type: z.literal('clear-sessions'),
  /** Only this session, or all when absent. */
  sessionId: z.optional(z.string().check(z.maxLength(200))),
});

/** Panel → background: the panel opened on this tab; the background asks the tab's content script to read the page again. */
export const RescanMessageSchema = z.object({
  type: z.literal('rescan-tab'),
  tabId: z.int(),
});

export const MessageSchema = z.discriminatedUnion('type', [
  ObservationsMessageSchema,
  PageRequestMessageSchema,
  ExportMessageSchema,
  ReplayMessageSchema,
  ClearMessageSchema,
  RescanMessageSchema,
]);
export type Message = z.infer<typeof MessageSchema>;

export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: string };

/** Parse an incoming message; null for anything that is not ours. Never throws. */
export function parseMessage(raw: unknown): Message | null {
  const parsed = MessageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
