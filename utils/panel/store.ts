import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Diagnostic } from '../recognize/schema';
import type { Replay, Session, Trail } from '../session/schema';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { EMPTY_INDEX, type SessionIndex } from '../storage';
import {
  allDiagnostics,
  groupByPage,
  type LocatedDiagnostic,
  type PageGroup,
  type SearchResult,
  searchSession,
} from './derive';
import { memoByRef } from './memo';
import { precomputed } from './precomputed';
import type { PanelSource } from './source';
import type { PanelTarget } from './target';

/**
 * The panel's Zustand store: a VIEW of extension storage (the session, the index, the settings),
 * kept live by storage watches while the panel is open, plus UI state (view, search, selection,
 * builder input, replay comparison). Nothing here is a record: closing the panel loses only UI state.
 */

export type PanelView = 'trail' | 'requests' | 'diagnostics' | 'builder' | 'replays' | 'recent';

export interface RecentSummary {
  id: string;
  url: string;
  title?: string;
  closedAt: number | null;
  requests: number;
}

export interface BuilderInput {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  /** Where it came from, for the heading; the URL is the builder's single source of truth. */
  origin: 'capture' | 'paste' | 'template' | 'trail' | 'replay';
}

/** Derivations from the core, injected so the store is tested without the real recogniser. */
export interface PanelDerive {
  buildTrails: (session: Session) => Trail[];
  diagnoseSession: (session: Session, trails?: Trail[]) => Diagnostic[];
  diagnoseUrl: (url: string) => Diagnostic[];
}

export interface PanelState {
  target: PanelTarget | null;
  status: 'idle' | 'loading' | 'ready' | 'missing' | 'error';
  error: string | null;
  index: SessionIndex;
  sessionId: string | null;
  session: Session | null;
  settings: Settings;
  recent: RecentSummary[];
  view: PanelView;
  query: string;
  selected: { requestId: string; hop: number | null } | null;
  builder: BuilderInput | null;
  withCookies: boolean;
  replayBusy: boolean;
  replayError: string | null;
  lastReplayId: string | null;
  compare: string[];
  notice: string | null;

  init(target: PanelTarget | null): Promise<void>;
  dispose(): void;
  openSession(id: string): Promise<void>;
  loadRecent(): Promise<void>;
  setView(view: PanelView): void;
  setQuery(query: string): void;
  select(requestId: string, hop?: number | null): void;
  openBuilder(input: BuilderInput): void;
  setBuilder(patch: Partial<BuilderInput>): void;
  setWithCookies(on: boolean): void;
  replay(): Promise<Replay | null>;
  toggleCompare(replayId: string): void;
  clear(scope: 'session' | 'all'): Promise<void>;
  exportJson(): Promise<unknown | null>;
  notify(text: string | null): void;
}

export type PanelStore = StoreApi<PanelState>;

export interface PanelStoreOptions {
  /**
   * What a whole session waits for before it is shown (the core's derivations, when they load
   * after the first paint). A preview is shown without waiting: it brings its trails and findings.
   */
  ready?: Promise<unknown>;
}

