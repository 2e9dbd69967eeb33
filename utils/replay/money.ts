import { parseStatus } from '../diagnose/parse-status';
import { bodyParams, splitQuery } from '../panel/params';
import type { Session } from '../session/schema';
import { KEITARO_PAYOUT_ALIASES, KEITARO_SUBID_ALIASES, KEITARO_TID_ALIASES } from '../systems/keitaro';

/**
 * What a replay would do to money, said before it is sent (PRODUCT capability 9), and safer
 * variants that check the same URL without touching a conversion. Works on a list of params, so
 * it takes the builder's model as it is. Rules from the reference, sections 1.2–1.4, 5 and 8.
 */

export interface ParamLike {
  name: string;
  value: string;
}

export interface PostbackLike {
  system: string;
  kind: string;
  params: ParamLike[];
}

export interface MoneyWarning {
  code:
    | 'sale'
    | 'tid-reuse'
    | 'rebill'
    | 'sale-to-lead'
    | 'rejects'
    | 'default-status'
    | 'conversion'
    | 'duplicate-transaction';
  /** `money`: needs a confirm; `note`: worth knowing, no confirm of its own. */
  level: 'money' | 'note';
  message: string;
}

export interface SafeVariant {
  id: 'test-lead' | 'echo' | 'bad-transaction';
  label: string;
  explain: string;
  params: ParamLike[];
}

// Keitaro accepts these names for the click id, the tid and the payout [L2]; matched case-insensitively here.
const lower = (names: readonly string[]) => names.map((n) => n.toLowerCase());
const SUBID_NAMES = lower(KEITARO_SUBID_ALIASES);
const TID_NAMES = lower(KEITARO_TID_ALIASES);
const PAYOUT_NAMES = lower(KEITARO_PAYOUT_ALIASES);

export const TEST_SUBID = 'postback-lens-test';
export const TEST_TRANSACTION_ID = 'postback-lens-test';
export const ECHO = 'postback-lens-echo';

function get(params: ParamLike[], names: string[]): ParamLike | undefined {
  return params.find((p) => names.includes(p.name.toLowerCase()) && p.value !== '');
}

type Bucket = 'sale' | 'lead' | 'rejected' | 'ignore' | 'missing';

/**
 * Which Keitaro bucket a status lands in, for money: the core's reading (aliases, `*_status=`
 * training), with rebill counted as sale and an unknown non-empty status as lead, as v9 does [L2].
 */
export function keitaroBucket(params: ParamLike[]): Bucket {
  const value = (name: string) => params.find((p) => p.name.toLowerCase() === name)?.value;
  const reading = parseStatus(value('status'), {
    sale_status: value('sale_status'),
    lead_status: value('lead_status'),
    rejected_status: value('rejected_status'),
    ignore_status: value('ignore_status') ?? value('ignore'),
  });
  if (reading.via === 'missing') return 'missing';
  if (reading.bucket === 'rebill' || reading.bucket === 'sale') return 'sale';
  return reading.bucket ?? 'lead';
}

interface Sent {
  system: string;
  params: ParamLike[];
}

/** The postbacks this session already sent: captured from the page, and replays that got an answer. */
export function sentPostbacks(session: Session): Sent[] {
  const out: Sent[] = [];
  for (const r of session.requests) {
    for (const h of r.hops) {
      const rec = h.recognition;
      if (rec?.kind !== 'postback' && rec?.kind !== 'pixel') continue;
      out.push({
        system: rec.system,
        params: [...queryParams(h.url), ...(r.requestBody ? bodyParams(r.requestBody.text) : [])],
      });
      break;
    }
  }
  for (const rp of session.replays) {
    if (!rp.response) continue;
    out.push({
      system: rp.meaning?.system ?? guessSystem(rp.request.url),
      params: [...queryParams(rp.request.url), ...(rp.request.body ? bodyParams(rp.request.body) : [])],
    });
  }
  return out;
}

function queryParams(url: string): ParamLike[] {
  const q = url.split('#', 1)[0] ?? '';
  const i = q.indexOf('?');
  return i < 0 ? [] : splitQuery(q.slice(i + 1));
}

function guessSystem(url: string): string {
  if (/\/postback\b/.test(url)) return 'keitaro';
  if (/\/(aff_lsr|aff_goal|aff_l)\b/.test(url)) return 'hasoffers';
  return 'unknown';
}

function isKeitaro(p: PostbackLike) {
  return p.system === 'keitaro' && p.kind === 'postback';
}
function isHasOffersConversion(p: PostbackLike) {
  return p.system === 'hasoffers' && (p.kind === 'postback' || p.kind === 'pixel');
}

