import { z } from 'zod/mini';
import { type CapturedRequest, CapturedRequestSchema, type Session, SessionSchema } from './session/schema';

/**
 * How a session is stored: in pieces, so that a write costs what changed rather than what the
 * session holds (10,000 requests are ~8 MB; reading, parsing and rewriting all of it at every
 * flush cost a page firing 1,000 pixels ~5 s of its 12.5 s). The header at `session:ID` is the
 * session without its requests, plus their count and a revision bumped by every write; the
 * requests are in chunks at `requests:ID:K`, chunk K holding requests K·REQUESTS_PER_CHUNK
 * onwards. Requests are only ever appended, so a write rewrites the header, the chunks whose
 * requests changed and the tail.
 * The in-memory `Session` stays one object; only the storage layer splits and joins it.
 *
 * Pure (no browser), so the bench seeds storage from Node with the same `sessionItems`;
 * utils/storage.ts does the reading and removing, and re-exports this.
 *
 * A version-1 record (the whole session at `session:ID`) has neither `requestCount` nor
 * `revision`, so it fails to parse as a header instead of being misread, and `SESSION_VERSION`
 * stays what the export says it is.
 */

export const SessionHeaderSchema = z.extend(z.omit(SessionSchema, { requests: true }), {
  requestCount: z.int().check(z.nonnegative()),
  /** Bumped by every write: the panel watches this key alone, and the writer checks its memo against it. */
  revision: z.int(),
});
export type SessionHeader = z.infer<typeof SessionHeaderSchema>;

/**
 * ~200 KB at ~800 bytes a request, about what the preview written with each flush weighs. A
 * flush's events touch the newest few chunks (new requests, the answers to recent ones), so
 * little is rewritten beyond what changed, and a whole 10,000-request session is still read as
 * 40 keys. Changing it moves requests to other chunks: chunks written before then fail the length
 * check (missing), they are not misread.
 */
export const REQUESTS_PER_CHUNK = 250;
export const RequestChunkSchema = z.array(CapturedRequestSchema);

export type SessionKey = `local:session:${string}`;
export const sessionKey = (id: string): SessionKey => `local:session:${id}`;
export const requestsKey = (id: string, chunk: number): `local:requests:${string}` =>
  `local:requests:${id}:${chunk}`;
/** The panel's first-paint copy of a session (utils/session/preview.ts), written with it. */
export const previewKey = (id: string): `local:preview:${string}` => `local:preview:${id}`;

export const chunkOf = (requestIndex: number): number => Math.floor(requestIndex / REQUESTS_PER_CHUNK);
const allChunks = (requestCount: number) =>
  Array.from({ length: Math.ceil(requestCount / REQUESTS_PER_CHUNK) }, (_, k) => k);
export const chunkKeys = (id: string, requestCount: number) =>
  allChunks(requestCount).map((k) => requestsKey(id, k));

export interface StorageEntry {
  key: `local:${string}`;
  value: unknown;
}

/**
 * What stores `session` as of `revision`: its header and the chunks listed (all of them when none
 * are given). The writer passes the chunks it changed; seeding a whole session passes none.
 */
export function sessionItems(session: Session, revision: number, chunks?: Iterable<number>): StorageEntry[] {
  const { requests, ...rest } = session;
  const header: SessionHeader = { ...rest, requestCount: requests.length, revision };
  const wanted = chunks ? [...new Set(chunks)].sort((a, b) => a - b) : allChunks(requests.length);
  return [
    { key: sessionKey(session.id), value: header },
    ...wanted.map((k) => ({
      key: requestsKey(session.id, k),
      value: requests.slice(k * REQUESTS_PER_CHUNK, (k + 1) * REQUESTS_PER_CHUNK),
    })),
  ];
}

/** A stored session header, or null when missing or not of the current schema (never thrown at the caller). */
export function parseSessionHeader(raw: unknown): SessionHeader | null {
  const parsed = SessionHeaderSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The session of a header and the stored values of its chunks (in order), each checked; null when one is missing or malformed. */
export function joinSession(header: SessionHeader, chunks: unknown[]): Session | null {
  const requests: CapturedRequest[] = [];
  for (const [k, raw] of chunks.entries()) {
    const chunk = RequestChunkSchema.safeParse(raw);
    const expected = Math.min(REQUESTS_PER_CHUNK, header.requestCount - k * REQUESTS_PER_CHUNK);
    // A reader may see the tail of a write that landed after it read the header: the header's
    // count says how many belong to it (requests are only appended).
    if (!chunk.success || chunk.data.length < expected) return null;
    requests.push(...chunk.data.slice(0, expected));
  }
  const { requestCount: _count, revision: _revision, ...session } = header;
  return { ...session, requests };
}

/** Removal needs only the count, and must also clear a header that no longer parses as a whole. */
const RequestCountSchema = z.object({ requestCount: z.int().check(z.nonnegative()) });

/** Every key stored for a session, from the raw value of its header: header, preview, chunks. */
export function storedKeysOf(id: string, rawHeader: unknown): Array<`local:${string}`> {
  const counted = RequestCountSchema.safeParse(rawHeader);
  return [sessionKey(id), previewKey(id), ...chunkKeys(id, counted.success ? counted.data.requestCount : 0)];
}
