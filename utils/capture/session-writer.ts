import type { WxtStorage } from '@wxt-dev/storage';
import { applyEvents, createSession } from '../session/apply-events';
import type { SessionEvent } from '../session/events';
import { modelDeps } from '../session/model-deps';
import { createPreview } from '../session/preview';
import type { Session, Trail } from '../session/schema';
import { buildTrails } from '../session/trail';
import { isCaptureDisabled, readSettings, type Settings } from '../settings';
import {
  chunkOf,
  loadRequests,
  parseIndex,
  parseSessionHeader,
  previewKey,
  removeSessions,
  type SessionIndex,
  type StorageEntry,
  sessionItems,
  sessionKey,
} from '../storage';
import { hostOf } from '../url/host-of';

/**
 * The write-behind queue between browser events and storage. Events wait here for at most
 * `delayMs` so a burst of 1,000 pixels is one read and one write, not 1,000. A flush reads the
 * sessions it needs, applies the events and writes back what changed (utils/storage.ts: the
 * header, the request chunks the events touched, the preview (see DERIVED_MS), the index), one
 * flush at a time, so two events never race on one session.
 */

/** The page a batch of events belongs to: a top-level navigation or document request, else the initiator of a subresource. */
function pageUrlOf(events: SessionEvent[]): string {
  for (const e of events) if (e.type === 'navigation' && e.frameId === 0) return e.url;
  for (const e of events) if (e.type === 'request-start' && e.resourceType === 'main_frame') return e.url;
  for (const e of events) if (e.type === 'request-start') return e.initiator ?? e.url;
  return '';
}

/** Events that make a tab worth a session; the rest only update an existing one. */
function startsSession(e: SessionEvent): boolean {
  switch (e.type) {
    case 'request-start':
    case 'page-request':
    case 'replay':
      return true;
    case 'request-redirect':
      return true;
    case 'observations':
      return e.observations.length > 0;
    default:
      return false;
  }
}

/** A session as just written, with the trails computed for it. */
export interface Written {
  session: Session;
  trails: Trail[];
}

/** A session as the writer last stored it, and the header revision that says so. */
interface Stored {
  session: Session;
  revision: number;
}

/**
 * How many sessions the writer remembers from its own writes. More than one, so two busy tabs do
 * not push each other out at every flush; few, because each can hold 10,000 requests (~8 MB).
 */
const MEMO_SESSIONS = 3;

/**
 * While events keep coming, a session's trails, preview and badge are rebuilt at most this often;
 * the write that leaves nothing waiting rebuilds them at once. Trails are rebuilt from the whole
 * session (~160 ms at 10,000 requests) and the preview is ~200 KB, so rebuilding them at every
 * flush of a burst cost more than the burst's own requests.
 */
export const DERIVED_MS = 1000;

export interface SessionWriter {
  push(event: SessionEvent): void;
  /** Resolves when everything pushed so far is in storage. */
  flush(): Promise<void>;
}

