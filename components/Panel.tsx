import type { ComponentChild } from 'preact';
import type { LocatedDiagnostic, PageGroup, SearchResult } from '../utils/panel/derive';
import type { PanelView } from '../utils/panel/store';
import type { Diagnostic } from '../utils/recognize/schema';
import type { ReplayComparison } from '../utils/replay/compare';
import type { CapturedRequest, Replay, Session, Trail } from '../utils/session/schema';
import type { Settings } from '../utils/settings';
import { DiagnosticList } from './DiagnosticList';
import { formatTime, type RecentItem, RecentList } from './RecentList';
import { ReplayList } from './ReplayList';
import { RequestDetail } from './RequestDetail';
import { RequestList } from './RequestList';
import { SearchResults } from './SearchResults';
import { strings } from './strings';
import { TrailList } from './TrailCard';

export type ExportKind = 'json' | 'har' | 'report';

export interface PanelProps {
  status: 'idle' | 'loading' | 'ready' | 'missing' | 'error';
  error?: string | null;
  session: Session | null;
  view: PanelView;
  onView: (view: PanelView) => void;
  trails: Trail[];
  onRebuild: (trail: Trail) => void;
  groups: PageGroup[];
  selected: { requestId: string; hop: number | null } | null;
  onSelect: (requestId: string, hop?: number | null) => void;
  /** Findings about the selected request (URL-level). */
  selectedDiagnostics?: Diagnostic[];
  onCopyCurl: (request: CapturedRequest, hop: number) => void;
  onOpenBuilder: (url: string, body?: string) => void;
  /** All findings; computed only when the diagnostics view is open (null there while they load). */
  diagnostics: LocatedDiagnostic[] | null;
  query: string;
  onQuery: (q: string) => void;
  search: SearchResult | null;
  recent: RecentItem[];
  onOpenSession: (id: string) => void;
  compare: string[];
  comparison: ReplayComparison | null;
  onToggleCompare: (id: string) => void;
  onLoadReplay: (replay: Replay) => void;
  /** The builder and replay section, composed from pure views by the container. */
  builder: ComponentChild;
  caps: Settings['caps'];
  onClear: (scope: 'session' | 'all') => void;
  onExport: (kind: ExportKind) => void;
  /** Absent when the panel already is a full tab. */
  onPopOut?: () => void;
  onOpenSettings?: () => void;
  notice?: string | null;
  listHeight?: number;
}

const VIEWS: PanelView[] = ['trail', 'requests', 'diagnostics', 'builder', 'replays', 'recent'];

function Dropped({ session, caps }: { session: Session; caps: Settings['caps'] }) {
  const d = session.dropped;
  const parts = [
    d.requests ? strings.dropped(d.requests, 'requests', caps.requestsPerTab) : '',
    d.observations ? strings.dropped(d.observations, 'storage findings', caps.observationsPerTab) : '',
    d.replays ? strings.dropped(d.replays, 'replays', caps.replaysPerSession) : '',
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <p class="notice dropped" role="status">
      {parts.join('; ')}
    </p>
  );
}

/**
 * The whole panel as a pure view: header (page, pop out, export, clear), search, tabs, and the
 * open tab's content. Knows nothing of storage or the store.
 */
