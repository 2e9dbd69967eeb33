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

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Returns null for anything that is not `scheme://host…` (relative URLs, `mailto:`, junk). */
export function splitUrl(url: string): UrlParts | null {
  const m = SCHEME.exec(url);
  if (m === null) return null;
  const start = m[0].length;
  const hashAt = url.indexOf('#', start);
  const end = hashAt === -1 ? url.length : hashAt;
  let queryAt = url.indexOf('?', start);
  if (queryAt > end) queryAt = -1;
  const pathEnd = queryAt === -1 ? end : queryAt;
  let slashAt = url.indexOf('/', start);
  if (slashAt === -1 || slashAt > pathEnd) slashAt = pathEnd;
  let host = url.slice(start, slashAt);
  const at = host.lastIndexOf('@');
  if (at !== -1) host = host.slice(at + 1);
  if (host === '') return null;
  return {
    scheme: m[0].slice(0, -3).toLowerCase(),
    host,
    path: slashAt === pathEnd ? '/' : url.slice(slashAt, pathEnd),
    query: queryAt === -1 ? null : url.slice(queryAt + 1, end),
    hash: hashAt === -1 ? null : url.slice(hashAt + 1),
  };
}
