/**
 * Unreplaced macros and template filler.
 *
 * A postback or offer link template whose macro was never substituted still "works": Keitaro
 * answers `Success` and only later logs `SubID not found "{subacc4}"` [P2][L1]. So every
 * placeholder style seen in vendor templates is flagged and never taken as a click id.
 */

/** `{}` `%7B%7D` `[]` `##` `#…#` `${}` or `filler` (the styles named in the Macro schema). */
export type MacroStyle = '{}' | '%7B%7D' | '[]' | '##' | '#…#' | '${}' | 'filler';

/**
 * Literal filler left in templates. REPLACE / OPTIONAL: Voluum and BeMob postback templates
 * [V2][BM1]; TRANSACTION_ID / AFFSESSIONID: advertiser instructions for HasOffers [T1];
 * the rest are the same habit seen with other names in network templates [O2].
 */
const FILLER = new Set([
  'REPLACE',
  'OPTIONAL',
  'TRANSACTION_ID',
  'TRANSACTIONID',
  'AFFSESSIONID',
  'AFF_SESSION_ID',
  'CLICK_ID',
  'CLICKID',
  'SUBID',
  'SUB_ID',
  'YOUR_CLICK_ID',
  'YOUR_SUBID',
  'YOUR_TRANSACTION_ID',
  'PAYOUT',
  'TXID',
]);

const SPECIAL = /[{}[\]#%$]/;
const ENCODED_BRACE = /%(?:25)*7B/i;
const DOLLAR = /\$\{[A-Za-z_][\w.:-]*\}/;
/** `{subid}`, `{_subid}`, `{sub_id_1}`, `{status:lead=0 sale=1}`, `{date:Y-m-d}` anywhere in the value. */
const BRACES = /\{[A-Za-z_][\w.:= ,-]*\}/;
const BRACKETS = /^\[[A-Za-z_]\w*\]$/;
const DOUBLE_HASH = /^##[A-Za-z_]\w*##$/;
const HASH = /^#[A-Za-z_]\w*#$/;

/**
 * Returns the placeholder style when `value` (decoded) is an unreplaced macro or filler,
 * otherwise null. Pass `raw` (the value as written in the URL) to tell `%7Bsubid%7D` apart
 * from `{subid}`: both decode to the same text.
 */
function hasSpecial(value: string): boolean {
  if (value.length > 128) return SPECIAL.test(value);
  // Runs for every param of every recognised URL: a char loop is cheaper than a regex call.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // { } [ ] # % $
    if (c === 123 || c === 125 || c === 91 || c === 93 || c === 35 || c === 37 || c === 36) return true;
  }
  return false;
}

export function detectMacro(value: string, raw?: string): MacroStyle | null {
  if (value === '') return null;
  return detectMacroScanned(value, raw, hasSpecial(value));
}

/**
 * `detectMacro` for a caller that already knows whether the value has any of `{}[]#%$`
 * (the recogniser scans each value once for decoding and for this).
 */
export function detectMacroScanned(
  value: string,
  raw: string | undefined,
  special: boolean,
): MacroStyle | null {
  if (value === '') return null;
  if (!special) {
    const c = value.charCodeAt(0);
    return c >= 65 && c <= 90 && FILLER.has(value) ? 'filler' : null;
  }
  // Still encoded after one decode: double-encoded `%257Bsubid%257D` or a literal `%7B`.
  if (ENCODED_BRACE.test(value)) return '%7B%7D';
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the style's name is the literal text ${}
  if (DOLLAR.test(value)) return '${}';
  if (BRACES.test(value)) return raw !== undefined && ENCODED_BRACE.test(raw) ? '%7B%7D' : '{}';
  if (BRACKETS.test(value)) return '[]';
  if (DOUBLE_HASH.test(value)) return '##';
  if (HASH.test(value)) return '#…#';
  return null;
}
