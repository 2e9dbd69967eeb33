import type { SearchResult } from '../utils/panel/derive';
import { shortUrl } from './RequestList';
import { strings } from './strings';

export interface SearchResultsProps {
  result: SearchResult;
  onShowRequest?: (requestId: string, hop?: number) => void;
}

/** Everywhere a pasted subid (or any param name/value) appears: requests, hops, bodies, storage. */
export function SearchResults({ result, onShowRequest }: SearchResultsProps) {
  if (!result.query.trim()) return null;
  if (result.total === 0) return <p class="empty">{strings.searchNone(result.query)}</p>;
  return (
    <section class="search-results" aria-label={strings.searchLabel}>
      <p class="muted" aria-live="polite">
        {strings.searchCount(result.total)}
      </p>
      <ul>
        {result.hits.map((hit, i) => (
          <li key={`${i}${hit.requestId ?? ''}${hit.name}`} class={`hit hit-${hit.where}`}>
            <span class="badge">{strings.where[hit.where] ?? hit.where}</span>{' '}
            {hit.name ? (
              <>
                <code>{hit.name}</code>=
              </>
            ) : null}
            <code class="value">{hit.value.length > 200 ? `${hit.value.slice(0, 200)}…` : hit.value}</code>{' '}
            {hit.requestId && onShowRequest ? (
              <button
                type="button"
                class="link"
                onClick={() => onShowRequest(hit.requestId as string, hit.hop)}
              >
                #{hit.requestId}
                {hit.hop ? ` ${strings.hop(hit.hop)}` : ''}
              </button>
            ) : null}{' '}
            <span class="muted">{hit.where === 'observation' ? hit.context : shortUrl(hit.context)}</span>
          </li>
        ))}
      </ul>
      {result.total > result.hits.length ? (
        <p class="muted">{strings.searchMore(result.total - result.hits.length)}</p>
      ) : null}
    </section>
  );
}
