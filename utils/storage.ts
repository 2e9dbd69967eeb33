import { storage } from 'wxt/utils/storage';
import { z } from 'zod/mini';
import { type Session, SessionSchema } from './session/schema';
import { readSettings, type Settings } from './settings';

/**
 * Every storage item of the extension, in one place. Storage is the truth: the service worker
 * keeps nothing between events, the panel is a view of these items. Versions live in the Zod
 * schemas (`Session.version`), so an old record fails to parse instead of being misread.
 */

export const IndexSchema = z.object({
  /** tabId (as string) → the id of the tab's live session. */
  live: z.record(z.string(), z.string()),
  /** Ids of sessions whose tab closed, newest first. */
  recent: z.array(z.string()),
});
export type SessionIndex = z.infer<typeof IndexSchema>;
export const EMPTY_INDEX: SessionIndex = { live: {}, recent: [] };

export const indexItem = storage.defineItem<SessionIndex>('local:index', { fallback: EMPTY_INDEX });
export const settingsItem = storage.defineItem<Settings | null>('local:settings', { fallback: null });

export type SessionKey = `local:session:${string}`;
export const sessionKey = (id: string): SessionKey => `local:session:${id}`;
/** The panel's first-paint copy of a session (utils/session/preview.ts), written with it. */
export const previewKey = (id: string): `local:preview:${string}` => `local:preview:${id}`;

export function parseIndex(raw: unknown): SessionIndex {
  const parsed = IndexSchema.safeParse(raw);
  // A fresh object: callers add to it, and a shared constant would carry one caller's tabs to the next.
  return parsed.success ? parsed.data : { live: {}, recent: [] };
}

/** A stored session, or null when missing or not of the current schema (never thrown at the caller). */
export function parseSession(raw: unknown): Session | null {
  const parsed = SessionSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export async function loadSettings(): Promise<Settings> {
  return readSettings(await settingsItem.getValue());
}

export async function loadIndex(): Promise<SessionIndex> {
  return parseIndex(await indexItem.getValue());
}

export async function loadSession(id: string): Promise<Session | null> {
  return parseSession(await storage.getItem(sessionKey(id)));
}
