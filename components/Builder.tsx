import type { MoneyWarning, SafeVariant } from '../utils/replay/money';
import type { Replay } from '../utils/session/schema';
import { MoneyConfirm } from './MoneyConfirm';
import { ReplayResult } from './ReplayResult';
import { strings } from './strings';

export interface BuilderField {
  /** The URL param the field writes. */
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  /** A closed list (Keitaro status, HasOffers endpoint); free text is still allowed. */
  options?: string[];
}

export interface BuilderStart {
  label: string;
  url: string;
  body?: string;
}

export type TemplateKind = 'keitaro' | 'aff_lsr' | 'aff_goal';

export interface BuilderProps {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  /** `keitaro postback`, `hasoffers postback`, or null when the URL is not one the builder knows. */
  recognized: string | null;
  /** Fields of the recognised system, in form order; empty when not recognised. */
  fields: BuilderField[];
  /** Params the form has no field for: kept as they are, editable. */
  others: { name: string; value: string }[];
  /** Problems with the URL as a whole (not one field's). */
  urlErrors?: string[];
  starts: BuilderStart[];
  onUrl: (url: string) => void;
  onMethod: (method: 'GET' | 'POST') => void;
  onBody: (body: string) => void;
  onField: (name: string, value: string) => void;
  onOthers: (others: { name: string; value: string }[]) => void;
  onStart: (start: BuilderStart) => void;
  onTemplate: (kind: TemplateKind) => void;

  withCookies: boolean;
  onWithCookies: (on: boolean) => void;
  /** Pressing Replay: the container decides whether a confirm step comes first. */
  onReplay: () => void;
  busy: boolean;
  replayError?: string | null;
  /** Set while the money confirm step is shown. */
  confirm: { warnings: MoneyWarning[]; variants: SafeVariant[] } | null;
  onConfirm: () => void;
  onCancelConfirm: () => void;
  onUseVariant: (variant: SafeVariant) => void;
  lastReplay: Replay | null;
}

/**
 * The postback builder: the URL and a form for it, both live (editing either rewrites the other),
 * unknown params kept; then Replay, which only ever sends on this explicit click.
 */
export function Builder(p: BuilderProps) {
  const setOther = (i: number, patch: Partial<{ name: string; value: string }>) =>
    p.onOthers(p.others.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <section class="builder" aria-label={strings.builderTitle}>
      <div class="actions starts">
        {p.starts.length > 0 ? (
          <label>
            <span class="label">{strings.fromCapture}: </span>
            <select
              onChange={(e) => {
                const i = Number((e.currentTarget as HTMLSelectElement).value);
                const start = p.starts[i];
                if (start) p.onStart(start);
              }}
              value=""
            >
              <option value="">—</option>
              {p.starts.map((s, i) => (
                <option key={`${i}${s.url}`} value={String(i)}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" onClick={() => p.onTemplate('keitaro')}>
          {strings.blankKeitaro}
        </button>
        <button type="button" onClick={() => p.onTemplate('aff_lsr')}>
          {strings.blankAffLsr}
        </button>
        <button type="button" onClick={() => p.onTemplate('aff_goal')}>
          {strings.blankAffGoal}
        </button>
      </div>

      <label>
        <span class="label">{strings.urlLabel}</span>
        <textarea
          class="url"
          spellcheck={false}
          value={p.url}
          placeholder={strings.fromUrl}
          aria-invalid={p.url !== '' && !p.recognized}
          onInput={(e) => p.onUrl((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      {p.url === '' ? <p class="muted">{strings.builderEmpty}</p> : null}
      {p.url !== '' && !p.recognized ? <p class="field-error">{strings.notAPostback}</p> : null}
      {(p.urlErrors ?? []).map((e) => (
        <p key={e} class="field-error">
          {e}
        </p>
      ))}

      {p.recognized ? (
        <fieldset class="form">
          <legend>
            {strings.fieldsLegend}: {p.recognized}
          </legend>
          {p.fields.map((f) => {
            const id = `f-${f.name}`;
            const listId = f.options ? `${id}-options` : undefined;
            return (
              <div class="field" key={f.name}>
                <label for={id}>{f.label}</label>
                <input
                  id={id}
                  type="text"
                  spellcheck={false}
                  value={f.value}
                  list={listId}
                  aria-invalid={!!f.error}
                  aria-describedby={f.error ? `${id}-error` : undefined}
                  onInput={(e) => p.onField(f.name, (e.currentTarget as HTMLInputElement).value)}
                />
                {f.options ? (
                  <datalist id={listId}>
                    {f.options.map((o) => (
                      <option key={o} value={o} />
                    ))}
                  </datalist>
                ) : null}
                {f.error ? (
                  <span class="error" id={`${id}-error`} role="alert">
                    {f.error}
                  </span>
                ) : f.hint ? (
                  <span class="hint">{f.hint}</span>
                ) : null}
              </div>
            );
          })}
          <div class="other-params">
            <p class="label">{strings.otherParams}</p>
            {p.others.map((o, i) => (
              <div class="param" key={`${i}`}>
                <input
                  type="text"
                  aria-label={`${strings.paramName} ${i + 1}`}
                  value={o.name}
                  onInput={(e) => setOther(i, { name: (e.currentTarget as HTMLInputElement).value })}
                />
                <input
                  type="text"
                  aria-label={`${strings.paramValue} ${o.name || i + 1}`}
                  value={o.value}
                  onInput={(e) => setOther(i, { value: (e.currentTarget as HTMLInputElement).value })}
                />
                <button type="button" onClick={() => p.onOthers(p.others.filter((_, j) => j !== i))}>
                  {strings.removeParam(o.name)}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => p.onOthers([...p.others, { name: '', value: '' }])}>
              {strings.addParam}
            </button>
          </div>
        </fieldset>
      ) : null}

      <div class="replay-controls actions">
        <label>
          {strings.method}{' '}
          <select
            value={p.method}
            onChange={(e) => p.onMethod((e.currentTarget as HTMLSelectElement).value as 'GET' | 'POST')}
          >
            <option value="GET">GET</option>
            <option value="POST">POST</option>
          </select>
        </label>
        <label title={strings.sendWithCookiesHint}>
          <input
            type="checkbox"
            checked={p.withCookies}
            onChange={(e) => p.onWithCookies((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          {strings.sendWithCookies}
        </label>
        <button
          type="button"
          class="primary"
          disabled={p.busy || p.url === '' || !!p.confirm}
          onClick={p.onReplay}
        >
          {p.busy ? strings.replaying : strings.replay}
        </button>
      </div>
      {p.method === 'POST' ? (
        <label>
          <span class="label">{strings.body}</span>
          <textarea
            class="url"
            value={p.body ?? ''}
            onInput={(e) => p.onBody((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </label>
      ) : null}
      {p.confirm ? (
        <MoneyConfirm
          warnings={p.confirm.warnings}
          variants={p.confirm.variants}
          onConfirm={p.onConfirm}
          onCancel={p.onCancelConfirm}
          onUseVariant={p.onUseVariant}
        />
      ) : null}
      {p.replayError ? (
        <p class="diag sev-error" role="alert">
          <span class="label">{strings.replayError}: </span>
          {p.replayError}
        </p>
      ) : null}
      {p.lastReplay ? <ReplayResult replay={p.lastReplay} /> : null}
    </section>
  );
}
