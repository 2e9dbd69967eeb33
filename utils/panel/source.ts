import type { Message, Reply } from '../messages';
import type { Session } from '../session/schema';
import type { Settings } from '../settings';
import { DEFAULT_SETTINGS } from '../settings';
import type { SessionIndex } from '../storage';
import { EMPTY_INDEX } from '../storage';

/**
 * Everything the panel store reads and sends, as one injected object: the extension's storage
 * and runtime in the popup (`createExtensionSource`), plain values in tests and benchmarks
 * (`createStaticSource`). Values arrive parsed; a source never throws at the store.
 */
export interface PanelSource {
  loadIndex(): Promise<SessionIndex>;
  loadSession(id: string): Promise<Session | null>;
  /** A small first-paint copy of the session (newest requests, precomputed trails), when the source keeps one. */
  loadPreview?(id: string): Promise<Session | null>;
  loadSettings(): Promise<Settings>;
  watchIndex(cb: (index: SessionIndex) => void): () => void;
  watchSession(id: string, cb: (session: Session | null) => void): () => void;
  watchSettings(cb: (settings: Settings) => void): () => void;
  send<T = unknown>(message: Message): Promise<Reply<T>>;
}

export interface StaticSourceInit {
  sessions: Session[];
  settings?: Settings;
  index?: SessionIndex;
  /** Answers to messages; default: `{ok:false}` for everything. */
  send?: (message: Message) => Promise<Reply<unknown>>;
}

/** A source over plain values, for tests and for rendering the panel from a given session. */
export function createStaticSource(init: StaticSourceInit): PanelSource & {
  /** Replace a session and tell its watchers, as storage would. */
  update(session: Session): void;
  sent: Message[];
} {
  const sessions = new Map(init.sessions.map((s) => [s.id, s]));
  const index: SessionIndex = init.index ?? {
    ...EMPTY_INDEX,
    live: Object.fromEntries(
      init.sessions.filter((s) => s.closedAt === null).map((s) => [String(s.tabId), s.id]),
    ),
    recent: init.sessions.filter((s) => s.closedAt !== null).map((s) => s.id),
  };
  const watchers = new Map<string, Set<(s: Session | null) => void>>();
  const sent: Message[] = [];
  return {
    sent,
    loadIndex: async () => index,
    loadSession: async (id) => sessions.get(id) ?? null,
    loadSettings: async () => init.settings ?? DEFAULT_SETTINGS,
    watchIndex: () => () => {},
    watchSettings: () => () => {},
    watchSession(id, cb) {
      const set = watchers.get(id) ?? new Set();
      watchers.set(id, set);
      set.add(cb);
      return () => set.delete(cb);
    },
    update(session) {
      sessions.set(session.id, session);
      for (const cb of watchers.get(session.id) ?? []) cb(session);
    },
    async send<T>(message: Message) {
      sent.push(message);
      return ((await init.send?.(message)) ?? { ok: false, error: 'not available' }) as Reply<T>;
    },
  };
}
