/**
 * Splits an absolute URL into its parts with string scans only.
 *
 * Deliberately not `new URL()`: recognition must stay cheaper than a full WHATWG parse
 * (see bench/recognize.ts), must keep paths and queries exactly as written (a replayed
 * postback has to be byte-identical), and must not normalise away what it diagnoses
 * (`¤cy=`, `%7Bsubid%7D`).
 */

export interface UrlParts {
  /** Lower-cased scheme without `:`, e.g. `https`. */
  scheme: string;
  /** `host[:port]` as written (userinfo removed). */
  host: string;
  /** Path as written; `/` when the URL has none. */
  path: string;
  /** Text after `?` up to `#`, or null when there is no `?`. */
  query: string | null;
  /** Text after `#`, or null when there is no `#`. */
  hash: string | null;
}

function isSchemeChar(c: number, first: boolean): boolean {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (first) return alpha;
  return alpha || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/** Returns null for anything that is not `scheme://host…` (relative URLs, `mailto:`, junk). */
export function splitUrl(url: string): UrlParts | null {
  const colon = url.indexOf('://');
  if (colon < 1) return null;
  let upper = false;
  for (let i = 0; i < colon; i++) {
    const c = url.charCodeAt(i);
    if (!isSchemeChar(c, i === 0)) return null;
    if (c >= 65 && c <= 90) upper = true;
  }
  const start = colon + 3;
  const hashAt = url.indexOf('#', start);
  const end = hashAt === -1 ? url.length : hashAt;
  let queryAt = url.indexOf('?', start);
  if (queryAt > end) queryAt = -1;
  const pathEnd = queryAt === -1 ? end : queryAt;
  let slashAt = url.indexOf('/', start);
  if (slashAt === -1 || slashAt > pathEnd) slashAt = pathEnd;
  const at = url.lastIndexOf('@', slashAt - 1);
  const host = at >= start ? url.slice(at + 1, slashAt) : url.slice(start, slashAt);
  if (host === '') return null;
  const scheme = url.slice(0, colon);
  return {
    scheme: upper ? scheme.toLowerCase() : scheme,
    host,
    path: slashAt === pathEnd ? '/' : url.slice(slashAt, pathEnd),
    query: queryAt === -1 ? null : url.slice(queryAt + 1, end),
    hash: hashAt === -1 ? null : url.slice(hashAt + 1),
  };
}
