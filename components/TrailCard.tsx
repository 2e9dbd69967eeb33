import type { Observation, Trail, TrailStage } from '../utils/session/schema';
import { DiagnosticItem } from './DiagnosticItem';
import { strings } from './strings';

export interface TrailCardProps {
  trail: Trail;
  /** Opens the builder prefilled from this trail (the landing's subid, the chain's transaction_id). */
  onRebuild?: (trail: Trail) => void;
  onShowRequest?: (requestId: string) => void;
}

/** The sent stage can be rebuilt when the browser did not see it go out. */
function canRebuild(trail: Trail, s: TrailStage): boolean {
  return (
    s.stage === 'sent' &&
    (s.state === 'invisible' || s.state === 'pending') &&
    trail.stages[0]?.state === 'ok'
  );
}

/**
 * One line per storage place: a session cookie set when a chain arrived is noted once for each of
 * the chain's ids (the network's transaction id and the tracker's subid), but it is one cookie.
 */
function uniquePlaces(observations: Observation[]): Observation[] {
  const seen = new Set<string>();
  return observations.filter((o) => {
    const key = `${o.pageId}\u0000${o.place}\u0000${o.name}\u0000${o.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One click id's story: arrived → stored → carried → sent → answered. The first broken stage is
 * marked and explains itself; a postback the browser cannot see is said to be invisible, not missing.
 */
export function TrailCard({ trail, onRebuild, onShowRequest }: TrailCardProps) {
  const primary = trail.ids.find((i) => i.role === 'click') ?? trail.ids[0];
  return (
    <article
      class="trail card"
      aria-label={primary ? `${primary.param} ${primary.value}` : strings.trailTitle}
    >
      <header class="trail-ids">
        {trail.ids.map((id) => (
          <span key={`${id.param}=${id.value}`} class={`id-chip${id.macro ? ' macro' : ''}`}>
            <span class="id-system">{id.system || '—'}</span> <span class="id-param">{id.param}</span>=
            <code class="id-value">{id.value}</code>
            {id.macro ? <span class="badge sev-error">{strings.macroId}</span> : null}
          </span>
        ))}
      </header>
      <ol class="stages">
        {trail.stages.map((s, i) => {
          const broken = i === trail.firstBroken;
          const invisible = s.stage === 'sent' && s.state === 'invisible';
          return (
            <li
              key={s.stage}
              class={`stage st-${s.state}${broken ? ' broken' : ''}`}
              data-stage={s.stage}
              data-state={s.state}
            >
              <div class="stage-head">
                <span class="stage-dot" aria-hidden="true" />
                <span class="stage-name">{strings.stage[s.stage] ?? s.stage}</span>
                <span class={`badge st-${s.state}`}>{strings.state[s.state] ?? s.state}</span>
                {broken ? <span class="badge broken-badge">{strings.firstBroken}</span> : null}
              </div>
              {invisible ? <p class="stage-invisible">{strings.sentInvisible}</p> : null}
              {s.summary ? <p class="stage-summary">{s.summary}</p> : null}
              {s.observations.length > 0 ? (
                <ul class="observations">
                  {uniquePlaces(s.observations)
                    .slice(0, 6)
                    .map((o, j) => (
                      <li key={`${j}${o.place}${o.name}`}>
                        <span class="badge">{strings.place[o.place] ?? o.place}</span> <code>{o.name}</code>
                        {o.where ? <span class="muted"> · {o.where}</span> : null}
                        {o.expires !== undefined ? (
                          <span class="muted">
                            {' '}
                            · {o.expires === null ? strings.sessionLifetime : strings.expires(o.expires)}
                          </span>
                        ) : null}
                        {o.httpOnly ? <span class="muted"> · HttpOnly</span> : null}
                      </li>
                    ))}
                </ul>
              ) : null}
              {s.requestIds.length > 0 && onShowRequest ? (
                <p class="stage-reqs">
                  {s.requestIds.slice(0, 5).map((id) => (
                    <button key={id} type="button" class="link" onClick={() => onShowRequest(id)}>
                      #{id}
                    </button>
                  ))}
                </p>
              ) : null}
              {(broken || s.state === 'invisible' || s.state === 'problem') &&
                s.diagnostics.map((d) => <DiagnosticItem key={`${d.code}${d.evidence}`} diagnostic={d} />)}
              {onRebuild && canRebuild(trail, s) ? (
                <button type="button" class="primary" onClick={() => onRebuild(trail)}>
                  {strings.rebuildAndReplay}
                </button>
              ) : null}
            </li>
          );
        })}
      </ol>
      {trail.firstBroken < 0 && trail.stages.every((s) => s.state === 'ok') ? (
        <p class="muted">{strings.allStagesOk}</p>
      ) : null}
    </article>
  );
}

export interface TrailListProps extends Omit<TrailCardProps, 'trail'> {
  trails: Trail[];
}

export function TrailList({ trails, ...rest }: TrailListProps) {
  if (trails.length === 0) return <p class="empty">{strings.noTrails}</p>;
  return (
    <section class="trails" aria-label={strings.trailTitle}>
      {trails.map((t) => (
        <TrailCard key={t.ids.map((i) => i.value).join('|')} trail={t} {...rest} />
      ))}
    </section>
  );
}