export function createSessionWriter(opts: {
  storage: WxtStorage;
  delayMs?: number;
  onWritten?: (written: Written[]) => void | Promise<void>;
  onError?: (error: unknown) => void;
}): SessionWriter {
  // Long enough that a fast landing's arrival (its request, commit) and the cookie-jar read at its
  // load are one write, not two: 60 ms split them on the lab landings (~40 ms loads), and each write
  // is 3-4 storage calls plus the badge, on the browser's main thread while the next page may load.
  const { storage, delayMs = 150 } = opts;
  let pending: SessionEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();
  /** A write is waiting on the chain; it takes whatever is pending when its turn comes. */
  let queued = false;
  /**
   * The sessions this writer last wrote, by id. Not a record: storage stays the truth. A flush
   * reads every header anyway and uses a memo only while the stored revision is the one it wrote,
   * so a restarted worker (empty memo), a clear, a write by anyone else or a failed write of ours
   * (the memo is taken out before the events are applied) all read the session from storage.
   * Without it a flush would read and parse every chunk of the session to find the requests its
   * events update and to build the trails for the badge and the preview.
   */
  const memo = new Map<string, Stored>();
  /**
   * The session each closed tab left, by tab id (Chromium does not reuse tab ids while it runs).
   * Events can come after the tab closed: a report its page sent as it went, the cookie-jar read it
   * asked for. They go on that session, not into a new live one that no close would ever end. A
   * hint: a restarted worker has none, and such a late event starts a session as before (a replay
   * does not need it: it names the session it came from).
   */
  const closed = new Map<number, string>();
  /** When each session's trails and preview were last rebuilt (a restarted worker rebuilds at its first write). */
  const derived: Derived = { at: new Map(), busy: () => pending.length > 0 };

  // One write at a time and at most one waiting: events that arrive while a write runs join the
  // next batch instead of queueing a write each. Queueing a write per timer tick made a burst's
  // writes pile up faster than they ran (each rewrites a growing session), and an export waiting
  // for them took a minute after a 1,000-pixel burst.
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queued) return chain;
    queued = true;
    chain = chain
      .then(() => {
        queued = false;
        const batch = pending;
        pending = [];
        return batch.length === 0
          ? undefined
          : write(storage, batch, { memo, closed }, derived, opts.onWritten);
      })
      .catch((error) => opts.onError?.(error));
    return chain;
  };

  return {
    push(event) {
      pending.push(event);
      timer ??= setTimeout(schedule, delayMs);
    },
    flush: schedule,
  };
}

/**
 * The sessions a batch needs (its tabs' live ones, a recent one a replay names), as stored: each
 * header read (`read` has those read already), the requests from the memo or the chunks.
 */
async function loadLive(
  storage: WxtStorage,
  ids: string[],
  memo: Map<string, Stored>,
  read: Map<string, unknown>,
) {
  const loaded = new Map<string, Stored>();
  const keys = ids.map(sessionKey);
  const unread = keys.filter((key) => !read.has(key));
  for (const item of unread.length ? await storage.getItems(unread) : []) read.set(item.key, item.value);
  for (const key of keys) {
    const header = parseSessionHeader(read.get(key));
    if (!header) continue;
    const known = memo.get(header.id);
    // Out of the memo until its write succeeds: the events are applied to this very object.
    memo.delete(header.id);
    const session = known?.revision === header.revision ? known.session : await loadRequests(header, storage);
    if (session) loaded.set(header.id, { session, revision: header.revision });
  }
  return loaded;
}

/** When to rebuild a session's trails and preview: see DERIVED_MS. */
interface Derived {
  at: Map<string, number>;
  /** More events are waiting for the next write. */
  busy(): boolean;
}

