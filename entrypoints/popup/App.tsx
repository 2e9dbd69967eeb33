import type { ComponentChild } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ExportKind, Panel } from '../../components/Panel';
import { strings } from '../../components/strings';
import type { PanelSource } from '../../utils/panel/source';
import {
  type BuilderInput,
  createPanelStore,
  createSelectors,
  type PanelDerive,
  type PanelStore,
} from '../../utils/panel/store';
import type { PanelTarget } from '../../utils/panel/target';
import { useStoreState } from '../../utils/panel/use-store';
import type { ResponseMeaning } from '../../utils/recognize/schema';
import { compareReplays } from '../../utils/replay/compare';
import type { CapturedRequest, Session, Trail } from '../../utils/session/schema';
import type { Settings } from '../../utils/settings';

/** What the panel needs from the browser besides storage; plain functions so a page or test can supply them. */
export interface PanelHost {
  /** Open the panel as a full tab for this target (popups close on blur). Absent when already a tab. */
  popOut?: (target: PanelTarget) => void;
  openSettings?: () => void;
  copy: (text: string) => Promise<void>;
  download: (filename: string, text: string, mime: string) => void;
  confirm: (question: string) => boolean;
  /** Called once after the first render with data, for the open-to-rendered measurement. */
  onRendered?: () => void;
}

/** The core's derivations the panel uses, and what a report adds to them. */
export type PanelAppDerive = PanelDerive & {
  limits: string[];
  meaningOf: (request: CapturedRequest) => ResponseMeaning | null;
};

/** Until the derivations arrive: only a preview (which brings its trails and findings) is shown. */
const PENDING: PanelDerive = { buildTrails: () => [], diagnoseSession: () => [], diagnoseUrl: () => [] };

export interface PanelAppProps {
  source: PanelSource;
  /**
   * The derivations, or a promise of them when they load after the first paint: until it settles
   * the panel shows the session's preview, never a whole session without its trails.
   */
  derive: PanelAppDerive | Promise<PanelAppDerive>;
  target: PanelTarget | null;
  host: PanelHost;
  builder: {
    /** The builder and replay section, wired to the store (BuilderSection). */
    render: (store: PanelStore, trails: Trail[]) => ComponentChild;
    /** What "Rebuild and replay" on a trail opens: the landing's subid, the chain's transaction_id, settings. */
    prefill: (
      trail: Trail,
      settings: Settings,
      session: Session | null,
    ) => BuilderInput | Promise<BuilderInput>;
  };
  listHeight?: number;
  store?: PanelStore;
}

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/[^a-z0-9.-]/gi, '_') || 'page';
  } catch {
    return 'page';
  }
}

