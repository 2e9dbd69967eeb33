import {
  findClickIds,
  type ReadParam,
  type RecognizeDetail,
  type RecognizeOptions,
  recognize,
  recognizeDetailed,
} from '../recognize/recognize';
import type { Diagnostic, Severity } from '../recognize/schema';
import { KEITARO_BUCKET_PARAMS, KEITARO_SUBID_ALIASES } from '../systems/keitaro';
import { KEITARO_STATUS_ALIASES, parseStatus, type StatusOverrides, suggestStatus } from './parse-status';
import { findMangledEntities, repairHtmlEntities } from './repair-html-entities';

/**
 * Findings about one URL (plus its POST body), in plain words, each with evidence and a fix.
 * Cross-request findings (stored nowhere, subid differs from the landing's, failed requests)
 * belong to the session, not here. Never throws.
 */

export type DiagnoseOptions = RecognizeOptions;

const MAX_EVIDENCE = 200;

function clip(text: string): string {
  return text.length > MAX_EVIDENCE ? `${text.slice(0, MAX_EVIDENCE)}…` : text;
}

function pair(name: string, value: string): string {
  return clip(`${name}=${value}`);
}

function diag(code: string, severity: Severity, message: string, evidence: string, fix: string): Diagnostic {
  return { code, severity, message, evidence: clip(evidence), fix };
}

function last(detail: RecognizeDetail, name: string): ReadParam | undefined {
  const i = detail.lastIndex.get(name);
  return i === undefined ? undefined : detail.params[i];
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const COMMA_DECIMAL = /^-?\d+,\d+$/;

function checkMangled(url: string, onPostback: boolean): Diagnostic[] {
  const fragments = findMangledEntities(url);
  if (fragments.length === 0) return [];
  const repaired = repairHtmlEntities(url);
  const shown = fragments.map((f) => `${clip(url.slice(f.index, f.index + f.found.length + 12))}`).join(', ');
  return [
    diag(
      'html-entity-mangled',
      onPostback ? 'error' : 'warning',
      `This URL was copied from a web page that turned ${fragments.map((f) => `"${f.meant}"`).join(', ')} into ${fragments
        .map((f) => `"${f.found}"`)
        .join(', ')}, so those params never reach the tracker under their names.`,
      shown,
      `Use the repaired URL: ${repaired}`,
    ),
  ];
}

function checkMacros(detail: RecognizeDetail): Diagnostic[] {
  const ids = new Set(detail.recognition.clickIds.map((c) => c.param));
  return detail.recognition.macros.map((m) => {
    const isId = ids.has(m.param);
    return diag(
      'unreplaced-macro',
      isId ? 'error' : 'warning',
      isId
        ? `The click id param "${m.param}" holds the placeholder ${m.value} instead of a real id: whoever builds this URL never filled it in. Trackers still answer "accepted" and only later log that the id was not found.`
        : `The param "${m.param}" holds the placeholder ${m.value} instead of a value.`,
      pair(m.param, m.value),
      m.style === 'filler'
        ? `Replace the template word ${m.value} with the sender's macro for this value (e.g. {subid} in Keitaro, {transaction_id} in HasOffers), or remove the param if it is optional.`
        : `Check that the sending system knows the macro ${m.value} by exactly this name and that it has a value for this click; macros are case-sensitive and unknown ones are sent as written.`,
    );
  });
}

function checkHash(detail: RecognizeDetail): Diagnostic[] {
  const hash = detail.parts.hash;
  if (hash === null || !/[A-Za-z0-9_]=/.test(hash)) return [];
  return [
    diag(
      'hash-cuts-query',
      'warning',
      'Everything after "#" stays in the browser and is never sent to the server, so the params written after it are lost.',
      clip(`#${hash}`),
      'Encode a literal "#" as %23 (CAKE tokens like #reqid# must be replaced, not sent raw), or move the params before the "#".',
    ),
  ];
}

function checkDuplicates(detail: RecognizeDetail): Diagnostic[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const p of detail.params) {
    if (seen.has(p.rawName) && !dup.includes(p.rawName) && dup.length < 10) dup.push(p.rawName);
    seen.add(p.rawName);
  }
  return dup.map((name) =>
    diag(
      'duplicate-param',
      'info',
      `"${name}" appears more than once; PHP trackers (Keitaro, HasOffers) use only the last one.`,
      clip(
        detail.params
          .filter((p) => p.rawName === name)
          .slice(0, 5)
          .map((p) => pair(p.name, p.value))
          .join('&'),
      ),
      `Keep one "${name}".`,
    ),
  );
}

