import { decodeParams } from '../panel/params';
import type { Diagnostic, ResponseMeaning } from '../recognize/schema';
import type { CapturedRequest, Replay, Session, Trail } from '../session/schema';
import { redactText } from './redact';

/**
 * A plain-text (Markdown) report of one session for a support ticket: the trails, the postbacks
 * with their params and answers, the replays, every finding, and what the browser could not see.
 * Secrets are redacted with the same rules as the JSON export. Pure: the caller passes what the
 * core derived, so the report says exactly what the panel showed.
 */

export interface ReportInput {
  trails: Trail[];
  diagnostics: Diagnostic[];
  /** What a captured postback's body meant (from the core's readResponse), when the page read it. */
  meaningOf?: (request: CapturedRequest) => ResponseMeaning | null;
  /** General limits of what a browser can see (the export's LIMITS). */
  limits?: string[];
  now?: number;
}

const CONVERSION = new Set(['postback', 'pixel']);

function iso(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

/** Page data goes in code spans/blocks so nothing in it reads as Markdown. */
function code(s: string): string {
  const clean = redactText(s).replace(/\r?\n/g, ' ');
  const ticks = clean.match(/`+/g)?.reduce((m, t) => Math.max(m, t.length), 0) ?? 0;
  const fence = '`'.repeat(ticks + 1);
  return ticks ? `${fence} ${clean} ${fence}` : `${fence}${clean}${fence}`;
}

function block(s: string): string {
  const clean = redactText(s);
  const ticks = clean.match(/`+/g)?.reduce((m, t) => Math.max(m, t.length), 0) ?? 0;
  const fence = '`'.repeat(Math.max(3, ticks + 1));
  return `${fence}\n${clean}\n${fence}`;
}

function conversionHop(r: CapturedRequest): number {
  return r.hops.findIndex((h) => h.recognition && CONVERSION.has(h.recognition.kind));
}

function diagnosticLines(d: Diagnostic): string[] {
  return [
    `- **${d.severity}** ${redactText(d.message)}`,
    ...(d.evidence ? [`  - seen: ${code(d.evidence)}`] : []),
    ...(d.fix ? [`  - fix: ${redactText(d.fix)}`] : []),
  ];
}

export function toReport(session: Session, input: ReportInput): string {
  const out: string[] = [];
  const now = input.now ?? Date.now();
  out.push('# Postback Lens report', '');
  out.push(`- page: ${code(session.url)}`);
  if (session.title) out.push(`- title: ${code(session.title)}`);
  out.push(
    `- captured: ${iso(session.openedAt)} – ${iso(session.updatedAt)}${session.closedAt ? ` (tab closed ${iso(session.closedAt)})` : ''}`,
  );
  out.push(`- report made: ${iso(now)}`);
  out.push(
    `- ${session.pages.length} page loads, ${session.requests.length} tracker requests, ${session.observations.length} storage findings, ${session.replays.length} replays`,
  );
  const { requests, observations, replays } = session.dropped;
  if (requests || observations || replays) {
    out.push(
      `- dropped by the caps: ${requests} requests, ${observations} storage findings, ${replays} replays`,
    );
  }
  out.push('');

  out.push('## Click-id trails', '');
  if (input.trails.length === 0) out.push('No click id seen.', '');
  for (const t of input.trails) {
    out.push(
      `### ${t.ids.map((i) => `${i.system || '?'} ${i.param}=${code(i.value)}${i.macro ? ' (unreplaced macro)' : ''}`).join(' → ')}`,
      '',
    );
    t.stages.forEach((s, i) => {
      const mark = i === t.firstBroken ? ' ← first broken stage' : '';
      out.push(
        `${i + 1}. **${s.stage}**: ${s.state}${mark}${s.summary ? ` — ${redactText(s.summary)}` : ''}`,
      );
      for (const d of s.diagnostics) out.push(...diagnosticLines(d).map((l) => `   ${l}`));
    });
    out.push('');
  }

  out.push('## Postbacks seen from the browser', '');
  const postbacks = session.requests.filter((r) => conversionHop(r) >= 0);
  if (postbacks.length === 0) out.push('None: no postback or conversion pixel left the browser.', '');
  for (const r of postbacks) {
    const hop = r.hops[conversionHop(r)];
    if (!hop?.recognition) continue;
    out.push(
      `### ${hop.recognition.system} ${hop.recognition.kind} — ${r.method} (${r.via ?? r.type}) at ${iso(r.startedAt)}`,
      '',
    );
    out.push(block(hop.url), '');
    for (const p of decodeParams(hop.url, hop.recognition, r.requestBody?.text)) {
      out.push(`- ${p.group}: ${code(p.name)} = ${code(p.value)}${p.macro ? ' (unreplaced macro)' : ''}`);
    }
    out.push('');
    if (r.error) out.push(`Answer: failed — ${code(r.error)}`);
    else if (r.responseBody) {
      out.push(`Answer: HTTP ${r.status ?? '?'}, body ${code(r.responseBody.text.slice(0, 500))}`);
      const m = input.meaningOf?.(r);
      if (m) out.push(`Meaning: ${m.verdict} — ${m.message} (${m.caveat})`);
    } else {
      out.push(
        `Answer: HTTP ${r.status ?? '?'}; the browser does not show the body of ${r.via ?? r.type} requests.`,
      );
    }
    out.push('');
  }

  out.push('## Replays', '');
  if (session.replays.length === 0) out.push('None.', '');
  for (const rp of session.replays) out.push(...replayLines(rp), '');

  out.push('## Findings', '');
  if (input.diagnostics.length === 0) out.push('No problem found.');
  for (const d of input.diagnostics) out.push(...diagnosticLines(d));
  out.push('');

  out.push('## What the browser could not see', '');
  const unseen: string[] = [];
  for (const t of input.trails) {
    const sent = t.stages.find((s) => s.stage === 'sent');
    if (sent && (sent.state === 'invisible' || sent.state === 'pending')) {
      const id = t.ids.find((i) => i.role === 'click') ?? t.ids[0];
      unseen.push(
        `- No postback with ${id ? `${id.param}=${code(id.value)}` : 'this click id'} left the browser: if the landing's server sent it, only the tracker's logs (or a replay) show it.`,
      );
    }
  }
  const withheld = postbacks.filter((r) => !r.responseBody && !r.error).length;
  if (withheld)
    unseen.push(
      `- ${withheld} postback answers: their bodies are withheld from extensions (pixels, beacons, frames, forms).`,
    );
  for (const l of input.limits ?? []) unseen.push(`- ${l}`);
  out.push(...(unseen.length ? unseen : ['- Nothing specific.']), '');
  return out.join('\n');
}

function replayLines(rp: Replay): string[] {
  const lines = [
    `### Replay at ${iso(rp.at)} — ${rp.request.method}${rp.request.withCookies ? ' with cookies' : ' without cookies'}`,
    '',
  ];
  lines.push(block(rp.request.url));
  if (rp.request.body) lines.push('', 'Body:', block(rp.request.body));
  lines.push('');
  if (rp.response) {
    lines.push(
      `Answer: HTTP ${rp.response.status} ${rp.response.statusText} in ${Math.round(rp.response.ms)} ms, body ${code(rp.response.body.slice(0, 500))}`,
    );
  } else lines.push(`Answer: failed — ${code(rp.error ?? 'no response')}`);
  if (rp.meaning) lines.push(`Meaning: ${rp.meaning.verdict} — ${rp.meaning.message} (${rp.meaning.caveat})`);
  return lines;
}
