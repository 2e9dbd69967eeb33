import type { WxtStorage } from '@wxt-dev/storage';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod/mini';
import type { Session } from './session/schema';
import { readSettings, type Settings } from './settings';
import {
  chunkKeys,
  joinSession,
  parseSessionHeader,
  type SessionHeader,
  sessionKey,
  storedKeysOf,
} from './stored-session';

export {
  chunkOf,
  parseSessionHeader,
  previewKey,
  REQUESTS_PER_CHUNK,
  requestsKey,
  type SessionHeader,
  type SessionKey,
  type StorageEntry,
  sessionItems,
  sessionKey,
} from './stored-session';

/**
 * Every storage item of the extension, in one place. Storage is the truth: the service worker
 * keeps nothing between events, the panel is a view of these items. Versions live in the Zod
 * schemas (`Session.version`), so an old record fails to parse instead of being misread.
 * A session is a header and chunks of its requests; their layout is in utils/stored-session.ts,
 * apart because it is pure: the bench seeds storage with it from Node, where this file cannot be
 * loaded (WXT reads an item as soon as it is defined).
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

export function parseIndex(raw: unknown): SessionIndex {
  const parsed = IndexSchema.safeParse(raw);
  // A fresh object: callers add to it, and a shared constant would carry one caller's tabs to the next.
  return parsed.success ? parsed.data : { live: {}, recent: [] };
}

/** The whole session of a header: its chunks read and checked (storage errors are thrown). */
export async function loadRequests(
  header: SessionHeader,
  store: WxtStorage = storage,
): Promise<Session | null> {
  const keys = chunkKeys(header.id, header.requestCount);
  const chunks = keys.length ? await store.getItems(keys) : [];
  return joinSession(
    header,
    chunks.map((c) => c.value),
  );
}

/**
 * A whole stored session (header and every chunk), or null when any part is missing or not of the
 * current schema. Never throws: every reader (export, badges, the panel) takes null as "missing".
 */
export async function loadSession(id: string, store: WxtStorage = storage): Promise<Session | null> {
  try {
    const header = parseSessionHeader(await store.getItem(sessionKey(id)));
    return header && (await loadRequests(header, store));
  } catch {
    return null;
  }
}

/** Remove sessions with everything stored for them: header, chunks and preview. */
export async function removeSessions(ids: string[], store: WxtStorage = storage): Promise<void> {
  if (ids.length === 0) return;
  const headers = await store.getItems(ids.map(sessionKey));
  await store.removeItems(ids.flatMap((id, i) => storedKeysOf(id, headers[i]?.value)));
}

export async function loadSettings(): Promise<Settings> {
  return readSettings(await settingsItem.getValue());
}

export async function loadIndex(): Promise<SessionIndex> {
  return parseIndex(await indexItem.getValue());
}