function checkPayout(detail: RecognizeDetail, field: string, convertsComma: boolean): Diagnostic[] {
  const value = detail.recognition.fields[field];
  if (value === undefined || value === '' || detail.recognition.macros.some((m) => m.value === value))
    return [];
  // `10¤cy=EUR`: already reported as html-entity-mangled; the amount itself is fine.
  if (findMangledEntities(value).length > 0) return [];
  const param =
    detail.params.find(
      (p) =>
        p.value === value && detail.system.paramsFor(detail.recognition.kind).get(p.rawName)?.field === field,
    )?.name ?? field;
  const v = value.trim();
  if (COMMA_DECIMAL.test(v)) {
    return [
      diag(
        'comma-decimal-payout',
        convertsComma ? 'info' : 'warning',
        convertsComma
          ? `The amount ${v} uses a decimal comma. Keitaro turns it into ${v.replace(',', '.')}, but other systems read it as ${v.split(',')[0]} or reject it.`
          : `The amount ${v} uses a decimal comma; this system expects a dot and may read it as ${v.split(',')[0]} or reject it.`,
        pair(param, value),
        `Send ${v.replace(',', '.')}.`,
      ),
    ];
  }
  if (!NUMBER.test(v)) {
    return [
      diag(
        'non-numeric-payout',
        'warning',
        `The amount "${clip(v)}" is not a number, so the conversion may be recorded with no revenue.`,
        pair(param, value),
        'Send digits with a dot as the decimal separator, e.g. 12.50, and the currency in its own param.',
      ),
    ];
  }
  return [];
}

const HASOFFERS_HINT = /tune|hasoffers|has_offers/i;