async function write(
  storage: WxtStorage,
  batch: SessionEvent[],
  { memo, closed }: { memo: Map<string, Stored>; closed: Map<number, string> },
  derived: Derived,
  onWritten?: (written: Written[]) => void | Promise<void>,
) {
  // One storage.local.get for all: each API call is work on the browser's main thread. With the
  // headers of the sessions this writer last wrote, which are most often the ones the batch needs
  // (a live tab's next events); any other is read once the index says which.
  const [rawIndex, rawSettings, ...headers] = await storage.getItems([
    'local:index',
    'local:settings',
    ...[...memo.keys()].map(sessionKey),
  ]);
  const read = new Map(headers.map((item) => [item.key, item.value]));
  const index: SessionIndex = parseIndex(rawIndex?.value ?? undefined);
  const indexBefore = JSON.stringify(index);
  const settings: Settings = readSettings(rawSettings?.value);
  /** The session a tab's events go on: its live one, or the one it left as it closed (while still kept). */
  const tabSession = (tab: number) => {
    const left = closed.get(tab);
    return index.live[String(tab)] ?? (left !== undefined && index.recent.includes(left) ? left : undefined);
  };
  // Events go on their tab's session, except a replay from another session: a recent one (its tab
  // closed, and a restarted worker no longer knows which session the tab left) takes it itself.
  const groups = new Map<
    string,
    { tabId: number; id: string | undefined; events: SessionEvent[]; fixed?: boolean }
  >();
  for (const e of batch) {
    const own = tabSession(e.tabId);
    const from = e.type === 'replay' ? e.sessionId : undefined;
    if (from !== undefined && from !== own && !index.recent.includes(from)) continue; // cleared meanwhile
    const fixed = from !== undefined && from !== own;
    const key = fixed ? `session ${from}` : `tab ${e.tabId}`;
    const group = groups.get(key) ?? { tabId: e.tabId, id: fixed ? from : own, events: [], fixed };
    group.events.push(e);
    groups.set(key, group);
  }
  const ids = [...groups.values()].flatMap((g) => (g.id === undefined ? [] : [g.id]));
  const sessions = await loadLive(storage, ids, memo, read);

  const writes: StorageEntry[] = [];
  const removed: string[] = [];
  const touched: Written[] = [];
  const remember: Stored[] = [];
  for (const { tabId, id, events, fixed } of groups.values()) {
    const stored = id ? sessions.get(id) : undefined;
    let session = stored?.session;
    if (fixed && !session) continue; // the session it was replayed from is gone or unreadable: no new one
    const late = session !== undefined && index.live[String(tabId)] !== session.id;
    const closing = !late && events.some((e) => e.type === 'tab-closed');
    // Capture switched off for the page's site: nothing is recorded, not even a new session.
    const pageHost = hostOf(session?.url ?? '', 'hostname') || hostOf(pageUrlOf(events), 'hostname');
    if (pageHost && isCaptureDisabled(settings, pageHost)) continue;
    if (!session) {
      const first = events.find(startsSession);
      if (!first) continue;
      session = createSession(tabId, first.at, first.type === 'request-start' ? first.url : '');
      index.live[String(tabId)] = session.id;
    }
    const changed = new Set<number>();
    applyEvents(session, events, settings.caps, modelDeps, changed);
    const revision = (stored?.revision ?? 0) + 1;
    writes.push(...sessionItems(session, revision, [...changed].map(chunkOf)));
    // Trails for the badge and the panel's first paint: at the end of a burst, or once a DERIVED_MS during it.
    const now = Date.now();
    // A closed tab's session is not written again after a late event: its preview is rebuilt now.
    if (closing || late || !derived.busy() || now - (derived.at.get(session.id) ?? 0) >= DERIVED_MS) {
      const trails = buildTrails(session);
      writes.push({ key: previewKey(session.id), value: createPreview(session, trails) });
      touched.push({ session, trails });
      derived.at.set(session.id, now);
    }
    if (closing) {
      delete index.live[String(tabId)];
      index.recent = [session.id, ...index.recent.filter((id) => id !== session.id)];
      removed.push(...index.recent.splice(settings.caps.recentSessions));
      if (closed.size >= 100) closed.clear();
      closed.set(tabId, session.id);
    } else if (!late) {
      // Only live sessions are written again: a closed tab's is not worth the memory.
      remember.push({ session, revision });
    }
  }
  // Nothing of ours in this batch (navigations of tabs without a session): no write at all.
  if (writes.length === 0 && JSON.stringify(index) === indexBefore) return;
  writes.push({ key: 'local:index', value: index });
  // One storage.local.set for everything (WXT's setItems groups by area): a flush lands whole or not at all.
  await storage.setItems(writes);
  for (const s of remember) memo.set(s.session.id, s);
  for (const id of removed) derived.at.delete(id);
  // Live sessions are few; a closed tab's entry is dropped with the oldest once there are many.
  for (const id of derived.at.keys()) if (derived.at.size > 50) derived.at.delete(id);
  // Oldest first: a session leaves the memo when it is read and comes back when it is written.
  for (const id of memo.keys()) if (memo.size > MEMO_SESSIONS) memo.delete(id);
  await removeSessions(removed, storage);
  await onWritten?.(touched);
}
