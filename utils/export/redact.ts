/**
 * Secrets never leave the extension except to the host they belong to (PRODUCT, Qualities):
 * Keitaro's postback key (the path segment before /postback [K2]), HasOffers' security_token [T12],
 * API keys, and the values of session cookies (a live session is a credential).
 */

import { SESSION_COOKIE_NAMES } from '../session/set-cookie';

export const REDACTED = 'REDACTED';

const SECRET_PARAMS = [
  'security_token',
  'api_key',
  'apikey',
  'NetworkToken',
  'Api-Key',
  'secure',
  'postback_key',
];
const SECRET_PARAM_RE = new RegExp(`([?&;](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"]*`, 'gi');
const KEITARO_KEY_RE = /(\/\/[^/\s"]+\/)([^/?#\s"]+)(\/postback\b)/g;
const COOKIE_RE = new RegExp(`^((?:${SESSION_COOKIE_NAMES})=)[^;]*`, 'i');
// `key` is the field the recogniser gives the Keitaro postback key.
const SECRET_KEYS = new Set([...SECRET_PARAMS, 'key'].map((k) => k.toLowerCase()));

export function redactText(s: string): string {
  if (s.length === 0) return s;
  return s
    .replace(KEITARO_KEY_RE, `$1${REDACTED}$3`)
    .replace(SECRET_PARAM_RE, `$1${REDACTED}`)
    .replace(COOKIE_RE, `$1${REDACTED}`);
}

/** A deep copy with every secret replaced; object keys named like a secret lose their value. */
export function redact<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return SECRET_KEYS.has(key.toLowerCase()) && v !== '' ? REDACTED : redactText(v);
  if (Array.isArray(v)) return v.map((x) => walk(x));
  if (v && typeof v === 'object') {
    const name = (v as { name?: unknown }).name;
    // fromEntries, not assignment: a page's `__proto__` param must stay a plain key.
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, walk(x, k === 'value' && typeof name === 'string' ? name : k)]),
    );
  }
  return v;
}