/** Warnings for one postback about to be replayed, given what the session already sent. */
export function moneyWarnings(pb: PostbackLike, history: Sent[] = []): MoneyWarning[] {
  const out: MoneyWarning[] = [];
  if (isKeitaro(pb)) {
    const subid = get(pb.params, SUBID_NAMES)?.value;
    const tid = get(pb.params, TID_NAMES)?.value;
    const payout = get(pb.params, PAYOUT_NAMES)?.value;
    const bucket = keitaroBucket(pb.params);
    if (subid === TEST_SUBID) return out;
    const earlier = history.filter(
      (h) => h.system === 'keitaro' && get(h.params, SUBID_NAMES)?.value === subid,
    );
    const sameTid = tid ? earlier.filter((h) => get(h.params, TID_NAMES)?.value === tid) : [];
    const earlierSale = (tid ? sameTid : earlier).some((h) => keitaroBucket(h.params) === 'sale');
    const earlierAny = (tid ? sameTid : earlier).some((h) => keitaroBucket(h.params) !== 'ignore');

    if (tid && sameTid.length > 0) {
      out.push({
        code: 'tid-reuse',
        level: 'money',
        message: `tid ${tid} was already sent for subid ${subid}: Keitaro takes this as the same conversion and updates it (status, payout) instead of adding one; an unchanged one is ignored as a duplicate.`,
      });
    } else if (tid && bucket === 'sale') {
      const rule =
        'Keitaro counts a rebill when the offer allows rebills, the tid is present and unique, and the status is sale or rebill.';
      out.push(
        earlier.length > 0
          ? {
              code: 'rebill',
              level: 'money',
              message: `A new tid (${tid}) with a sale status can add a rebill: one more paid conversion on this click. ${rule}`,
            }
          : {
              code: 'rebill',
              level: 'note',
              message: `If this click already has a conversion the browser did not see (a server-side postback), a new tid (${tid}) with a sale status adds a rebill to it. ${rule}`,
            },
      );
    }
    if (bucket === 'sale' && !(tid && sameTid.length > 0)) {
      out.push({
        code: 'sale',
        level: 'money',
        message: `This records a confirmed sale on subid ${subid ?? '(none)'}${payout ? ` with payout ${payout}` : ''}${earlierAny && !tid ? ', replacing the status of the conversion it already has' : ''}.`,
      });
    }
    if (bucket === 'missing') {
      out.push({
        code: 'default-status',
        level: 'money',
        message:
          'No status: Keitaro v9 and older docs take it as sale (money); the newest docs say the postback is ignored. Add status=lead or status=sale to be sure.',
      });
    }
    if (bucket === 'lead' && earlierSale) {
      out.push({
        code: 'sale-to-lead',
        level: 'note',
        message:
          'This conversion is already a sale: sale → lead is not an allowed transition, so Keitaro keeps the sale and this replay changes nothing.',
      });
    }
    if (bucket === 'rejected' && earlierAny) {
      out.push({
        code: 'rejects',
        level: 'money',
        message: 'This rejects the conversion the click already has: its payout leaves the reports.',
      });
    }
  } else if (isHasOffersConversion(pb)) {
    const txid = get(pb.params, ['transaction_id'])?.value;
    if (txid && txid !== TEST_TRANSACTION_ID) {
      const amount = get(pb.params, ['amount'])?.value;
      const dup = history.some(
        (h) => h.system === 'hasoffers' && get(h.params, ['transaction_id'])?.value === txid,
      );
      out.push({
        code: 'conversion',
        level: 'money',
        message: `This records a conversion for transaction ${txid} on the network: the affiliate is paid for it${amount ? ` (sale amount ${amount})` : ''}.`,
      });
      if (dup) {
        out.push({
          code: 'duplicate-transaction',
          level: 'money',
          message: `Transaction ${txid} was already sent: HasOffers rejects the duplicate unless the offer allows multiple conversions — then it adds one more paid conversion.`,
        });
      }
    }
  }
  return out;
}

export function needsConfirm(warnings: MoneyWarning[]): boolean {
  return warnings.some((w) => w.level === 'money');
}

/**
 * Set params (every param named like one of `names` gets the value, so no alias keeps a real id;
 * appended when none is there) and remove others, keeping order and unknown params.
 */
export function editParams(
  params: ParamLike[],
  set: [names: string[], value: string][],
  remove: string[],
): ParamLike[] {
  const rm = new Set(remove.map((n) => n.toLowerCase()));
  const out = params.filter((p) => !rm.has(p.name.toLowerCase())).map((p) => ({ ...p }));
  for (const [names, value] of set) {
    const lower = new Set(names.map((n) => n.toLowerCase()));
    let found = false;
    for (const p of out) {
      if (lower.has(p.name.toLowerCase())) {
        p.value = value;
        found = true;
      }
    }
    if (!found) out.push({ name: names[0] ?? '', value });
  }
  return out;
}

/** Replays that check reachability and the key without changing a conversion. */
export function safeVariants(pb: PostbackLike): SafeVariant[] {
  if (isKeitaro(pb)) {
    // A test subid never matches a click, so no conversion changes ("SubID not found" in the log).
    // Without tid and payout, and with status lead, even a real click would only get a lead [K2].
    const base = editParams(
      pb.params,
      [
        [SUBID_NAMES, TEST_SUBID],
        [['status'], 'lead'],
      ],
      [...TID_NAMES, ...PAYOUT_NAMES, 'sale_status', 'lead_status', 'rejected_status', 'return'],
    );
    return [
      {
        id: 'test-lead',
        label: 'Test subid, status=lead, no tid, no payout',
        explain: `Keitaro answers “Success” when the URL and the key are right, then logs “SubID not found "${TEST_SUBID}"” — no conversion is touched.`,
        params: base,
      },
      {
        id: 'echo',
        label: `The same with return=${ECHO}`,
        explain: `Keitaro answers “${ECHO}” instead of “Success”: proof that its postback handler accepted the key. A wrong key answers “Incorrect postback code”.`,
        params: [...base, { name: 'return', value: ECHO }],
      },
    ];
  }
  if (isHasOffersConversion(pb)) {
    return [
      {
        id: 'bad-transaction',
        label: 'A test transaction id',
        explain: `HasOffers answers “success=false; err_msg=Invalid Trans. ID #${TEST_TRANSACTION_ID}.;” when the endpoint is reachable — and records no conversion.`,
        params: editParams(pb.params, [[['transaction_id'], TEST_TRANSACTION_ID]], ['amount']),
      },
    ];
  }
  return [];
}
