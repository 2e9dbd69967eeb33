import type { ResponseMeaning } from '../recognize/schema';
import { systems as builtInSystems, getSystem } from '../systems';
import type { SystemDefinition } from '../systems/schema';
import { parseQuery } from '../url/parse-query';
import { splitUrl } from '../url/split-url';

/**
 * What a tracker's reply body means. Trackers answer HTTP 200 whatever happened (Keitaro,
 * HasOffers, the HasOffers API [L1][T1][G22]), so the body is read, and the `caveat` always
 * says why even an "accepted" answer is not proof and where to look instead.
 */

export interface ReadResponseOptions {
  /** The request URL: Keitaro's `return=` changes what the body looks like [K1][K2]. */
  url?: string;
  systems?: readonly SystemDefinition[];
}

/** Answers we know are a few bytes; a longer body is a page, and patterns stay cheap. */
const MAX_PATTERN_INPUT = 4096;

const GENERIC_CAVEAT =
  "HTTP 200 proves only that a server answered. Check the receiving system's conversion log or report for this click id.";

const JSONP = /^KTracking\s*&&\s*KTracking\.response\(\s*("(?:[^"\\]|\\.)*")\s*\)\s*;?$/s;

function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#039;');
}

function lastParam(url: string | undefined, name: string): string | undefined {
  if (url === undefined) return undefined;
  const parts = splitUrl(url);
  if (parts?.query == null) return undefined;
  let value: string | undefined;
  for (const p of parseQuery(parts.query)) if (p.rawName === name) value = p.value;
  return value;
}

function isGif(body: string): boolean {
  return body.startsWith('GIF87a') || body.startsWith('GIF89a');
}

function looksLikeHtml(body: string): boolean {
  return /^<(?:!doctype|html|head|body)\b/i.test(body);
}

function applyRules(
  def: SystemDefinition,
  text: string,
  details: Record<string, string>,
): { verdict: ResponseMeaning['verdict']; message: string } | null {
  const input = text.length > MAX_PATTERN_INPUT ? text.slice(0, MAX_PATTERN_INPUT) : text;
  for (const rule of def.responses) {
    const m = new RegExp(rule.pattern, rule.flags ?? '').exec(input);
    if (m === null) continue;
    if (m.groups !== undefined)
      for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) details[k] = v;
    return { verdict: rule.verdict, message: rule.message };
  }
  return null;
}

function meaning(
  system: string,
  verdict: ResponseMeaning['verdict'],
  message: string,
  caveat: string,
  details: Record<string, string>,
): ResponseMeaning {
  return { system, verdict, message, caveat, details };
}

function readKeitaro(
  def: SystemDefinition,
  body: string,
  url: string | undefined,
  details: Record<string, string>,
): { verdict: ResponseMeaning['verdict']; message: string } | null {
  const jsonp = JSONP.exec(body);
  if (jsonp !== null) {
    let inner = '';
    try {
      inner = String(JSON.parse(jsonp[1] as string));
    } catch {
      inner = (jsonp[1] as string).slice(1, -1);
    }
    details.jsonp = inner;
    const read = applyRules(def, inner.trim(), details);
    return (
      read ?? {
        verdict: 'accepted',
        message: `Keitaro answered the JSONP callback (return=jsonp) with "${inner}".`,
      }
    );
  }
  const ret = lastParam(url, 'return');
  if (ret !== undefined && ret !== '' && ret !== 'jsonp') {
    details.return = ret;
    // `return=` replaces the "Success" body [K1][K2][L1]; errors keep their own text.
    if (ret === 'gif' && isGif(body)) {
      return {
        verdict: 'accepted',
        message: 'Keitaro answered with the 1×1 GIF asked for by return=gif instead of "Success".',
      };
    }
    if (body === ret || body === htmlEscape(ret)) {
      return {
        verdict: 'accepted',
        message: `Keitaro answered with the return= text "${ret}" instead of "Success": it queued the postback.`,
      };
    }
  }
  if (isGif(body)) {
    return {
      verdict: 'unknown',
      message: 'A GIF image: it says nothing about whether the postback was taken.',
    };
  }
  return null;
}

