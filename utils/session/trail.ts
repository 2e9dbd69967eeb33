import { findClickIds } from '../recognize/recognize';
import type { ClickId, Diagnostic, Recognition, ResponseMeaning } from '../recognize/schema';
import { readResponse } from '../response/read-response';
import { hostOf } from '../url/host-of';
import type { CapturedRequest, Observation, Session, Trail, TrailStage } from './schema';

/**
 * Trails: one story per click id, followed by value, not by name. Ids that travel in one redirect
 * chain (HasOffers aff_c → Keitaro campaign link → landing) are one story, so the network's
 * transaction_id and the tracker's subid show on one card (PRODUCT capability 5).
 */

export interface TrailDeps {
  findClickIds: (url: string) => ClickId[];
  readResponse: (system: string, body: string, status?: number, opts?: { url?: string }) => ResponseMeaning;
}
const defaultDeps: TrailDeps = { findClickIds, readResponse };

type IdRef = Trail['ids'][number];

const STORED_PLACES = new Set<Observation['place']>([
  'cookie',
  'set-cookie',
  'session-cookie',
  'localStorage',
  'sessionStorage',
  'hidden-input',
  'input',
]);
const CARRIED_PLACES = new Set<Observation['place']>(['link', 'form-action']);
const CONVERSION_KINDS = new Set(['postback', 'pixel']);

/** Short values (`aff_sub=test`) would match everything; real ids are long [§1.5, §5 Transaction ID]. */
function significant(id: ClickId): boolean {
  if (id.macro) return true;
  if (id.value.length < 6) return false;
  return id.role !== 'sub' || id.value.length >= 8;
}

function isDocument(r: CapturedRequest): boolean {
  return r.type === 'main_frame' || r.type === 'sub_frame';
}

function recognitionsOf(r: CapturedRequest): Recognition[] {
  return r.hops.flatMap((h) => (h.recognition ? [h.recognition] : []));
}

const conversions = new WeakMap<CapturedRequest, Recognition | null>();
function conversionOf(r: CapturedRequest): Recognition | undefined {
  let found = conversions.get(r);
  if (found === undefined) {
    found = recognitionsOf(r).find((x) => CONVERSION_KINDS.has(x.kind)) ?? null;
    conversions.set(r, found);
  }
  return found ?? undefined;
}