function keitaroPostback(detail: RecognizeDetail): Diagnostic[] {
  const out: Diagnostic[] = [];
  const rec = detail.recognition;
  const present = KEITARO_SUBID_ALIASES.filter((a) => detail.lastIndex.has(a));
  const subidParam = present.length > 0 ? last(detail, present[0] as string) : undefined;

  if (present.length === 0) {
    out.push(
      diag(
        'subid-fallback-cookie',
        'warning',
        'This Keitaro postback carries no subid. Keitaro then uses the "_subid" cookie sent with the request, so fired from a browser it attaches the conversion to whatever click that cookie names — or ignores it with "Incorrect subid".',
        clip(`${detail.parts.path}${detail.parts.query === null ? '' : `?${detail.parts.query}`}`),
        "Add subid={subid} (or the network macro that returns Keitaro's subid, e.g. {aff_click_id} or {aff_sub} for HasOffers).",
      ),
    );
  }

  if (subidParam !== undefined && subidParam.macro === null && subidParam.value !== '') {
    const v = subidParam.value;
    if (v.includes(':')) {
      out.push(
        diag(
          'colon-in-subid',
          'warning',
          `The subid contains ":". Keitaro keeps only the part before the first ":" ("${clip(v.split(':')[0] ?? '')}") as the subid and files the rest as subid2, subid3…, so the click may not be found.`,
          pair(subidParam.name, v),
          'Send the subid exactly as Keitaro issued it, without anything joined to it by ":".',
        ),
      );
    }
    if (/^[0-9]+x[0-9]+x/.test(v)) {
      out.push(
        diag(
          'legacy-x-subid',
          'info',
          `This subid has the legacy "NNNxNNNx…" form; Keitaro replaces every "x" with "-" before looking it up (${clip(v.replace(/x/g, '-'))}).`,
          pair(subidParam.name, v),
          'Nothing to do if the click was made in that format; otherwise check that the value really is a Keitaro subid.',
        ),
      );
    }
  }

  const subidEmpty = subidParam !== undefined && subidParam.macro === null && subidParam.value === '';
  const from = rec.fields.from ?? '';
  const viaHasoffers =
    HASOFFERS_HINT.test(from) || rec.fields.tid !== undefined || detail.lastIndex.has('affiliate_id');
  if ((subidEmpty || present.length === 0) && viaHasoffers) {
    out.push(
      diag(
        'aff-sub-vs-click-id',
        'warning',
        "The subid is empty although this looks like a HasOffers postback. The usual cause: the offer URL passes Keitaro's {subid} in one HasOffers param (aff_click_id) while the postback template reads another ({aff_sub}), or the reverse — then HasOffers has nothing to send back.",
        subidParam !== undefined ? pair(subidParam.name, subidParam.value) : clip(`from=${from}`),
        'Use the same HasOffers param on both sides: offer URL …&aff_click_id={subid} with postback subid={aff_click_id}, or …&aff_sub={subid} with subid={aff_sub}.',
      ),
    );
  }

  const status = last(detail, 'status');
  if (status === undefined) {
    out.push(
      diag(
        'missing-status',
        'warning',
        'No status. Keitaro versions disagree: the v9 docs say a missing status means "sale", the newest docs say the postback is ignored.',
        clip(`${detail.parts.path}${detail.parts.query === null ? '' : `?${detail.parts.query}`}`),
        'Always send status= (lead, sale, rejected or rebill).',
      ),
    );
  } else if (status.macro === null) {
    const overrides: StatusOverrides = {};
    for (const key of ['sale_status', 'lead_status', 'rejected_status', 'ignore_status'] as const) {
      const p = last(detail, key);
      if (p !== undefined) overrides[key] = p.value;
    }
    const reading = parseStatus(status.value, overrides);
    if (reading.via === 'missing') {
      out.push(
        diag(
          'missing-status',
          'warning',
          'The status is empty. Keitaro versions disagree: v9 files an empty status as "sale", the newest docs say the postback is ignored.',
          pair(status.name, status.value),
          'Send status= with lead, sale, rejected or rebill.',
        ),
      );
    } else if (reading.via === 'unknown' || reading.via === 'newer') {
      const suggestion = suggestStatus(status.value);
      const hint =
        suggestion !== null && suggestion.name.toLowerCase() !== status.value.trim().toLowerCase()
          ? ` Did you mean "${suggestion.name}"${suggestion.bucket !== null ? ` (counted as ${suggestion.bucket})` : ''}?`
          : '';
      out.push(
        diag(
          'unknown-status',
          'warning',
          reading.via === 'newer'
            ? `"${status.value}" is a status only newer Keitaro versions know; older ones treat it as an unknown status (v9 counts it as a lead).`
            : `"${clip(status.value)}" is not a Keitaro status or alias. Keitaro v9 counts unknown statuses as "lead"; the newest docs say it ignores the postback unless the status was taught with sale_status= / lead_status= / rejected_status=.${hint}`,
          pair(status.name, status.value),
          suggestion !== null && suggestion.bucket !== null
            ? `Send status=${suggestion.bucket}${suggestion.name !== suggestion.bucket ? ` (or ${suggestion.name})` : ''}. If the sender cannot change the value, list it in ${suggestion.bucket}_status= together with every other value that should count as ${suggestion.bucket}: that list replaces the built-in one.`
            : 'Send lead, sale, rejected or rebill. If the sender cannot change the value, list it in sale_status= / lead_status= / rejected_status= (each list replaces the built-in one).',
        ),
      );
    }
  }

  for (const key of KEITARO_BUCKET_PARAMS) {
    const p = last(detail, key);
    if (p === undefined) continue;
    const bucket = key === 'ignore' ? 'ignore' : key.replace('_status', '');
    const builtIn = (KEITARO_STATUS_ALIASES as Record<string, readonly string[] | undefined>)[bucket];
    out.push(
      diag(
        'status-bucket-replaced',
        'info',
        `${key}= replaces Keitaro's built-in ${bucket} list for this postback; it does not add to it.${
          builtIn !== undefined
            ? ` Values like ${builtIn.slice(0, 4).join(', ')} no longer count as ${bucket} unless listed.`
            : ''
        }`,
        pair(p.name, p.value),
        `List every value that should count as ${bucket} in ${key}=, or drop the param to keep the built-in list.`,
      ),
    );
  }
  // Typos printed in Keitaro's own postback page [K2].
  for (const typo of ['rejected', 'sale', 'lead'] as const) {
    const p = last(detail, typo);
    if (p === undefined) continue;
    out.push(
      diag(
        'status-param-typo',
        'warning',
        `"${typo}=" is not a Keitaro param (Keitaro's docs print it that way by mistake); the list is ignored.`,
        pair(p.name, p.value),
        `Use ${typo}_status=${p.value}.`,
      ),
    );
  }
  out.push(...checkPayout(detail, 'payout', true));
  return out;
}

