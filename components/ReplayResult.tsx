import { Fragment } from 'preact';
import type { Replay } from '../utils/session/schema';
import { formatTime } from './RecentList';
import { strings } from './strings';

export interface ReplayResultProps {
  replay: Replay;
}

/** A replay's answer: status, time, headers, body as text, and what the body means. */
export function ReplayResult({ replay: r }: ReplayResultProps) {
  const m = r.meaning;
  return (
    <section class="replay-result card" aria-label={`${strings.replayTitle} ${formatTime(r.at)}`}>
      <p class="replay-req">
        <span class="method">{r.request.method}</span> <code>{r.request.url}</code>
        {r.request.withCookies ? <span class="badge">{strings.sendWithCookies}</span> : null}
      </p>
      {r.response ? (
        <dl class="replay-meta">
          <dt>{strings.status}</dt>
          <dd>
            {r.response.status} {r.response.statusText}
          </dd>
          <dt>{strings.time}</dt>
          <dd>{strings.ms(r.response.ms)}</dd>
        </dl>
      ) : (
        <p class="diag sev-error">
          <span class="label">{strings.replayError}: </span>
          {r.error ?? ''}
        </p>
      )}
      {m ? (
        <div class={`meaning verdict-${m.verdict}`}>
          <p>
            <span class={`badge verdict-${m.verdict}`}>{strings.verdict[m.verdict] ?? m.verdict}</span>{' '}
            {m.message}
          </p>
          <p class="caveat">{m.caveat}</p>
          {Object.keys(m.details).length > 0 ? (
            <dl class="details">
              {Object.entries(m.details).map(([k, v]) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>
                    <code>{v}</code>
                  </dd>
                </Fragment>
              ))}
            </dl>
          ) : null}
        </div>
      ) : null}
      {r.response ? (
        <>
          <details>
            <summary>{strings.headers}</summary>
            <pre>{r.response.headers.map((h) => `${h.name}: ${h.value}`).join('\n')}</pre>
          </details>
          <h4>{strings.responseBody}</h4>
          <pre class="body">{r.response.body}</pre>
        </>
      ) : null}
    </section>
  );
}