export function createPanelStore(source: PanelSource, opts: PanelStoreOptions = {}): PanelStore {
  let unwatch: (() => void)[] = [];
  let unwatchSession: (() => void) | null = null;

  return createStore<PanelState>()((set, get) => {
    const showSession = async (id: string | null) => {
      unwatchSession?.();
      unwatchSession = null;
      if (!id) {
        set({ sessionId: null, session: null, status: 'missing', selected: null });
        return;
      }
      set({ sessionId: id, status: get().session?.id === id ? 'ready' : 'loading' });
      // First paint from the preview (small whatever the session's size), then the whole session behind it.
      let previewed = false;
      if (source.loadPreview && get().session?.id !== id) {
        const preview = await source.loadPreview(id);
        if (get().sessionId !== id) return;
        if (preview) set({ session: preview, status: 'ready', selected: null, compare: [] });
        previewed = preview !== null;
      }
      const [session] = await Promise.all([source.loadSession(id), opts.ready]);
      if (get().sessionId !== id) return; // another target won meanwhile
      // After a preview, keep what the user already selected in it.
      set(
        session
          ? { session, status: 'ready', ...(previewed ? {} : { selected: null, compare: [] }) }
          : { session: null, status: 'missing' },
      );
      unwatchSession = source.watchSession(id, (s) => {
        if (get().sessionId !== id) return;
        set(s ? { session: s, status: 'ready' } : { session: null, status: 'missing' });
      });
    };

    const idFor = (target: PanelTarget | null, index: SessionIndex): string | null => {
      if (!target) return null;
      if ('sessionId' in target) return target.sessionId;
      return index.live[String(target.tabId)] ?? null;
    };

    return {
      target: null,
      status: 'idle',
      error: null,
      index: EMPTY_INDEX,
      sessionId: null,
      session: null,
      settings: DEFAULT_SETTINGS,
      recent: [],
      view: 'trail',
      query: '',
      selected: null,
      builder: null,
      withCookies: false,
      replayBusy: false,
      replayError: null,
      lastReplayId: null,
      compare: [],
      notice: null,

      async init(target) {
        get().dispose();
        set({ target, status: 'loading', error: null });
        try {
          const [index, settings] = await Promise.all([source.loadIndex(), source.loadSettings()]);
          set({ index, settings });
          unwatch.push(
            source.watchIndex((next) => {
              set({ index: next });
              const t = get().target;
              // A tab's live session changes when it is cleared or the tab starts over.
              if (t && 'tabId' in t) {
                const id = idFor(t, next);
                if (id !== get().sessionId) void showSession(id);
              }
              if (get().view === 'recent') void get().loadRecent();
            }),
            source.watchSettings((s) => set({ settings: s })),
          );
          await showSession(idFor(target, index));
          // Have the tab read where its page keeps the click id now, not only when it loaded; the
          // answer arrives through the session watch set up above.
          if (target && 'tabId' in target) void source.send({ type: 'rescan-tab', tabId: target.tabId });
        } catch (e) {
          set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
        }
      },

      dispose() {
        for (const u of unwatch) u();
        unwatch = [];
        unwatchSession?.();
        unwatchSession = null;
      },

      async openSession(id) {
        set({ target: { sessionId: id }, view: 'trail', query: '' });
        await showSession(id);
      },

      async loadRecent() {
        const ids = get().index.recent;
        const out: RecentSummary[] = [];
        for (const id of ids) {
          const s = id === get().session?.id ? get().session : await source.loadSession(id);
          if (s)
            out.push({ id, url: s.url, title: s.title, closedAt: s.closedAt, requests: s.requests.length });
        }
        set({ recent: out });
      },

      setView(view) {
        set({ view });
        if (view === 'recent') void get().loadRecent();
      },
      setQuery: (query) => set({ query }),
      select: (requestId, hop = null) => set({ selected: { requestId, hop }, view: 'requests' }),
      openBuilder: (input) => set({ builder: input, view: 'builder', replayError: null }),
      setBuilder(patch) {
        const b = get().builder ?? { url: '', method: 'GET' as const, origin: 'paste' as const };
        set({ builder: { ...b, ...patch } });
      },
      setWithCookies: (withCookies) => set({ withCookies }),

      async replay() {
        const { builder, sessionId, withCookies } = get();
        if (!builder || get().replayBusy) return null;
        // The background keeps every replay in a session; without one there is nowhere to keep it.
        if (!sessionId) {
          set({
            replayError:
              'No session on this tab to keep the replay in: open the landing first, or a recent session.',
          });
          return null;
        }
        set({ replayBusy: true, replayError: null });
        const reply = await source.send<Replay>({
          type: 'replay',
          sessionId,
          url: builder.url,
          method: builder.method,
          body: builder.method === 'POST' ? (builder.body ?? '') : undefined,
          withCookies,
        });
        if (!reply.ok) {
          set({ replayBusy: false, replayError: reply.error });
          return null;
        }
        const replay = reply.data;
        // The background stores the replay in the session; show it at once, the watch confirms it.
        const s = get().session;
        if (s && replay && !s.replays.some((r) => r.id === replay.id)) {
          set({ session: { ...s, replays: [...s.replays, replay] } });
        }
        set({ replayBusy: false, lastReplayId: replay?.id ?? null, replayError: replay?.error ?? null });
        return replay;
      },

      toggleCompare(id) {
        const c = get().compare;
        set({ compare: c.includes(id) ? c.filter((x) => x !== id) : [...c, id].slice(-2) });
      },

      async clear(scope) {
        const id = get().sessionId;
        const reply = await source.send({
          type: 'clear-sessions',
          sessionId: scope === 'session' ? (id ?? undefined) : undefined,
        });
        if (!reply.ok) {
          set({ notice: reply.error });
          return;
        }
        const index = await source.loadIndex();
        set({ index, recent: [] });
        await showSession(idFor(get().target, index));
      },

      async exportJson() {
        const { sessionId, target } = get();
        const reply = await source.send({
          type: 'export-session',
          sessionId: sessionId ?? undefined,
          tabId: !sessionId && target && 'tabId' in target ? target.tabId : undefined,
        });
        if (!reply.ok) {
          set({ notice: reply.error });
          return null;
        }
        return reply.data;
      },

      notify: (notice) => set({ notice }),
    };
  });
}

/**
 * Computed selectors, memoised on the session object: the store replaces the session on every
 * storage change, so identity is the right cache key. Create one set per panel.
 */
export function createSelectors(derive: PanelDerive) {
  const trails = memoByRef(
    (s: Session) => precomputed.get(s)?.trails ?? safe(() => derive.buildTrails(s), []),
  );
  const groups = memoByRef((s: Session): PageGroup[] => groupByPage(s));
  const sessionDiagnostics = memoByRef(
    (s: Session) => precomputed.get(s)?.diagnostics ?? safe(() => derive.diagnoseSession(s, trails(s)), []),
  );
  const diagnostics = memoByRef((s: Session): LocatedDiagnostic[] =>
    allDiagnostics(s, sessionDiagnostics(s), (u) => safe(() => derive.diagnoseUrl(u), [])),
  );
  let lastSearch: { s: Session; q: string; r: SearchResult } | null = null;
  const search = (s: Session, q: string): SearchResult => {
    if (lastSearch && lastSearch.s === s && lastSearch.q === q) return lastSearch.r;
    const r = searchSession(s, q);
    lastSearch = { s, q, r };
    return r;
  };
  const replayById = (s: Session, id: string | null) =>
    id ? (s.replays.find((r) => r.id === id) ?? null) : null;
  return { trails, groups, sessionDiagnostics, diagnostics, search, replayById };
}
export type PanelSelectors = ReturnType<typeof createSelectors>;

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    console.error(e);
    return fallback;
  }
}
