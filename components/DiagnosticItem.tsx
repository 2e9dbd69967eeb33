import type { Diagnostic } from '../utils/recognize/schema';
import { strings } from './strings';

export interface DiagnosticItemProps {
  diagnostic: Diagnostic;
  /** Shown as a button that jumps to the request the finding is about. */
  onShowRequest?: () => void;
  requestLabel?: string;
}

/** One finding: what is wrong in plain words, what was seen, and the fix. Text only. */
export function DiagnosticItem({ diagnostic: d, onShowRequest, requestLabel }: DiagnosticItemProps) {
  return (
    <div class={`diag sev-${d.severity}`} data-code={d.code}>
      <p class="diag-msg">
        <span class={`badge sev-${d.severity}`}>{strings.severity[d.severity] ?? d.severity}</span>{' '}
        {d.message}
      </p>
      {d.evidence ? (
        <p class="diag-evidence">
          <span class="label">{strings.evidence}: </span>
          <code>{d.evidence}</code>
        </p>
      ) : null}
      {d.fix ? (
        <p class="diag-fix">
          <span class="label">{strings.fix}: </span>
          {d.fix}
        </p>
      ) : null}
      {onShowRequest ? (
        <button type="button" class="link" onClick={onShowRequest}>
          {requestLabel}
        </button>
      ) : null}
    </div>
  );
}
