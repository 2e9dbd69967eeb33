import { useState } from 'preact/hooks';
import { decodeParams } from '../utils/panel/params';
import type { Diagnostic } from '../utils/recognize/schema';
import type { CapturedRequest } from '../utils/session/schema';
import { DiagnosticItem } from './DiagnosticItem';
import { ParamTable } from './ParamTable';
import { shortUrl } from './RequestList';
import { strings } from './strings';

export interface RequestDetailProps {
  request: CapturedRequest;
  /** Hop shown; defaults to the hop the recogniser claimed (the postback, the landing). */
  hop?: number | null;
  diagnostics?: Diagnostic[];
  highlight?: string;
  onSelectHop?: (hop: number) => void;
  onCopyCurl?: (request: CapturedRequest, hop: number) => void;
  onOpenBuilder?: (url: string, body?: string) => void;
}

export function defaultHop(r: CapturedRequest): number {
  const conv = r.hops.findIndex((h) => h.recognition?.kind === 'postback' || h.recognition?.kind === 'pixel');
  if (conv >= 0) return conv;
  for (let i = r.hops.length - 1; i >= 0; i--) if (r.hops[i]?.recognition) return i;
  return r.hops.length - 1;
}

/** One request: decoded params by meaning, its hops, the raw URL/body one click away, its answer and findings. */
export function RequestDetail({
  request: r,
  hop,
  diagnostics = [],
  highlight,
  onSelectHop,
  onCopyCurl,
  onOpenBuilder,
}: RequestDetailProps) {
  const [raw, setRaw] = useState(false);
  const index = hop ?? defaultHop(r);
  const h = r.hops[index] ?? r.hops[0];
  if (!h) return null;
  const isLast = index === r.hops.length - 1;
  const body = index === 0 ? r.requestBody?.text : undefined;
  const params = decodeParams(h.url, h.recognition, body);
  const kind = h.recognition?.kind;
  return (
    <section class="detail card" aria-label={`#${r.id}`}>
      <header class="detail-head">
        <span class="method">{r.method}</span> <span class="status">{h.status ?? r.status ?? ''}</span>{' '}
        {h.recognition ? (
          <span class="kind">
            {h.recognition.system} {h.recognition.kind}
          </span>
        ) : null}{' '}
        <span class="muted">
          {r.via ?? r.type} · #{r.id}
        </span>
      </header>
      <p class="detail-url" title={h.url}>
        <code>{shortUrl(h.url)}</code>
      </p>
      {r.hops.length > 1 ? (
        <ol class="hop-list" start={0}>
          {r.hops.map((x, i) => (
            <li key={`${i}${x.url}`}>
              <button
                type="button"
                class={`link${i === index ? ' current' : ''}`}
                aria-current={i === index}
                onClick={() => onSelectHop?.(i)}
              >
                {strings.hop(i)} · {x.status ?? ''} · {shortUrl(x.url)}
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      {r.error ? (
        <p class="diag sev-error">
          <span class="label">{strings.error}: </span>
          {r.error}
        </p>
      ) : null}
      <ParamTable params={params} highlight={highlight} />
      <div class="actions">
        <button type="button" onClick={() => setRaw(!raw)} aria-expanded={raw}>
          {raw ? strings.hideRaw : strings.showRaw}
        </button>
        {onCopyCurl ? (
          <button type="button" onClick={() => onCopyCurl(r, index)}>
            {strings.copyCurl}
          </button>
        ) : null}
        {onOpenBuilder && (kind === 'postback' || kind === 'pixel') ? (
          <button type="button" onClick={() => onOpenBuilder(h.url, body)}>
            {strings.openInBuilder}
          </button>
        ) : null}
      </div>
      {raw ? (
        <div class="raw">
          <h4>{strings.rawUrl}</h4>
          <pre>{h.url}</pre>
          {body !== undefined ? (
            <>
              <h4>{strings.rawBody}</h4>
              <pre>{body}</pre>
            </>
          ) : null}
        </div>
      ) : null}
      {isLast ? (
        <div class="response">
          {r.responseHeaders.length > 0 ? (
            <>
              <h4>{strings.responseHeaders}</h4>
              <pre>{r.responseHeaders.map((x) => `${x.name}: ${x.value}`).join('\n')}</pre>
            </>
          ) : null}
          <h4>{strings.responseBody}</h4>
          {r.responseBody ? <pre>{r.responseBody.text}</pre> : <p class="muted">{strings.bodyWithheld}</p>}
        </div>
      ) : null}
      {diagnostics.map((d) => (
        <DiagnosticItem key={`${d.code}${d.evidence}`} diagnostic={d} />
      ))}
    </section>
  );
}