function keitaroUpdateTokens(detail: RecognizeDetail): Diagnostic[] {
  if (detail.lastIndex.has('sub_id')) return [];
  const p = last(detail, 'subid') ?? last(detail, '_subid');
  return [
    diag(
      'update-tokens-sub-id',
      'error',
      'Updating click params needs the click id in "sub_id" (with an underscore); this URL does not have it, so nothing is updated.',
      p !== undefined ? pair(p.name, p.value) : clip(detail.parts.query ?? ''),
      p !== undefined ? `Rename ${p.name}= to sub_id=.` : 'Add sub_id={subid}.',
    ),
  ];
}

const CLICK_ID_LIKE = /^[0-9a-z]{10,32}$/;

function hasoffersClick(detail: RecognizeDetail): Diagnostic[] {
  const sub = last(detail, 'aff_sub');
  if (sub === undefined || detail.lastIndex.has('aff_click_id')) return [];
  const carriesId = sub.macro !== null ? /subid|click/i.test(sub.value) : CLICK_ID_LIKE.test(sub.value);
  if (!carriesId) return [];
  return [
    diag(
      'aff-sub-vs-click-id',
      'info',
      'This link passes a click id in aff_sub. HasOffers returns it only through {aff_sub}: a postback template that reads {aff_click_id} gets nothing back, and Keitaro answers "Incorrect subid".',
      pair(sub.name, sub.value),
      'Make the postback read the same param (subid={aff_sub}), or move the id to aff_click_id, which HasOffers recommends for unique ids.',
    ),
  ];
}

function missingId(detail: RecognizeDetail): Diagnostic[] {
  const rec = detail.recognition;
  if (rec.clickId !== null || detail.shape.clickId.length === 0) return [];
  if (detail.shape.clickId.some((name) => detail.lastIndex.has(name))) return [];
  const names = detail.shape.clickId.slice(0, 3).join(' / ');
  return [
    diag(
      'missing-click-id',
      'error',
      `This ${rec.system} ${rec.kind} has no ${names}, so the receiver cannot tell which click converted.`,
      clip(`${detail.parts.path}${detail.parts.query === null ? '' : `?${detail.parts.query}`}`),
      `Add ${detail.shape.clickId[0]}= with the sender's macro for it.`,
    ),
  ];
}

