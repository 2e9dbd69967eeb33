// Small helpers shared by the lab's hosts. No dependencies beyond Node's standard library.
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';

/** A transparent 1×1 GIF (pixels, `return=gif`). */
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** HasOffers-like transaction id: 30 lowercase hex characters, like `1027c887059b47bc69c699f45466b9` [T1]. */
export function newTransactionId() {
  return randomBytes(15).toString('hex');
}

/** Keitaro-like click id: 19 lowercase base36 characters, like `51ts6sgr1cbkdhljnrv` [P2]. */
export function newSubid() {
  return randomBase36(19);
}

/** Landing token for `_lp=1&_token=…` transitions. The real format is not documented; lab choice. */
export function newToken() {
  return randomBase36(32);
}

/** @param {number} n */
function randomBase36(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE36[randomInt(36)];
  return s;
}

/** @returns {string} ISO timestamp */
export function now() {
  return new Date().toISOString();
}

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (c) =>
      /** @type {Record<string, string>} */ ({
        '&': '&amp;',
        '<': '&lt;',
        '>': '&gt;',
        '"': '&quot;',
        "'": '&#39;',
      })[c] ?? c,
  );
}

/**
 * Write a complete response.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string|Buffer} body
 * @param {Record<string, string|string[]>} [headers]
 */
export function send(res, status, body, headers = {}) {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'Content-Length': String(buf.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(buf);
}

/** @param {import('node:http').ServerResponse} res @param {string} text @param {Record<string,string|string[]>} [headers] */
export function sendText(res, text, headers = {}) {
  send(res, 200, text, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} html @param {Record<string,string|string[]>} [headers] */
export function sendHtml(res, status, html, headers = {}) {
  send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
}

/** @param {import('node:http').ServerResponse} res @param {Record<string,string|string[]>} [headers] */
export function sendGif(res, headers = {}) {
  send(res, 200, GIF, { 'Content-Type': 'image/gif', ...headers });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {string} location
 * @param {Record<string,string|string[]>} [headers]
 */
export function redirect(res, location, headers = {}) {
  send(res, 302, '', { Location: location, ...headers });
}

/**
 * Read a request body (capped).
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit]
 * @returns {Promise<string>}
 */
export function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Query/form params as a plain object; like PHP's `$_GET`, a repeated name keeps the last value.
 * @param {URLSearchParams} sp
 * @returns {Record<string, string>}
 */
export function paramsObject(sp) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of sp) out[k] = v;
  return out;
}

/**
 * Parse a POST body the way PHP fills `$_POST`: urlencoded and multipart/form-data fields.
 * Other bodies (JSON, text) give no params.
 * @param {string|undefined} contentType
 * @param {string} raw
 * @returns {Record<string, string>}
 */
export function parseFormBody(contentType, raw) {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/x-www-form-urlencoded')) return paramsObject(new URLSearchParams(raw));
  if (ct.startsWith('multipart/form-data')) {
    const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
    const boundary = m?.[1] ?? m?.[2];
    if (!boundary) return {};
    /** @type {Record<string, string>} */
    const out = {};
    for (const part of raw.split(`--${boundary}`)) {
      const sep = part.indexOf('\r\n\r\n');
      if (sep < 0) continue;
      const head = part.slice(0, sep);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      if (name === undefined || /filename=/i.test(head)) continue;
      out[name] = part.slice(sep + 4).replace(/\r\n$/, '');
    }
    return out;
  }
  return {};
}

/**
 * @param {string|undefined} header
 * @returns {Record<string, string>}
 */
export function parseCookies(header) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const piece of (header ?? '').split(';')) {
    const i = piece.indexOf('=');
    if (i < 0) continue;
    const name = piece.slice(0, i).trim();
    let value = piece.slice(i + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep the raw value
    }
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}

/**
 * Replace `{name}` macros with URL-encoded values (Keitaro and HasOffers both URL-encode [K13][T5]).
 * Unknown macros stay as they are.
 * @param {string} template
 * @param {Record<string, string|number|undefined>} values
 */
export function replaceMacros(template, values) {
  return template.replace(/\{([a-z_0-9]+)\}/gi, (whole, name) =>
    Object.hasOwn(values, name) ? encodeURIComponent(String(values[name] ?? '')) : whole,
  );
}

/**
 * A server-to-server GET inside the lab: connect to 127.0.0.1:port with the given Host header.
 * @param {number} port
 * @param {string} url  absolute URL whose host is sent as the Host header
 * @param {{ method?: string, headers?: Record<string,string>, body?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
export function internalRequest(port, url, opts = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: u.pathname + u.search,
        headers: { Host: u.host, 'User-Agent': 'postback-lens-lab/1', ...opts.headers },
        timeout: opts.timeoutMs ?? 5000,
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1c1c1c}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f3f3f3}code{background:#f3f3f3;padding:0 .2rem}.note{color:#555}.banner{background:#fff6d6;border:1px solid #e8d27a;padding:.4rem .6rem}
button{font-size:15px;padding:.4rem 1rem}`;

/**
 * A whole HTML page. `bodyHtml` must already be escaped.
 * @param {string} title
 * @param {string} bodyHtml
 * @param {string} [banner] already-escaped HTML shown above the page (which lab host this is)
 */
export function page(title, bodyHtml, banner = '') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${banner ? `<p class="banner">${banner}</p>` : ''}<h1>${escapeHtml(title)}</h1>
${bodyHtml}
</body></html>`;
}

/**
 * An escaped HTML table.
 * @param {string[]} columns
 * @param {unknown[][]} rows
 */
export function table(columns, rows) {
  if (rows.length === 0) return '<p class="note">Nothing yet.</p>';
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((v) => `<td>${escapeHtml(v === undefined || v === null ? '' : v)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
