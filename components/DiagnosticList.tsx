import type { LocatedDiagnostic } from '../utils/panel/derive';
import { DiagnosticItem } from './DiagnosticItem';
import { strings } from './strings';

export interface DiagnosticListProps {
  diagnostics: LocatedDiagnostic[];
  onShowRequest?: (requestId: string, hop?: number) => void;
}

/** All findings: URL-level ones from every recognised hop, then the session-level ones. */
export function DiagnosticList({ diagnostics, onShowRequest }: DiagnosticListProps) {
  if (diagnostics.length === 0) return <p class="empty">{strings.noDiagnostics}</p>;
  return (
    <section class="diagnostics" aria-label={strings.diagnosticsTitle}>
      {diagnostics.map((d, i) => (
        <DiagnosticItem
          key={`${i}${d.code}`}
          diagnostic={d}
          requestLabel={d.requestId ? `#${d.requestId}${d.hop ? ` ${strings.hop(d.hop)}` : ''}` : undefined}
          onShowRequest={
            d.requestId && onShowRequest ? () => onShowRequest(d.requestId as string, d.hop) : undefined
          }
        />
      ))}
    </section>
  );
}
