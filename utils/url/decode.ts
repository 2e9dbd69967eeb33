/**
 * Percent-decoding that never throws.
 *
 * Captured URLs are untrusted and often broken (`%E0%A4%A`, a lone `%`, a copied URL cut in
 * the middle of an escape). `decodeURIComponent` throws on those; trackers written in PHP
 * (Keitaro, HasOffers) decode what they can and keep the rest as written, so do we.
 */

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    // A run with a broken UTF-8 sequence: decode byte by byte what is ASCII, keep the rest raw.
    return run.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}

/**
 * Decodes one query-string component the way a form decoder does: `+` is a space
 * (PHP's `$_GET` and `URLSearchParams` both do this), `%XX` escapes are decoded,
 * malformed escapes are kept as written.
 */
export function decodeComponent(raw: string): string {
  let plus = false;
  let percent = false;
  if (raw.length <= 64) {
    // Most names and values are short and plain: one pass beats two indexOf calls.
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c === 43) plus = true;
      else if (c === 37) percent = true;
    }
  } else {
    plus = raw.indexOf('+') !== -1;
    percent = raw.indexOf('%') !== -1;
  }
  if (!plus && !percent) return raw;
  const text = plus ? raw.replace(/\+/g, ' ') : raw;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(ESCAPE_RUN, decodeRun);
  }
}

/**
 * Encodes a query value. Braces and commas stay readable: `{subid}` macros and Keitaro's
 * `sale_status=approved,paid` lists are written that way in every vendor template [K1][O2],
 * and neither needs escaping inside a query (WHATWG query percent-encode set).
 */
export function encodeComponent(value: string): string {
  return encodeURIComponent(value.toWellFormed())
    .replace(/%7B/g, '{')
    .replace(/%7D/g, '}')
    .replace(/%2C/g, ',');
}
