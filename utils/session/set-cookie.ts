/**
 * Server session cookies (PHP, Java, ASP.NET, Express, Laravel, CodeIgniter, Django, generic): a
 * landing that sets one right after a click id arrived may keep the id server-side (the seed's
 * `$_SESSION['subid']`), and their values are credentials (utils/export/redact.ts).
 */
export const SESSION_COOKIE_NAMES =
  'PHPSESSID|JSESSIONID|ASP\\.NET_SessionId|connect\\.sid|laravel_session|ci_session|sessionid|session|sid';
export const SESSION_COOKIE = new RegExp(`^(?:${SESSION_COOKIE_NAMES})$`, 'i');

/** A Set-Cookie header line, read for what the panel shows: name, value, scope and lifetime (RFC 6265 §5.2). */
export interface SetCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  /** Epoch seconds, or null for a session cookie. */
  expires: number | null;
  httpOnly: boolean;
}

export function parseSetCookie(line: string, now = Date.now()): SetCookie | null {
  const [pair = '', ...attrs] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const cookie: SetCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    expires: null,
    httpOnly: false,
  };
  let maxAge: number | null = null;
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? '' : attr.slice(i + 1).trim();
    if (key === 'domain' && val) cookie.domain = val;
    else if (key === 'path' && val) cookie.path = val;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
    else if (key === 'expires') {
      const t = Date.parse(val);
      if (!Number.isNaN(t)) cookie.expires = Math.floor(t / 1000);
    }
  }
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  if (maxAge !== null) cookie.expires = Math.floor(now / 1000) + maxAge;
  return cookie;
}
