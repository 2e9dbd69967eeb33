import { z } from 'zod/mini';

/**
 * The contract of the pure core: what a URL is, and what is wrong with it.
 * Everything the extension stores, shows and exports about one URL has this shape.
 */

export const KindSchema = z.enum([
  'postback', // server-to-server conversion (Keitaro /KEY/postback, HasOffers aff_lsr, aff_goal?a=lsr)
  'pixel', // browser-fired conversion pixel (HasOffers aff_l, aff_goal?a=l)
  'click', // tracking link that creates a click id (HasOffers aff_c, /SL… short links)
  'impression', // HasOffers aff_i: a banner impression, never a conversion
  'landing', // a page that received a click id (?subid=, ?_subid=, ?_token=)
  'lp-offer-link', // Keitaro landing → offer transition (?_lp=1&_token=)
  'update-tokens', // Keitaro ?_update_tokens=1&sub_id=
]);
export type Kind = z.infer<typeof KindSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const DiagnosticSchema = z.object({
  /** Stable machine code, e.g. `unreplaced-macro`, `keyless-postback`. */
  code: z.string(),
  severity: SeveritySchema,
  /** One plain sentence a media buyer understands. */
  message: z.string(),
  /** What was seen: the param and value, the URL fragment, the body. */
  evidence: z.string(),
  /** What to do about it; may carry a repaired URL. */
  fix: z.string(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

export const MacroSchema = z.object({
  param: z.string(),
  value: z.string(),
  /** `{}` `%7B%7D` `[]` `##` `#…#` `${}` or `filler` (REPLACE, OPTIONAL, TRANSACTION_ID …) */
  style: z.string(),
});
export type Macro = z.infer<typeof MacroSchema>;

export const ClickIdRoleSchema = z.enum([
  'click', // the click id of the recognised system (Keitaro subid, Voluum cid …)
  'transaction', // a network transaction id (HasOffers transaction_id, Everflow transaction_id)
  'sub', // an affiliate sub that usually carries someone else's click id (aff_sub, aff_click_id, sub1)
  'token', // Keitaro landing token (_token)
  'external', // a traffic source's click id handed to a tracker (external_id)
]);

export const ClickIdSchema = z.object({
  param: z.string(),
  /** Decoded value. Empty string when the param is present but empty. */
  value: z.string(),
  role: ClickIdRoleSchema,
  /** True when the value is an unreplaced macro: never taken as a real id. */
  macro: z.boolean(),
});
export type ClickId = z.infer<typeof ClickIdSchema>;

export const ParamSchema = z.object({ name: z.string(), value: z.string() });
export type Param = z.infer<typeof ParamSchema>;

export const RecognitionSchema = z.object({
  /** System id from the registry (`keitaro`, `hasoffers`, `voluum` …) or a user system's id. */
  system: z.string(),
  kind: KindSchema,
  url: z.string(),
  /** The primary click id for this kind, or null when absent / a macro. */
  clickId: z.nullable(ClickIdSchema),
  /** Every id-like param found (primary included), by value. */
  clickIds: z.array(ClickIdSchema),
  /** Normalised field name → decoded value: status, payout, currency, tid, sub_id_1, offer_id, goal_id, transaction_id, aff_id, return … */
  fields: z.record(z.string(), z.string()),
  /** Params the definition does not know, in URL order. */
  unknownParams: z.array(ParamSchema),
  macros: z.array(MacroSchema),
});
export type Recognition = z.infer<typeof RecognitionSchema>;

/** What a tracker's reply body means. `ok` is never proof: see `caveat`. */
export const ResponseMeaningSchema = z.object({
  system: z.string(),
  verdict: z.enum(['accepted', 'rejected', 'unknown']),
  /** Plain words, e.g. "Keitaro queued the postback; it has not checked the subid yet." */
  message: z.string(),
  /** Always present: why an HTTP 200 / accepted body is not proof of a recorded conversion. */
  caveat: z.string(),
  /** Parsed details, e.g. HasOffers err_msg, the key Keitaro rejected. */
  details: z.record(z.string(), z.string()),
});
export type ResponseMeaning = z.infer<typeof ResponseMeaningSchema>;
