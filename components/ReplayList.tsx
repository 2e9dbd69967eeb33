import type { ReplayComparison } from '../utils/replay/compare';
import type { Replay } from '../utils/session/schema';
import { formatTime } from './RecentList';
import { ReplayResult } from './ReplayResult';
import { strings } from './strings';

export interface ReplayListProps {
  replays: Replay[];
  compare: string[];
  comparison: ReplayComparison | null;
  onToggleCompare: (id: string) => void;
  onLoad?: (replay: Replay) => void;
}

/** Every replay kept in the session, newest first; tick two to compare them. */
export function ReplayList({ replays, compare, comparison, onToggleCompare, onLoad }: ReplayListProps) {
  if (replays.length === 0) return <p class="empty">{strings.noReplays}</p>;
  const newest = [...replays].reverse();
  return (
    <section class="replays" aria-label={strings.replaysTitle}>
      <p class="muted">{strings.compareHint}</p>
      <ul class="replay-list">
        {newest.map((r) => (
          <li key={r.id}>
            <label>
              <input
                type="checkbox"
                checked={compare.includes(r.id)}
                onChange={() => onToggleCompare(r.id)}
              />{' '}
              {formatTime(r.at)} · {r.response ? r.response.status : '✕'} ·{' '}
              {r.meaning ? (strings.verdict[r.meaning.verdict] ?? r.meaning.verdict) : ''}
            </label>{' '}
            <code class="url">{r.request.url}</code>{' '}
            {onLoad ? (
              <button type="button" class="link" onClick={() => onLoad(r)}>
                {strings.openInBuilder}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {comparison ? <ReplayCompare comparison={comparison} /> : null}
      {newest.slice(0, 1).map((r) => (
        <ReplayResult key={r.id} replay={r} />
      ))}
    </section>
  );
}

export function ReplayCompare({ comparison: c }: { comparison: ReplayComparison }) {
  const row = (label: string, x: { a: string; b: string; same: boolean }) => (
    <tr class={x.same ? 'same' : 'changed'}>
      <th scope="row">{label}</th>
      <td>
        <code>{x.a}</code>
      </td>
      <td>
        <code>{x.b}</code>
      </td>
    </tr>
  );
  return (
    <section class="compare card" aria-label={strings.compare}>
      <h3>{strings.requestDiff}</h3>
      <table class="diff">
        <tbody>
          {row('URL', c.urlBase)}
          {c.params.map((p, i) => (
            <tr key={`${i}${p.name}`} class={p.change}>
              <th scope="row">
                <code>{p.name}</code>
              </th>
              <td>
                <code>{p.a ?? ''}</code>
              </td>
              <td>
                <code>{p.b ?? ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{strings.responseDiff}</h3>
      <table class="diff">
        <tbody>
          {row(strings.status, c.status)}
          {row('verdict', c.verdict)}
          <tr>
            <th scope="row">{strings.time}</th>
            <td>{c.ms.a === null ? '' : strings.ms(c.ms.a)}</td>
            <td>{c.ms.b === null ? '' : strings.ms(c.ms.b)}</td>
          </tr>
          {c.headers
            .filter((h) => h.change !== 'same')
            .map((h, i) => (
              <tr key={`h${i}${h.name}`} class={h.change}>
                <th scope="row">
                  <code>{h.name}</code>
                </th>
                <td>
                  <code>{h.a ?? ''}</code>
                </td>
                <td>
                  <code>{h.b ?? ''}</code>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <pre class="body-diff">
        {c.body.map((l, i) => (
          <span key={i} class={`line-${l.change}`}>
            {l.change === 'added' ? '+ ' : l.change === 'removed' ? '- ' : '  '}
            {l.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </section>
  );
}
