import { decodeComponent } from './decode';

/** One `name=value` pair of a query string or request body. */
export interface QueryParam {
  /** Decoded name. */
  name: string;
  /** Name as written (still percent-encoded). Known params are matched on this. */
  rawName: string;
  /** Decoded value; `''` for `?flag` and `?flag=`. */
  value: string;
  /** The whole pair as written, e.g. `sub%5Fid=a%20b`. */
  raw: string;
  /** Where the param came from: the URL query or a POST body [L1]. */
  from: 'query' | 'body';
}

/**
 * Calls `pair` for every non-empty `name=value` pair of a query string, in order, with the
 * raw (still encoded) name and value and the whole pair. One linear pass: `=` is looked for
 * only inside the pair, so a 100,000-param string without `=` stays linear.
 */
export function forEachPair(
  query: string,
  pair: (rawName: string, rawValue: string, raw: string) => void,
): void {
  const n = query.length;
  let i = 0;
  while (i <= n) {
    let amp = query.indexOf('&', i);
    if (amp === -1) amp = n;
    if (amp > i) {
      const raw = query.slice(i, amp);
      const eq = raw.indexOf('=');
      if (eq === -1) pair(raw, '', raw);
      else pair(raw.slice(0, eq), raw.slice(eq + 1), raw);
    }
    i = amp + 1;
  }
}

/**
 * Parses `a=1&b=2`. Empty pairs (`&&`) are skipped here; the postback model in utils/build
 * keeps them for byte-exact rebuilding.
 */
export function parseQuery(query: string, from: 'query' | 'body' = 'query'): QueryParam[] {
  const out: QueryParam[] = [];
  forEachPair(query, (rawName, rawValue, raw) => {
    out.push({ name: decodeComponent(rawName), rawName, value: decodeComponent(rawValue), raw, from });
  });
  return out;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Reads a POST body as params: a JSON object (top-level keys; nested values as JSON text)
 * or `application/x-www-form-urlencoded`. Keitaro merges body params with the query [L1].
 * Anything else (binary, plain text, a JSON array) gives no params.
 */
export function parseBody(body: string): QueryParam[] {
  const trimmed = body.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return [];
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
    const out: QueryParam[] = [];
    // JSON.parse defines `__proto__` as an own key, so Object.keys sees it like any other name.
    for (const key of Object.keys(parsed)) {
      const value = stringify((parsed as Record<string, unknown>)[key]);
      out.push({ name: key, rawName: key, value, raw: `${key}=${value}`, from: 'body' });
    }
    return out;
  }
  if (trimmed.startsWith('[') || trimmed.startsWith('<')) return [];
  return parseQuery(trimmed, 'body');
}