function readHasoffersJson(
  body: string,
  details: Record<string, string>,
): { verdict: ResponseMeaning['verdict']; message: string } | null {
  if (!body.startsWith('{')) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (json === null || typeof json !== 'object') return null;
  const envelope = (json as { response?: unknown }).response;
  if (envelope !== null && typeof envelope === 'object') {
    // API envelope: HTTP 200 even on a bad key, `response.status` 1 = ok, -1 = error [G22].
    const { status, errors } = envelope as { status?: unknown; errors?: unknown };
    if (Array.isArray(errors) && errors.length > 0) details.errors = JSON.stringify(errors).slice(0, 2000);
    if (status === 1) return { verdict: 'accepted', message: 'The HasOffers API answered status 1 (ok).' };
    if (status === -1)
      return {
        verdict: 'rejected',
        message: 'The HasOffers API answered status -1 (error), despite HTTP 200.',
      };
    return null;
  }
  const success = (json as { success?: unknown }).success;
  // `format=json` answers are not documented [G13]: read only an explicit boolean.
  if (success === true) return { verdict: 'accepted', message: 'HasOffers answered success: true.' };
  if (success === false) {
    const err = (json as { err_msg?: unknown }).err_msg;
    if (typeof err === 'string') details.err_msg = err;
    return { verdict: 'rejected', message: 'HasOffers answered success: false.' };
  }
  return null;
}

function explainHasoffersError(err: string): string | null {
  if (/duplicate/i.test(err))
    return 'HasOffers already has a conversion for this transaction id (duplicate).';
  if (/invalid trans/i.test(err)) {
    return 'HasOffers does not know this transaction id: it was not created by a click on this network (a test link gives this too).';
  }
  return null;
}

/**
 * Reads a reply body for a system id (`keitaro`, `hasoffers`, `cake` …). `status` is the
 * HTTP status when known. Never throws; unknown bodies give verdict `unknown`.
 */
export function readResponse(
  system: string,
  body: string,
  status?: number,
  opts?: ReadResponseOptions,
): ResponseMeaning {
  const list = opts?.systems ?? builtInSystems;
  const def = typeof system === 'string' ? getSystem(system, list) : undefined;
  const id = typeof system === 'string' ? system : 'unknown';
  const caveat = def?.responseCaveat ?? GENERIC_CAVEAT;
  const details: Record<string, string> = Object.create(null);
  const text = typeof body === 'string' ? body.trim() : '';
  const name = def?.name ?? id;

  if (typeof status === 'number' && Number.isFinite(status)) {
    details.status = String(status);
    if (status >= 400) {
      const why =
        status === 404
          ? 'nothing answers at this path: check the domain and the path (for Keitaro /KEY/postback)'
          : status >= 500
            ? 'the server failed while handling it'
            : 'the server refused the request';
      return meaning(id, 'rejected', `HTTP ${status}: ${why}. The postback was not taken.`, caveat, details);
    }
  }
  if (text === '') {
    return meaning(
      id,
      'unknown',
      'An empty body: nothing says whether the postback was taken.',
      caveat,
      details,
    );
  }

  let read: { verdict: ResponseMeaning['verdict']; message: string } | null = null;
  if (def?.id === 'keitaro') read = readKeitaro(def, text, opts?.url, details);
  if (read === null && def?.id === 'hasoffers') read = readHasoffersJson(text, details);
  if (read === null && def !== undefined) read = applyRules(def, text, details);
  if (read !== null && def?.id === 'hasoffers' && details.err_msg !== undefined) {
    const explained = explainHasoffersError(details.err_msg);
    if (explained !== null)
      read = { verdict: read.verdict, message: `${explained} (err_msg: ${details.err_msg})` };
    else read = { verdict: read.verdict, message: `${read.message} err_msg: ${details.err_msg}` };
  }
  if (read !== null) return meaning(id, read.verdict, read.message, caveat, details);
  if (looksLikeHtml(text)) {
    return meaning(
      id,
      'unknown',
      `An HTML page, not a ${name} postback answer: the URL probably points at a website rather than the tracker endpoint.`,
      caveat,
      details,
    );
  }
  details.body = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return meaning(
    id,
    'unknown',
    `Postback Lens does not know what this ${name} answer means.`,
    caveat,
    details,
  );
}