export function Panel(p: PanelProps) {
  const s = p.session;
  const selectedRequest =
    p.selected && s ? s.requests.find((r) => r.id === p.selected?.requestId) : undefined;
  return (
    <div class="panel">
      <header class="panel-head">
        <div class="title">
          <strong>{strings.appName}</strong>
          {s ? (
            <span class="page" title={s.url}>
              {s.title ? `${s.title} — ` : ''}
              {s.url}
            </span>
          ) : null}
        </div>
        <div class="head-actions">
          {s ? (
            <>
              <button type="button" onClick={() => p.onExport('json')}>
                {strings.exportJson}
              </button>
              <button type="button" onClick={() => p.onExport('har')}>
                {strings.exportHar}
              </button>
              <button type="button" onClick={() => p.onExport('report')}>
                {strings.exportReport}
              </button>
              <button type="button" onClick={() => p.onClear('session')}>
                {strings.clearThis}
              </button>
            </>
          ) : null}
          <button type="button" onClick={() => p.onClear('all')}>
            {strings.clearAll}
          </button>
          {p.onOpenSettings ? (
            <button type="button" onClick={p.onOpenSettings}>
              {strings.settings}
            </button>
          ) : null}
          {p.onPopOut ? (
            <button type="button" onClick={p.onPopOut} title={strings.popOutTitle}>
              {strings.popOut}
            </button>
          ) : null}
        </div>
      </header>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {s?.closedAt ? <p class="notice">{strings.closedTab(formatTime(s.closedAt))}</p> : null}
      {s ? <Dropped session={s} caps={p.caps} /> : null}
      <div class="search">
        <label>
          <span class="label">{strings.searchLabel}</span>
          <input
            type="search"
            value={p.query}
            placeholder={strings.searchPlaceholder}
            onInput={(e) => p.onQuery((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      </div>
      {p.search && p.query.trim() ? (
        <SearchResults result={p.search} onShowRequest={(id, hop) => p.onSelect(id, hop ?? null)} />
      ) : null}
      <div
        class="tabs"
        role="tablist"
        aria-label={strings.appName}
        onKeyDown={(e) => {
          // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
          const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!step) return;
          const next = VIEWS[(VIEWS.indexOf(p.view) + step + VIEWS.length) % VIEWS.length] as PanelView;
          e.preventDefault();
          p.onView(next);
          (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`#tab-${next}`)?.focus();
        }}
      >
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            id={`tab-${v}`}
            aria-selected={p.view === v}
            tabIndex={p.view === v ? 0 : -1}
            aria-controls="view"
            class={p.view === v ? 'active' : undefined}
            onClick={() => p.onView(v)}
          >
            {strings.tabs[v]}
            {v === 'requests' && s ? ` (${s.requests.length.toLocaleString('en-US')})` : ''}
            {v === 'replays' && s?.replays.length ? ` (${s.replays.length})` : ''}
          </button>
        ))}
      </div>
      <section id="view" role="tabpanel" aria-labelledby={`tab-${p.view}`} class="view">
        {p.status === 'loading' || p.status === 'idle' ? <p class="muted">{strings.loading}</p> : null}
        {p.status === 'error' ? <p class="diag sev-error">{p.error}</p> : null}
        {p.status === 'missing' && p.view !== 'recent' && p.view !== 'builder' ? (
          <p class="empty">{strings.noSession}</p>
        ) : null}
        {s && p.view === 'trail' ? (
          <TrailList trails={p.trails} onRebuild={p.onRebuild} onShowRequest={(id) => p.onSelect(id)} />
        ) : null}
        {s && p.view === 'requests' ? (
          <div class="requests">
            <RequestList
              groups={p.groups}
              selectedId={p.selected?.requestId}
              selectedHop={p.selected?.hop}
              onSelect={(id, hop) => p.onSelect(id, hop ?? null)}
              height={p.listHeight}
            />
            {selectedRequest ? (
              <RequestDetail
                request={selectedRequest}
                hop={p.selected?.hop}
                diagnostics={p.selectedDiagnostics}
                highlight={p.query}
                onSelectHop={(hop) => p.onSelect(selectedRequest.id, hop)}
                onCopyCurl={p.onCopyCurl}
                onOpenBuilder={p.onOpenBuilder}
              />
            ) : (
              <p class="muted">{strings.selectRequest}</p>
            )}
          </div>
        ) : null}
        {s && p.view === 'diagnostics' ? (
          p.diagnostics ? (
            <DiagnosticList
              diagnostics={p.diagnostics}
              onShowRequest={(id, hop) => p.onSelect(id, hop ?? null)}
            />
          ) : (
            <p class="muted">{strings.loading}</p>
          )
        ) : null}
        {p.view === 'builder' ? p.builder : null}
        {s && p.view === 'replays' ? (
          <ReplayList
            replays={s.replays}
            compare={p.compare}
            comparison={p.comparison}
            onToggleCompare={p.onToggleCompare}
            onLoad={p.onLoadReplay}
          />
        ) : null}
        {p.view === 'recent' ? (
          <RecentList items={p.recent} currentId={s?.id} onOpen={p.onOpenSession} />
        ) : null}
      </section>
    </div>
  );
}