/** Thin container: wires the store and the core's derivations to the pure Panel view. */
export function PanelApp({ source, derive, target, host, builder, listHeight, store: given }: PanelAppProps) {
  // Whether the whole session waits for the derivations is settled by the first `derive` given.
  const [ready] = useState(() => (derive instanceof Promise ? derive : undefined));
  const store = useMemo(() => given ?? createPanelStore(source, { ready }), [given, source, ready]);
  const [loaded, setLoaded] = useState<PanelAppDerive | null>(null);
  useEffect(() => {
    if (!(derive instanceof Promise)) return;
    let live = true;
    void derive.then((d) => {
      if (live) setLoaded(d);
    });
    return () => {
      live = false;
    };
  }, [derive]);
  /** The derivations, once here (always, when given as a plain object). */
  const core = derive instanceof Promise ? loaded : derive;
  const sel = useMemo(() => createSelectors(core ?? PENDING), [core]);
  const st = useStoreState(store);
  const rendered = useRef(false);

  useEffect(() => {
    void store.getState().init(target);
    return () => store.getState().dispose();
  }, [store, target]);

  useEffect(() => {
    if (rendered.current || (st.status !== 'ready' && st.status !== 'missing')) return;
    rendered.current = true;
    host.onRendered?.();
  }, [st.status, host]);

  useEffect(() => {
    if (!st.notice) return;
    const t = setTimeout(() => store.getState().notify(null), 4000);
    return () => clearTimeout(t);
  }, [st.notice, store]);

  const s = st.session;
  const trails = s ? sel.trails(s) : [];
  const selectedRequest =
    s && st.selected ? s.requests.find((r) => r.id === st.selected?.requestId) : undefined;
  const [ra, rb] = st.compare.map((id) => (s ? sel.replayById(s, id) : null));

  const onExport = async (kind: ExportKind) => {
    if (!s) return;
    const name = `postback-lens-${hostOf(s.url)}-${stamp()}`;
    if (kind === 'json') {
      const data = await store.getState().exportJson();
      if (data) host.download(`${name}.json`, JSON.stringify(data, null, 2), 'application/json');
    } else if (kind === 'har') {
      // Exports load on first use: they are not needed to open the panel.
      const { toHar } = await import('../../utils/export/har');
      host.download(`${name}.har`, JSON.stringify(toHar(s), null, 2), 'application/json');
    } else {
      const [{ toReport }, d] = await Promise.all([import('../../utils/export/report'), derive]);
      const use = d === core ? sel : createSelectors(d);
      const text = toReport(s, {
        trails: use.trails(s),
        diagnostics: use.diagnostics(s),
        meaningOf: d.meaningOf,
        limits: d.limits,
      });
      try {
        await host.copy(text);
        store.getState().notify(strings.copied);
      } catch {
        host.download(`${name}.md`, text, 'text/markdown');
      }
    }
  };

  const onCopyCurl = async (r: CapturedRequest, hop: number) => {
    const url = r.hops[hop]?.url ?? r.hops[0]?.url ?? '';
    const { toCurl } = await import('../../utils/export/curl');
    await host.copy(
      toCurl({
        url,
        method: hop === 0 ? r.method : 'GET',
        body: hop === 0 ? r.requestBody?.text : undefined,
      }),
    );
    store.getState().notify(strings.copied);
  };

  const selectedHop = selectedRequest ? (st.selected?.hop ?? null) : null;
  const selectedDiagnostics = useMemo(() => {
    if (!selectedRequest || !core) return [];
    const hops = selectedHop === null ? selectedRequest.hops : [selectedRequest.hops[selectedHop]];
    return hops.flatMap((h) => (h?.recognition ? core.diagnoseUrl(h.url) : []));
  }, [selectedRequest, selectedHop, core]);

  return (
    <Panel
      status={st.status}
      error={st.error}
      session={s}
      view={st.view}
      onView={(v) => store.getState().setView(v)}
      trails={trails}
      onRebuild={async (t) => store.getState().openBuilder(await builder.prefill(t, st.settings, s))}
      groups={s ? sel.groups(s) : []}
      selected={st.selected}
      onSelect={(id, hop) => store.getState().select(id, hop)}
      selectedDiagnostics={selectedDiagnostics}
      onCopyCurl={(r, hop) => void onCopyCurl(r, hop)}
      onOpenBuilder={(url, body) =>
        store
          .getState()
          .openBuilder({ url, method: body === undefined ? 'GET' : 'POST', body, origin: 'capture' })
      }
      diagnostics={s && st.view === 'diagnostics' && core ? sel.diagnostics(s) : null}
      query={st.query}
      onQuery={(q) => store.getState().setQuery(q)}
      search={s && st.query.trim() ? sel.search(s, st.query) : null}
      recent={st.recent}
      onOpenSession={(id) => void store.getState().openSession(id)}
      compare={st.compare}
      comparison={ra && rb ? compareReplays(ra, rb) : null}
      onToggleCompare={(id) => store.getState().toggleCompare(id)}
      onLoadReplay={(r) =>
        store.getState().openBuilder({
          url: r.request.url,
          method: r.request.method,
          body: r.request.body,
          origin: 'replay',
        })
      }
      builder={builder.render(store, trails)}
      caps={st.settings.caps}
      onClear={(scope) => {
        if (scope === 'all' && !host.confirm(strings.confirmClearAll)) return;
        void store.getState().clear(scope);
      }}
      onExport={(k) => void onExport(k)}
      onPopOut={host.popOut && st.target ? () => host.popOut?.(st.target as PanelTarget) : undefined}
      onOpenSettings={host.openSettings}
      notice={st.notice}
      listHeight={listHeight}
    />
  );
}