class Groups {
  private parent = new Map<string, string>();
  find(v: string): string {
    let root = v;
    while (this.parent.get(root) !== root) {
      const next = this.parent.get(root);
      if (next === undefined) {
        this.parent.set(root, root);
        break;
      }
      root = next;
    }
    this.parent.set(v, root);
    return root;
  }
  union(a: string, b: string) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

export function buildTrails(session: Session, deps: TrailDeps = defaultDeps): Trail[] {
  const groups = new Groups();
  const refs = new Map<string, IdRef>();
  const firstSeen = new Map<string, number>();
  /** Ids per request, computed once. */
  const idsByRequest = new Map<string, ClickId[]>();

  const note = (ids: ClickId[], system: string, at: number) => {
    for (const id of ids) {
      // An unrecognised hop carrying external_id is a Keitaro campaign link: the param is Keitaro's [K10][K13].
      const owner = system || (id.role === 'external' ? 'keitaro' : '');
      if (!refs.has(id.value))
        refs.set(id.value, {
          value: id.value,
          param: id.param,
          system: owner,
          role: id.role,
          macro: id.macro,
        });
      if (!firstSeen.has(id.value)) firstSeen.set(id.value, at);
    }
  };

  for (const r of session.requests) {
    const ids: ClickId[] = [];
    for (const h of r.hops) {
      const found = [...safeIds(deps, h.url), ...(h.recognition?.clickIds ?? [])].filter(
        (id) => id.value !== '' && significant(id),
      );
      note(found, h.recognition?.system ?? '', h.at);
      ids.push(...found);
    }
    idsByRequest.set(r.id, ids);
    // One request's hops are one chain: its ids are one story. A conversion carries ids it did not create, so it links nothing.
    if (!conversionOf(r)) for (const id of ids.slice(1)) groups.union(ids[0]?.value ?? id.value, id.value);
    for (const id of ids) groups.find(id.value);
  }
  for (const p of session.pages) {
    const found = safeIds(deps, p.url).filter((id) => id.value !== '' && significant(id));
    note(found, '', p.at);
    for (const id of found) groups.union(found[0]?.value ?? id.value, id.value);
  }

  const members = new Map<string, string[]>();
  for (const value of refs.keys()) {
    const root = groups.find(value);
    members.set(root, [...(members.get(root) ?? []), value]);
  }

  // Indexes by value, so each trail touches only its own requests: linear in the session, not groups × requests.
  const order = new Map<CapturedRequest, number>();
  const byValue = new Map<string, CapturedRequest[]>();
  session.requests.forEach((r, i) => {
    order.set(r, i);
    for (const id of new Set((idsByRequest.get(r.id) ?? []).map((x) => x.value))) {
      const list = byValue.get(id);
      if (list) list.push(r);
      else byValue.set(id, [r]);
    }
  });
  const obsByValue = new Map<string, Observation[]>();
  for (const o of session.observations) obsByValue.set(o.value, [...(obsByValue.get(o.value) ?? []), o]);
  const index: TrailIndex = {
    requestsOf: (values) => {
      const found = new Set<CapturedRequest>();
      for (const v of values) for (const r of byValue.get(v) ?? []) found.add(r);
      return [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    },
    observationsOf: (values) => [...values].flatMap((v) => obsByValue.get(v) ?? []),
    orphans: [],
  };

  const arrivedValues = new Set<string>();
  for (const r of session.requests) {
    if (isDocument(r)) for (const id of idsByRequest.get(r.id) ?? []) arrivedValues.add(id.value);
  }
  for (const r of session.requests) {
    const id = conversionOf(r)?.clickId?.value;
    if (id !== undefined && (id === '' || !arrivedValues.has(id))) index.orphans.push(r);
    else if (conversionOf(r) && id === undefined) index.orphans.push(r);
  }

  const trails = [...members.values()]
    .map((values) => buildTrail(session, new Set(values), refs, index, deps))
    .filter((t): t is Trail & { at: number } => t !== null);
  trails.sort((a, b) => a.at - b.at);
  return trails.map(({ at: _at, ...t }) => t);
}

function safeIds(deps: TrailDeps, url: string): ClickId[] {
  try {
    return deps.findClickIds(url);
  } catch {
    return [];
  }
}

function stage(
  s: Omit<TrailStage, 'requestIds' | 'observations' | 'diagnostics'> & Partial<TrailStage>,
): TrailStage {
  return { requestIds: [], observations: [], diagnostics: [], ...s };
}

function diag(
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  evidence: string,
  fix: string,
): Diagnostic {
  return { code, severity, message, evidence, fix };
}

interface TrailIndex {
  requestsOf(values: Set<string>): CapturedRequest[];
  observationsOf(values: Set<string>): Observation[];
  /** Conversions whose click id is empty or arrived on no page of the tab. */
  orphans: CapturedRequest[];
}

function buildTrail(
  session: Session,
  values: Set<string>,
  refs: Map<string, IdRef>,
  index: TrailIndex,
  deps: TrailDeps,
): (Trail & { at: number }) | null {
  const ids = [...values].map((v) => refs.get(v)).filter((x): x is IdRef => !!x);
  /** This story's requests: every request that carries one of its values. */
  const mine = index.requestsOf(values);
  const mineSet = new Set(mine);
  const hasId = (r: CapturedRequest) => mineSet.has(r);
  const macro = ids.find((i) => i.macro);
  const primary = ids.find((i) => i.role === 'click' && !i.macro) ?? ids.find((i) => !i.macro) ?? ids[0];
  if (!primary) return null;

  // arrived
  const arrivals = mine.filter((r) => isDocument(r));
  const arrivedAt = arrivals[0]?.startedAt ?? Number.POSITIVE_INFINITY;
  const arrivalHost = hostOf(arrivals[0]?.hops[arrivals[0].hops.length - 1]?.url ?? '');
  let arrived: TrailStage;
  if (arrivals.length === 0) {
    arrived = stage({
      stage: 'arrived',
      state: 'missing',
      summary: `${primary.param}=${primary.value} was not seen arriving on a page of this tab.`,
    });
  } else if (macro) {
    // A placeholder that arrived with real ids (e.g. the network's transaction id) is still this click's story.
    arrived = stage({
      stage: 'arrived',
      state: 'problem',
      summary: `The landing received the unreplaced macro ${macro.param}=${macro.value}, not a click id.`,
      requestIds: arrivals.map((r) => r.id),
      diagnostics: [
        diag(
          'unreplaced-macro',
          'error',
          `The click id is the literal placeholder "${macro.value}": the tracker or network did not replace it.`,
          `${macro.param}=${macro.value} in ${lastUrl(arrivals[0])}`,
          'Check the macro name and syntax in the campaign/offer URL (Keitaro: {subid}; HasOffers: {transaction_id}, {aff_sub}).',
        ),
      ],
    });
  } else {
    arrived = stage({
      stage: 'arrived',
      state: 'ok',
      summary: ids.map((i) => `${i.param}=${i.value}`).join(', '),
      requestIds: arrivals.map((r) => r.id),
    });
  }

  /** A postback with this id sent from the page the id arrived on: nothing had to be stored. */
  const landingPages = new Set(arrivals.map((r) => r.pageId).filter((id) => id !== null));
  function sentFromLandingPage() {
    return mine.some((r) => conversionOf(r) && r.pageId !== null && landingPages.has(r.pageId));
  }

  // stored
  const obs = index.observationsOf(values);
  const stored = obs.filter((o) => STORED_PLACES.has(o.place));
  let storedStage: TrailStage;
  if (stored.length > 0) {
    const serverOnly = stored.every((o) => o.place === 'session-cookie');
    storedStage = stage({
      stage: 'stored',
      state: 'ok',
      summary: serverOnly
        ? `A server session cookie (${stored[0]?.name}) was set when the id arrived: the id is likely kept in the server session.`
        : `Stored in ${[...new Set(stored.map((o) => `${o.place} ${o.name}`))].join(', ')}.`,
      observations: stored,
    });
  } else if (arrivals.length > 0 && !macro && sentFromLandingPage()) {
    storedStage = stage({
      stage: 'stored',
      state: 'pending',
      summary: 'Not stored, but the postback left from the landing page itself, so it did not need to be.',
    });
  } else if (arrivals.length > 0 && !macro) {
    storedStage = stage({
      stage: 'stored',
      state: 'missing',
      summary:
        'The page stored the click id nowhere the browser can see: no cookie, no session cookie, no storage entry, no form field.',
      diagnostics: [
        diag(
          'stored-nowhere',
          'error',
          'The click id arrived but the landing stored it nowhere, so the postback will not know it.',
          `${primary.param}=${primary.value} arrived on ${lastUrl(arrivals[0])}; no cookie, session cookie, storage entry or form field holds it.`,
          "Start the session before storing the id (PHP: call session_start() before $_SESSION['subid'] = $_GET['subid']), or keep it in a cookie or a hidden form field.",
        ),
      ],
    });
  } else {
    storedStage = stage({ stage: 'stored', state: 'pending', summary: 'Nothing to store yet.' });
  }

  // carried
  const carriedObs = obs.filter((o) => CARRIED_PLACES.has(o.place));
  const carriedReqs = mine.filter(
    (r) => !isDocument(r) && !conversionOf(r) && recognitionsOf(r).some((x) => x.kind !== 'landing'),
  );
  const carried =
    carriedObs.length + carriedReqs.length > 0
      ? stage({
          stage: 'carried',
          state: 'ok',
          summary: `Carried on by ${[...carriedObs.map((o) => `${o.place} ${o.name}`), ...carriedReqs.map((r) => recognitionsOf(r)[0]?.kind ?? r.type)].slice(0, 4).join(', ')}${carriedObs.length + carriedReqs.length > 4 ? ' …' : ''}.`,
          observations: carriedObs,
          requestIds: carriedReqs.map((r) => r.id),
        })
      : stage({
          stage: 'carried',
          state: 'pending',
          summary:
            'Not carried on by a link, form or later request (not needed when the landing sends the postback itself).',
        });

  // sent
  const sentReqs = mine.filter((r) => conversionOf(r));
  let sent: TrailStage;
  if (sentReqs.length > 0) {
    const diagnostics: Diagnostic[] = [];
    for (const r of sentReqs) {
      const rec = conversionOf(r);
      if (rec?.macros.length) {
        diagnostics.push(
          diag(
            'unreplaced-macro',
            'error',
            'The postback carries an unreplaced macro.',
            rec.macros.map((m) => `${m.param}=${m.value}`).join(', '),
            'Replace the placeholder with the real value before sending the postback.',
          ),
        );
      }
    }
    sent = stage({
      stage: 'sent',
      state: diagnostics.length ? 'problem' : 'ok',
      summary: sentReqs
        .slice(0, 3)
        .map((r) => {
          const rec = conversionOf(r);
          const status = rec?.fields.status ? ` status=${rec.fields.status}` : '';
          return `${rec?.system ?? ''} ${rec?.kind ?? ''}${status} (${r.via ?? r.type})`;
        })
        .join('; '),
      requestIds: sentReqs.map((r) => r.id),
      diagnostics,
    });
  } else {
    // Postbacks whose click id arrived nowhere: candidates for "carried the wrong id". A few are enough to show.
    const foreign: CapturedRequest[] = [];
    if (arrivals.length > 0) {
      for (const r of index.orphans) {
        if (r.startedAt >= arrivedAt && !hasId(r)) foreign.push(r);
        if (foreign.length >= 20) break;
      }
    }
    const formSubmit = session.pages.find(
      (p) =>
        p.transition === 'form_submit' &&
        p.at >= arrivedAt &&
        (arrivalHost === '' || hostOf(p.url) === arrivalHost),
    );
    if (arrivals.length > 0 && foreign.length > 0) {
      const rec = foreign[0] ? conversionOf(foreign[0]) : undefined;
      const other = rec?.clickId?.value ?? '';
      sent = stage({
        stage: 'sent',
        state: 'problem',
        summary: other
          ? `A postback went out with ${rec?.clickId?.param}=${other}, not this click id.`
          : 'A postback went out without any click id.',
        requestIds: foreign.map((r) => r.id),
        diagnostics: [
          other
            ? diag(
                'postback-subid-differs',
                'error',
                `The postback's click id (${other}) differs from the one the landing received (${primary.value}).`,
                `${lastUrl(foreign[0])}`,
                'Send the click id the landing received (read it from where the landing stored it).',
              )
            : diag(
                'postback-without-click-id',
                'error',
                'The postback carries no click id, so the tracker cannot attribute it.',
                `${lastUrl(foreign[0])}`,
                `Add ${primary.param === 'transaction_id' ? 'transaction_id' : 'subid'}=${primary.value} to the postback.`,
              ),
        ],
      });
    } else if (arrivals.length > 0 && formSubmit) {
      sent = stage({
        stage: 'sent',
        state: 'invisible',
        summary:
          "Not visible from the browser: the form was submitted and no postback left the browser, so the landing's server probably sent it. Rebuild it here and replay it to see the tracker's answer.",
      });
    } else {
      sent = stage({
        stage: 'sent',
        state: 'pending',
        summary:
          "No postback seen from the browser yet. If the landing's server sends it, the browser cannot see it: rebuild and replay it to check.",
      });
    }
  }

  // answered
  const answers: string[] = [];
  const answerDiags: Diagnostic[] = [];
  let answerState: TrailStage['state'] = 'pending';
  for (const r of sentReqs) {
    const rec = conversionOf(r);
    if (r.error) {
      answerState = 'problem';
      answerDiags.push(
        diag(
          'request-failed',
          'error',
          `The postback request failed: ${r.error}.`,
          lastUrl(r),
          r.error.includes('BLOCKED_BY_CLIENT')
            ? 'An ad blocker or privacy extension blocked it: allow the tracker domain.'
            : 'Check that the tracker domain resolves and answers.',
        ),
      );
      answers.push(`failed: ${r.error}`);
    } else if (r.responseBody && rec) {
      const meaning = deps.readResponse(rec.system, r.responseBody.text, r.status, { url: lastUrl(r) });
      answers.push(`${r.status ?? ''} ${quote(r.responseBody.text)} — ${meaning.message}`);
      if (meaning.verdict === 'rejected') {
        answerState = 'problem';
        answerDiags.push(
          diag(
            'failure-body',
            'error',
            `HTTP ${r.status ?? 200} but the body says it failed: ${meaning.message}`,
            quote(r.responseBody.text),
            'Fix what the answer names, then replay.',
          ),
        );
      } else if (answerState !== 'problem') answerState = 'ok';
    } else if (r.status !== undefined) {
      answers.push(
        `HTTP ${r.status}; the body of ${r.via ?? r.type} requests is not visible to extensions — replay to read it.`,
      );
      if (answerState === 'pending') answerState = r.status >= 400 ? 'problem' : 'invisible';
    }
  }
  for (const rp of session.replays) {
    if (![...values].some((v) => rp.request.url.includes(v) || (rp.request.body ?? '').includes(v))) continue;
    if (rp.meaning) {
      answers.push(
        `replay: ${rp.response?.status ?? ''} ${quote(rp.response?.body ?? '')} — ${rp.meaning.message}`,
      );
      if (rp.meaning.verdict === 'rejected' && answerState !== 'ok') answerState = 'problem';
      else if (rp.meaning.verdict === 'accepted')
        answerState = answerState === 'problem' && sentReqs.length > 0 ? 'problem' : 'ok';
    } else if (rp.error) answers.push(`replay failed: ${rp.error}`);
  }
  const answered = stage({
    stage: 'answered',
    state: answerState,
    summary: answers.length ? answers.slice(0, 3).join(' | ') : 'No answer yet.',
    requestIds: sentReqs.map((r) => r.id),
    diagnostics: answerDiags,
  });

  const stages = [arrived, storedStage, carried, sent, answered];
  const firstBroken = stages.findIndex((s) => s.state === 'missing' || s.state === 'problem');
  const at = arrivals[0]?.startedAt ?? sentReqs[0]?.startedAt ?? Number.MAX_SAFE_INTEGER;
  return { ids, stages, firstBroken, at };
}

function lastUrl(r: CapturedRequest | undefined): string {
  return r?.hops[r.hops.length - 1]?.url ?? '';
}

function quote(body: string): string {
  const t = body.trim();
  return `"${t.length > 120 ? `${t.slice(0, 120)}…` : t}"`;
}
