import { useMemo, useState } from 'preact/hooks';
import type { PageGroup, Row } from '../utils/panel/derive';
import { requestRows } from '../utils/panel/derive';
import type { CapturedRequest } from '../utils/session/schema';
import { strings } from './strings';
import { WindowedList } from './WindowedList';

export const ROW_HEIGHT = 30;

export interface RequestListProps {
  groups: PageGroup[];
  selectedId?: string | null;
  selectedHop?: number | null;
  onSelect: (requestId: string, hop?: number) => void;
  /** Visible height of the list in px. */
  height?: number;
}

export function mainRecognition(r: CapturedRequest) {
  return (
    r.hops.find((h) => h.recognition?.kind === 'postback' || h.recognition?.kind === 'pixel')?.recognition ??
    r.hops.find((h) => h.recognition)?.recognition ??
    null
  );
}

export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/**
 * Captured requests grouped by page load, one row per request; a request with redirects
 * expands into its hops. Rows have one fixed height so only the visible ones are rendered.
 */
export function RequestList({ groups, selectedId, selectedHop, onSelect, height = 360 }: RequestListProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => requestRows(groups, expanded), [groups, expanded]);
  if (rows.length === 0) return <p class="empty">{strings.noRequests}</p>;

  const toggle = (id: string) => {
    const next = new Set(expanded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  };

  const renderRow = (i: number) => {
    const row = rows[i] as Row;
    if (row.kind === 'page') {
      return (
        <div class="row page-row" title={row.page?.url}>
          <span class="page-url">{row.page ? strings.pageLoad(row.page.url) : strings.noPage}</span>
          <span class="muted"> · {strings.requestsCount(row.count)}</span>
        </div>
      );
    }
    const r = row.request;
    if (row.kind === 'hop') {
      const hop = r.hops[row.hop];
      const sel = selectedId === r.id && selectedHop === row.hop;
      return (
        <button
          type="button"
          class={`row hop-row${sel ? ' selected' : ''}`}
          aria-pressed={sel}
          onClick={() => onSelect(r.id, row.hop)}
          title={hop?.url}
        >
          <span class="hop-index">{strings.hop(row.hop)}</span>
          <span class="status">{hop?.status ?? ''}</span>
          <span class="url">{shortUrl(hop?.url ?? '')}</span>
        </button>
      );
    }
    const rec = mainRecognition(r);
    const last = r.hops[r.hops.length - 1];
    const first = r.hops[0];
    const sel = selectedId === r.id && (selectedHop === null || selectedHop === undefined);
    const many = r.hops.length > 1;
    return (
      <div class="row-wrap">
        {many ? (
          <button
            type="button"
            class="expander"
            aria-expanded={expanded.has(r.id)}
            aria-label={`${strings.hops(r.hops.length)} #${r.id}`}
            onClick={() => toggle(r.id)}
          >
            {expanded.has(r.id) ? '▾' : '▸'}
          </button>
        ) : (
          <span class="expander" aria-hidden="true" />
        )}
        <button
          type="button"
          class={`row req-row${sel ? ' selected' : ''}${r.error ? ' failed' : ''}`}
          aria-pressed={sel}
          onClick={() => onSelect(r.id)}
          title={first?.url}
        >
          <span class="method">{r.method}</span>
          <span class="status">{r.error ? '✕' : (r.status ?? last?.status ?? '')}</span>
          <span class="kind">{rec ? `${rec.system} ${rec.kind}` : (r.via ?? r.type)}</span>
          <span class="url">{shortUrl(first?.url ?? '')}</span>
          {many ? <span class="muted hops">{strings.hops(r.hops.length)}</span> : null}
        </button>
      </div>
    );
  };

  return (
    <WindowedList
      label={strings.requestsTitle}
      count={rows.length}
      rowHeight={ROW_HEIGHT}
      height={height}
      renderRow={renderRow}
      rowKey={(i) => {
        const row = rows[i] as Row;
        return row.kind === 'page'
          ? `p:${row.page?.id ?? ''}`
          : row.kind === 'hop'
            ? `h:${row.request.id}:${row.hop}`
            : `r:${row.request.id}`;
      }}
    />
  );
}
