import { strings } from './strings';

export interface RecentItem {
  id: string;
  url: string;
  title?: string;
  closedAt: number | null;
  requests: number;
}

export interface RecentListProps {
  items: RecentItem[];
  currentId?: string | null;
  onOpen: (id: string) => void;
}

export function formatTime(at: number): string {
  return new Date(at).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

/** Sessions of closed tabs, newest first; each opens in the panel. */
export function RecentList({ items, currentId, onOpen }: RecentListProps) {
  if (items.length === 0) return <p class="empty">{strings.noRecent}</p>;
  return (
    <section class="recent" aria-label={strings.recentTitle}>
      <ul>
        {items.map((s) => (
          <li key={s.id} class={s.id === currentId ? 'current' : undefined}>
            <button type="button" class="link" onClick={() => onOpen(s.id)} aria-current={s.id === currentId}>
              {s.title || s.url}
            </button>
            <span class="muted">
              {' '}
              {s.url} · {strings.requestsCount(s.requests)}
              {s.closedAt ? ` · ${formatTime(s.closedAt)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
