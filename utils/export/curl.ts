/**
 * "Copy as cURL" for any captured request or replay. The command must reproduce the exact bytes
 * of the URL and body in bash/zsh/sh, whatever a page put in them (quotes, newlines, `$`, `!`,
 * control characters, NUL).
 */

export interface CurlRequest {
  url: string;
  method: string;
  body?: string;
  headers?: { name: string; value: string }[];
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * One shell word with exactly these characters. Printable text goes in single quotes (nothing
 * is special inside them; a `'` becomes `'\''`). Text with control characters goes in ANSI-C
 * quotes `$'…'` (bash, zsh, ksh, and POSIX sh since 2024) with each control byte as `\xHH`.
 */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!hasControl(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/**
 * A `printf` format that writes exactly these bytes: used for a body that holds NUL, which no
 * shell word can carry. Every byte outside printable ASCII is an octal escape.
 */
export function printfFormat(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (const b of bytes) {
    if (b === 0x25) out += '%%';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x27) out += "'\\''";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `'${out}'`;
}

/** curl treats `[]{}` in a URL as a glob; a macro such as `{subid}` must go through literally. */
function needsGloboff(url: string): boolean {
  return /[[\]{}]/.test(url);
}

export function toCurl(req: CurlRequest): string {
  const parts = ['curl'];
  const method = req.method.toUpperCase();
  const hasBody = req.body !== undefined && method !== 'GET' && method !== 'HEAD';
  if (needsGloboff(req.url)) parts.push('--globoff');
  if (!hasBody && method !== 'GET') parts.push('-X', shellQuote(method));
  if (hasBody && method !== 'POST') parts.push('-X', shellQuote(method));
  for (const h of req.headers ?? []) parts.push('-H', shellQuote(`${h.name}: ${h.value}`));
  const hasType = (req.headers ?? []).some((h) => h.name.toLowerCase() === 'content-type');
  let prefix = '';
  if (hasBody) {
    const body = req.body ?? '';
    if (!hasType) parts.push('-H', shellQuote('Content-Type: application/x-www-form-urlencoded'));
    if (body.includes('\u0000')) {
      prefix = `printf ${printfFormat(body)} | `;
      parts.push('--data-binary', '@-');
    } else parts.push('--data-binary', shellQuote(body));
  }
  parts.push(shellQuote(req.url));
  return prefix + parts.join(' ');
}