function checkStatusValues(detail: RecognizeDetail): Diagnostic[] {
  const spec = detail.system.def.status;
  if (spec?.values === undefined) return [];
  const value = detail.recognition.fields[spec.field];
  if (value === undefined || value === '' || detail.recognition.macros.some((m) => m.value === value))
    return [];
  // `10¤cy=EUR`: already reported as html-entity-mangled; the amount itself is fine.
  if (findMangledEntities(value).length > 0) return [];
  if (spec.values.some((v) => v.value === value)) return [];
  const known = spec.values.map((v) => `${v.value} (${v.meaning})`).join(', ');
  const byMeaning = spec.values.find((v) => v.meaning.toLowerCase() === value.trim().toLowerCase());
  return [
    diag(
      'unknown-status',
      'warning',
      `"${clip(value)}" is not one of ${detail.system.def.name}'s status values: ${known}.`,
      pair(spec.field, value),
      byMeaning !== undefined
        ? `Send ${spec.field}=${byMeaning.value}.`
        : `Send one of ${spec.values.map((v) => v.value).join(', ')}.`,
    ),
  ];
}

function diagnoseRecognised(url: string, detail: RecognizeDetail): Diagnostic[] {
  const rec = detail.recognition;
  const out: Diagnostic[] = [];
  for (const note of detail.shape.shape.notes ?? []) {
    out.push(
      diag(
        note.code,
        note.severity,
        note.message,
        clip(`${detail.parts.host}${detail.parts.path}`),
        note.fix,
      ),
    );
  }
  out.push(...checkMangled(url, rec.kind === 'postback'));
  out.push(...checkMacros(detail));
  if (rec.clickId !== null && rec.clickId.value === '') {
    out.push(
      diag(
        'empty-click-id',
        'error',
        `The click id param "${rec.clickId.param}" is present but empty, so the receiver cannot match the conversion${
          rec.system === 'keitaro' && rec.kind === 'postback' ? ' (Keitaro answers "Incorrect subid")' : ''
        }.`,
        pair(rec.clickId.param, ''),
        'Check that the sender has a value for this macro on this click: usually the id was not passed in on the click link.',
      ),
    );
  }
  out.push(...checkHash(detail));
  out.push(...checkDuplicates(detail));
  const system = rec.system;
  if (system === 'keitaro' && rec.kind === 'postback') out.push(...keitaroPostback(detail));
  if (system === 'keitaro' && rec.kind === 'update-tokens') out.push(...keitaroUpdateTokens(detail));
  if (system === 'hasoffers' && rec.kind === 'click') out.push(...hasoffersClick(detail));
  if (system === 'hasoffers' && (rec.kind === 'postback' || rec.kind === 'pixel')) {
    out.push(...checkPayout(detail, 'amount', false));
  }
  if (system !== 'keitaro' && rec.kind === 'postback') out.push(...missingId(detail));
  out.push(...checkStatusValues(detail));
  return out;
}

/** Findings for one URL (and body). Empty for clean and for unrelated URLs. */
export function diagnoseUrl(url: string, opts?: DiagnoseOptions): Diagnostic[] {
  if (typeof url !== 'string') return [];
  const detail = recognizeDetailed(url, opts);
  if (detail !== null) return diagnoseRecognised(url, detail);
  // Not recognisable as written, but is once the HTML damage is undone.
  const repaired = repairHtmlEntities(url);
  if (repaired !== url) {
    const rec = recognize(repaired, opts);
    if (rec !== null) return checkMangled(url, rec.kind === 'postback');
  }
  // A page nobody recognises can still carry an unfilled click id (an advertiser landing
  // receiving `transaction_id={transaction_id}`).
  return findClickIds(url, opts)
    .filter((c) => c.macro)
    .map((c) =>
      diag(
        'unreplaced-macro',
        'error',
        `The click id param "${c.param}" holds the placeholder ${c.value} instead of a real id: the link that led here was never filled in.`,
        pair(c.param, c.value),
        'Check the macro name in the link that sends visitors here, and that the sender has a value for it.',
      ),
    );
}
