import type { Recognition } from '../recognize/schema';
import { parseBody, parseQuery } from '../url/parse-query';

/**
 * Decoded params of one URL (or form body), grouped by what they mean to a media buyer. The
 * recogniser says which params are click ids and which it knows; the names below sort the rest.
 */

export type ParamGroup = 'clickId' | 'status' | 'money' | 'sub' | 'other' | 'unknown';
export const PARAM_GROUPS: ParamGroup[] = ['clickId', 'status', 'money', 'sub', 'other', 'unknown'];

export interface DecodedParam {
  name: string;
  value: string;
  /** As written in the URL, before decoding. */
  raw: string;
  group: ParamGroup;
  /** The value is an unreplaced macro ({subid}, REPLACE …) according to the recogniser. */
  macro: boolean;
  source: 'query' | 'body' | 'path';
}

// Keitaro status/payout/tid aliases [L2]; HasOffers amount/goal [T1][T5].
const STATUS =
  /^(status|sale_status|lead_status|rejected_status|ignore_status|ignore|cnv_status2?|goal_id|goal_name|goal|et)$/i;
const MONEY =
  /^(payout|revenue|profit|cost|currency|amount|sale_amount|sum|summ_approved|payment|order_sum|order_amount|affiliatecommission|value|tid|txid|trans_id|receipt|cnv_currency)$/i;
const SUB =
  /^(sub_?id_?\d+|aff_sub\d*|adv_sub\d*|aff_unique\d*|adv_unique\d*|sub\d+|param\d+|extra_param_\d+|source|utm_[a-z]+)$/i;

/** Name, decoded value and the pair as written, via the core's never-throwing query parser. */
export function splitQuery(query: string): { name: string; value: string; raw: string }[] {
  return parseQuery(query.startsWith('?') ? query.slice(1) : query).map((p) => ({
    name: p.name,
    value: p.value,
    raw: p.raw,
  }));
}

/** Params of a form or JSON body. */
export function bodyParams(body: string): { name: string; value: string; raw: string }[] {
  return parseBody(body).map((p) => ({ name: p.name, value: p.value, raw: p.raw }));
}

function queryOf(url: string): string {
  const noHash = url.split('#', 1)[0] ?? '';
  const i = noHash.indexOf('?');
  return i < 0 ? '' : noHash.slice(i + 1);
}

function groupOf(name: string, rec: Recognition | null, idParams: Set<string>): ParamGroup {
  if (idParams.has(name)) return 'clickId';
  if (STATUS.test(name)) return 'status';
  if (MONEY.test(name)) return 'money';
  if (SUB.test(name)) return 'sub';
  if (!rec) return 'unknown';
  if (rec.unknownParams.some((p) => p.name === name)) return 'unknown';
  return name in rec.fields ? 'other' : 'unknown';
}

/** Every param of a URL and of an optional form-encoded body, in order, with its group. */
export function decodeParams(url: string, rec: Recognition | null, body?: string): DecodedParam[] {
  // An affiliate sub (aff_sub) often carries someone's click id, but to a reader it is a sub id.
  const idParams = new Set((rec?.clickIds ?? []).filter((c) => c.role !== 'sub').map((c) => c.param));
  const macroParams = new Set((rec?.macros ?? []).map((m) => m.param));
  for (const c of rec?.clickIds ?? []) if (c.macro) macroParams.add(c.param);
  const out: DecodedParam[] = [];
  const push = (p: { name: string; value: string; raw: string }, source: DecodedParam['source']) =>
    out.push({ ...p, group: groupOf(p.name, rec, idParams), macro: macroParams.has(p.name), source });
  for (const p of splitQuery(queryOf(url))) push(p, 'query');
  // Form and JSON bodies (Keitaro merges body params with the query [L1]).
  if (body) for (const p of bodyParams(body)) push(p, 'body');
  return out;
}

export function groupParams(params: DecodedParam[]): { group: ParamGroup; params: DecodedParam[] }[] {
  return PARAM_GROUPS.map((group) => ({ group, params: params.filter((p) => p.group === group) })).filter(
    (g) => g.params.length > 0,
  );
}
