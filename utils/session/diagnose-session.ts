import type { Diagnostic } from '../recognize/schema';
import { readResponse } from '../response/read-response';
import type { Session, Trail } from './schema';
import { buildTrails } from './trail';

/**
 * Findings about the session as a whole (PRODUCT capability 6): what the trails found broken, plus
 * failures of any tracker request, whether or not it belongs to a trail.
 */
export function diagnoseSession(session: Session, trails: Trail[] = buildTrails(session)): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: Diagnostic) => {
    const key = `${d.code}\u0000${d.evidence}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const t of trails) for (const s of t.stages) for (const d of s.diagnostics) add(d);
  for (const r of session.requests) {
    const url = r.hops[r.hops.length - 1]?.url ?? '';
    const rec = r.hops.find((h) => h.recognition)?.recognition;
    if (r.error) {
      add({
        code: 'request-failed',
        severity: 'error',
        message: `A ${rec?.system ?? ''} ${rec?.kind ?? 'tracker'} request failed: ${r.error}.`,
        evidence: url,
        fix: r.error.includes('BLOCKED_BY_CLIENT')
          ? 'An ad blocker or privacy extension blocked it: allow the tracker domain.'
          : 'Check that the domain resolves and answers, and that nothing on the page cancels the request.',
      });
    }
    if (r.responseBody && rec) {
      const meaning = readResponse(rec.system, r.responseBody.text, r.status, { url });
      if (meaning.verdict === 'rejected') {
        add({
          code: 'failure-body',
          severity: 'error',
          message: `HTTP ${r.status ?? 200} but the body says it failed: ${meaning.message}`,
          evidence: `"${r.responseBody.text.slice(0, 200)}"`,
          fix: 'HTTP 200 is not proof: fix what the answer names, then replay.',
        });
      }
    }
    if (r.status !== undefined && r.status >= 400 && rec) {
      add({
        code: 'http-error',
        severity: 'warning',
        message: `The ${rec.system} ${rec.kind} answered HTTP ${r.status}.`,
        evidence: url,
        fix: 'Check the URL path and the tracker/network domain.',
      });
    }
  }
  const { requests, observations } = session.dropped;
  if (requests + observations > 0) {
    add({
      code: 'capture-dropped',
      severity: 'info',
      message: `The capture limits dropped ${requests} requests and ${observations} storage findings of this tab.`,
      evidence: `${session.requests.length} requests kept`,
      fix: 'Raise the limits in the options, or clear the session and reproduce the flow.',
    });
  }
  return out;
}
