// Keitaro-like tracker on tracker.example. Follows the reference, sections 1–3:
// campaign links → `?subid=` redirect, the `_subid` cookie [L4], `/KEY/postback` answers [L1],
// asynchronous processing with the documented log messages [L1][K8][K9][P2], statuses [K1][K2][L2],
// S2S postbacks to the traffic source with `{external_id}` [K10][K13], `_update_tokens` [K6] and
// landing → offer transitions `_lp=1&_token=` [K15][L3].
import { CAMPAIGNS, POSTBACK_KEY, SUBID_COOKIE, SUBID_COOKIE_MAX_AGE, TRACKER_OFFERS } from './config.mjs';
import {
  escapeHtml,
  internalRequest,
  newSubid,
  newToken,
  now,
  page,
  paramsObject,
  parseCookies,
  parseFormBody,
  readBody,
  redirect,
  replaceMacros,
  send,
  sendGif,
  sendHtml,
  sendText,
  table,
} from './util.mjs';

const CORS = { 'Access-Control-Allow-Origin': '*' };

/** Subid param names accepted by the postback, in this order [L2]. */
export const SUBID_ALIASES = Object.freeze([
  'trackID',
  'subid',
  'sub_id',
  'subaccount',
  'aff_sub',
  'clickid',
  'subId',
  'SubID',
  'trackingCodes',
]);
/** [L2] */
export const PAYOUT_ALIASES = Object.freeze([
  'revenue',
  'profit',
  'payout',
  'summ_approved',
  'payment',
  'amount',
  'order_sum',
  'order_amount',
  'affiliateCommission',
  'value',
]);
/** [L2] */
export const TID_ALIASES = Object.freeze(['tid', 'transaction_id', 'txid', 'trans_id', 'receipt']);
/** [L2] */
const TIME_ALIASES = Object.freeze(['conversion_time', 'action_time', 'postback_date', 'datetime', 'time']);

/** Built-in statuses [K1][K2][K7]. */
const BUILT_IN = new Set(['lead', 'sale', 'rejected', 'rebill']);
/** Built-in alias buckets [L2]; `sale_status=` etc. replace a bucket, they do not extend it. */
const DEFAULT_BUCKETS = Object.freeze({
  sale: 'approved,1,done,confirm,confirmed,paid,rebill,sale,signup,payed,awarded,sell,sms,birj,redeem,cgbk,insf,test_sale',
  rejected: 'failure,reject,cancelled,refund,cancel,decline,declined,rejected,invalid,canceled,trash',
  ignore: 'unsubscribe,subscribeOff,off,rfnd,cancel-rebill,test_rfnd,cancel-test-rebill',
  lead: '',
});
/** Allowed status transitions [K2]. */
const TRANSITIONS = new Set(['lead>sale', 'lead>rejected', 'sale>rejected', 'rebill>rejected']);
/** Statuses for which the campaigns send the S2S postback to the network (lab choice, see docs/lab.md). */
const S2S_STATUSES = new Set(['lead', 'sale']);

/**
 * @param {string} raw
 * @param {Record<string,string>} params
 * @returns {{ status: string|null, ignored: boolean, rule: string }}
 */
export function resolveStatus(raw, params) {
  const s = raw.trim().toLowerCase();
  /** @param {'sale'|'lead'|'rejected'|'ignore'} bucket */
  const list = (bucket) => {
    const custom = params[`${bucket}_status`] ?? (bucket === 'ignore' ? params.ignore : undefined);
    const src = custom !== undefined && custom !== '' ? custom : DEFAULT_BUCKETS[bucket];
    return src
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean);
  };
  // Empty status → sale ([K1][K2] "default is sale"; [L2] the same). The newest docs [K3] instead say a
  // missing status makes Keitaro ignore the postback; the lab follows [K1][L2].
  if (s === '') return { status: 'sale', ignored: false, rule: 'empty status → sale [K1][L2]' };
  if (list('ignore').includes(s)) return { status: null, ignored: true, rule: 'ignore list [L2]' };
  if (BUILT_IN.has(s)) return { status: s, ignored: false, rule: 'built-in status' };
  if (list('rejected').includes(s)) return { status: 'rejected', ignored: false, rule: 'rejected list [L2]' };
  if (list('sale').includes(s)) return { status: 'sale', ignored: false, rule: 'sale list [L2]' };
  if (list('lead').includes(s)) return { status: 'lead', ignored: false, rule: 'lead list [L2]' };
  // Unknown but non-empty → lead [L2]. [K3] disagrees: without status training it is ignored.
  return { status: 'lead', ignored: false, rule: 'unknown status → lead [L2]' };
}

/**
 * Subid quirks [L2]: the part before the first `:` is the subid (the rest are subid2, subid3 …);
 * a legacy `^[0-9]+x[0-9]+x` subid has every `x` replaced by `-`.
 * @param {string} raw
 */
export function normalizeSubid(raw) {
  const [first = '', ...extra] = raw.split(':');
  const subid = /^[0-9]+x[0-9]+x/.test(first) ? first.replaceAll('x', '-') : first;
  return { subid, extra };
}

/**
 * @param {Record<string,string>} params
 * @param {readonly string[]} names
 */
function firstOf(params, names) {
  for (const n of names) {
    const v = params[n];
    if (v !== undefined && v !== '') return { name: n, value: v };
  }
  return null;
}

/**
 * @param {import('./index.mjs').LabContext} lab
 */
export function createTracker(lab) {
  const { state } = lab;
  const T = state.tracker;
  /** @type {Map<string, any>} */
  const clicksBySubid = new Map();
  /** @type {Map<string, any>} */
  const clicksByToken = new Map();
  /** @type {{ entry: any, due: number }[]} */
  let queue = [];
  /** @type {NodeJS.Timeout|null} */
  let timer = null;
  let lastDue = 0;
  let inFlight = 0;
  let closed = false;

  function reset() {
    clicksBySubid.clear();
    clicksByToken.clear();
    queue = [];
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function close() {
    closed = true;
    reset();
  }

  /** True when nothing is queued and no S2S request is in flight. */
  function idle() {
    return queue.length === 0 && inFlight === 0;
  }

  /**
   * Log a message for a received postback (and the flat log page).
   * @param {any} entry
   * @param {string} message
   */
  function logFor(entry, message) {
    const line = { time: now(), postbackId: entry.id, message };
    entry.messages.push(line.message);
    T.log.push(line);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  async function handle(req, res, url) {
    const path = url.pathname;
    const pb = /^\/([^/]*)\/postback\/?$/.exec(path);
    if (pb) return postback(req, res, url, pb[1] ?? '');
    if (path === '/postback' || path === '/postback/') return postback(req, res, url, '');
    if (path === '/') {
      if (url.searchParams.get('_update_tokens') === '1') return updateTokens(req, res, url);
      if (url.searchParams.get('_lp') === '1') return landingToOffer(req, res, url);
      return indexPage(res);
    }
    if (path === '/admin/logs/postbacks' || path === '/admin/logs/postbacks/') return postbackLogPage(res);
    if (path === '/admin/logs/s2s' || path === '/admin/logs/s2s/') return s2sLogPage(res);
    if (path === '/admin/clicks') return clicksPage(res);
    if (path === '/admin/conversions') return conversionsPage(res);
    const alias = path.slice(1).replace(/\/$/, '');
    const campaign = CAMPAIGNS.find((c) => c.alias === alias);
    if (campaign) return campaignClick(req, res, url, campaign);
    return sendHtml(
      res,
      404,
      page('Not found', '<p>No such campaign or page on this tracker.</p>', banner()),
    );
  }

  function banner() {
    return `${escapeHtml(new URL(lab.urls().tracker).host)} — Keitaro-like tracker (Postback Lens demo lab)`;
  }

  /**
   * Campaign link: create the click (subid), set `_subid` for 31 days [L4] and redirect to the landing
   * with `{subid}` (and `{token}`) replaced, URL-encoded [K13].
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   * @param {import('./config.mjs').Campaign} campaign
   */
  function campaignClick(req, res, url, campaign) {
    const p = paramsObject(url.searchParams);
    const subid = newSubid();
    const token = newToken();
    /** @type {Record<string,string>} */
    const subIds = {};
    for (let i = 1; i <= 30; i++)
      if (p[`sub_id_${i}`] !== undefined) subIds[`sub_id_${i}`] = p[`sub_id_${i}`] ?? '';
    const location = replaceMacros(campaign.landing(lab.urls()), {
      subid,
      token,
      external_id: p.external_id ?? '',
    });
    const click = {
      subid,
      token,
      campaign: campaign.alias,
      offerId: campaign.offerId,
      external_id: p.external_id ?? '',
      /** The same value in camelCase, for callers that prefer it. */
      externalId: p.external_id ?? '',
      subIds,
      params: p,
      time: now(),
      url: `http://${req.headers.host}${req.url}`,
      location,
    };
    clicksBySubid.set(subid, click);
    clicksByToken.set(token, click);
    T.clicks.push(click);
    redirect(res, location, {
      'Set-Cookie': `${SUBID_COOKIE}=${subid}; Max-Age=${SUBID_COOKIE_MAX_AGE}; Path=/`,
    });
  }

  /**
   * `/KEY/postback`, GET or POST (query and body merged) [L1]. Always HTTP 200 (section 1.4).
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   * @param {string} key
   */
  async function postback(req, res, url, key) {
    if (req.method === 'OPTIONS') {
      return send(res, 204, '', {
        ...CORS,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': '*',
      });
    }
    const raw = req.method === 'POST' ? await readBody(req) : '';
    const query = paramsObject(url.searchParams);
    const bodyParams = req.method === 'POST' ? parseFormBody(req.headers['content-type'], raw) : {};
    // Like PHP's array_merge($_GET, $_POST): a body param wins over a query param of the same name.
    const params = { ...query, ...bodyParams };
    const cookies = parseCookies(req.headers.cookie);
    const fullUrl = `http://${req.headers.host}${req.url}`;
    const entry = {
      id: T.postbacks.length + 1,
      time: now(),
      method: req.method ?? 'GET',
      url: fullUrl,
      contentType: req.headers['content-type'] ?? null,
      body: raw,
      query,
      bodyParams,
      params,
      cookieSubid: cookies[SUBID_COOKIE] ?? null,
      key,
      subid: /** @type {string|null} */ (null),
      subidFrom: /** @type {string|null} */ (null),
      subidExtra: /** @type {string[]} */ ([]),
      answer: '',
      /** 'bad-key' | 'no-subid' | 'queued' → 'not-found' | 'duplicate' | 'ignored' | 'converted' | 'updated' | 'unchanged' | 'rebill' */
      result: 'queued',
      conversionId: /** @type {number|null} */ (null),
      messages: /** @type {string[]} */ ([]),
    };
    T.postbacks.push(entry);
    logFor(
      entry,
      `Received postback ${fullUrl}${req.method === 'POST' ? ` post params: ${JSON.stringify(bodyParams)}` : ''}`,
    );

    if (key !== POSTBACK_KEY) {
      // [L1]: on mismatch it logs and returns `Incorrect postback code (<key> in <url>)`. A keyless
      // `/postback` fails this check too (trap 11).
      const msg = `Incorrect postback code (${key} in ${req.url})`;
      logFor(entry, msg);
      entry.result = 'bad-key';
      entry.answer = msg;
      return sendText(res, msg, CORS);
    }

    const found = firstOf(params, SUBID_ALIASES);
    let rawSubid = found?.value ?? '';
    entry.subidFrom = found ? `param ${found.name}` : null;
    if (!found && cookies[SUBID_COOKIE]) {
      // No subid param: fall back to the `_subid` cookie of the request [L1] (trap 8).
      rawSubid = cookies[SUBID_COOKIE] ?? '';
      entry.subidFrom = `cookie ${SUBID_COOKIE}`;
    }
    const { subid, extra } = normalizeSubid(rawSubid);
    entry.subidExtra = extra;
    if (subid === '') {
      logFor(entry, 'Incorrect subid "". Postback ignored.');
      entry.result = 'no-subid';
      return respond(res, entry, 'Incorrect subid', params.return);
    }
    entry.subid = subid;
    logFor(entry, `Using "${subid}" as subid. Postback added to queue.`);
    enqueue(entry);
    return respond(res, entry, 'Success', params.return);
  }

  /**
   * The `return=` param replaces the body [K1][K2]: `gif` → 1×1 GIF, `jsonp` → KTracking call,
   * other text → the text, HTML-escaped [L1]. Plain messages go out as text/plain.
   * @param {import('node:http').ServerResponse} res
   * @param {any} entry
   * @param {string} msg
   * @param {string|undefined} ret
   */
  function respond(res, entry, msg, ret) {
    if (ret === undefined || ret === '') {
      entry.answer = msg;
      return sendText(res, msg, CORS);
    }
    if (ret === 'gif') {
      entry.answer = '[1x1 gif]';
      return sendGif(res, CORS);
    }
    if (ret === 'jsonp') {
      entry.answer = `KTracking && KTracking.response(${JSON.stringify(msg)})`;
      return send(res, 200, entry.answer, {
        'Content-Type': 'application/javascript; charset=utf-8',
        ...CORS,
      });
    }
    entry.answer = escapeHtml(ret);
    return sendHtml(res, 200, entry.answer, CORS);
  }

  /** Queue a postback; processed in order ~100–300 ms later (asynchronous, section 1.4 [L1][P2]). */
  function enqueue(entry) {
    const due = Math.max(lastDue, Date.now() + 100 + Math.floor(Math.random() * 200));
    lastDue = due;
    queue.push({ entry, due });
    schedule();
  }

  function schedule() {
    if (timer || closed) return;
    const head = queue[0];
    if (!head) return;
    timer = setTimeout(
      () => {
        timer = null;
        const nowMs = Date.now();
        while (queue.length && (queue[0]?.due ?? 0) <= nowMs) {
          const item = queue.shift();
          if (item) processPostback(item.entry);
        }
        schedule();
      },
      Math.max(0, head.due - Date.now()),
    );
  }

  /** The queue worker. Messages not quoted from Keitaro are the lab's own wording (docs/lab.md). */
  function processPostback(entry) {
    const subid = /** @type {string} */ (entry.subid);
    const params = entry.params;
    const click = clicksBySubid.get(subid);
    if (!click) {
      logFor(entry, `SubID not found "${subid}"`);
      entry.result = 'not-found';
      return;
    }
    // sub_id_1..15 in a postback update the click's sub-id fields [K1][K2].
    for (let i = 1; i <= 15; i++) {
      const v = params[`sub_id_${i}`];
      if (v !== undefined) click.subIds[`sub_id_${i}`] = v;
    }
    const originalStatus = params.status ?? '';
    const st = resolveStatus(originalStatus, params);
    if (st.ignored) {
      logFor(entry, `Status "${originalStatus}" is in the ignore list. Postback ignored.`);
      entry.result = 'ignored';
      return;
    }
    const status = /** @type {string} */ (st.status);
    const tid = firstOf(params, TID_ALIASES)?.value ?? '';
    const payoutRaw = firstOf(params, PAYOUT_ALIASES)?.value ?? '';
    const payout = payoutRaw.replace(',', '.');
    if (tid && T.conversions.some((c) => c.subid === subid && c.tid === tid)) {
      logFor(entry, 'Conversion by pair "SubId + tid" already exists. Postback ignored.');
      entry.result = 'duplicate';
      return;
    }
    const existing = [...T.conversions].reverse().find((c) => c.subid === subid && c.status !== 'rebill');
    if (existing) {
      // A new unique tid with sale/rebill on a converted click is a rebill [K2] (lab offers allow rebills).
      if (tid && (status === 'sale' || status === 'rebill')) {
        const conv = saveConversion(entry, click, 'rebill', originalStatus, tid, payout);
        logFor(entry, `Rebill saved for subid "${subid}", tid "${tid}".`);
        entry.result = 'rebill';
        entry.conversionId = conv.id;
        return;
      }
      entry.conversionId = existing.id;
      if (existing.status === status) {
        logFor(entry, `Conversion already has status "${status}". Nothing changed.`);
        entry.result = 'unchanged';
        return;
      }
      if (!TRANSITIONS.has(`${existing.status}>${status}`)) {
        logFor(entry, `Status change ${existing.status} → ${status} is not allowed. Postback ignored.`);
        entry.result = 'unchanged';
        return;
      }
      logFor(entry, `Conversion updated: status ${existing.status} → ${status}.`);
      existing.history.push({ time: now(), from: existing.status, to: status, postbackId: entry.id });
      existing.status = status;
      existing.original_status = originalStatus;
      if (payout) existing.payout = payout;
      entry.result = 'updated';
      return;
    }
    const conv = saveConversion(entry, click, status, originalStatus, tid, payout);
    logFor(
      entry,
      `Conversion saved: subid "${subid}", status ${status}${payout ? `, payout ${payout}` : ''}.`,
    );
    entry.result = 'converted';
    entry.conversionId = conv.id;
    if (click.external_id && S2S_STATUSES.has(status)) sendS2S(conv, click);
  }

  function saveConversion(entry, click, status, originalStatus, tid, payout) {
    const conv = {
      id: T.conversions.length + 1,
      time: now(),
      subid: click.subid,
      campaign: click.campaign,
      external_id: click.external_id,
      status,
      original_status: originalStatus,
      tid,
      payout,
      currency: entry.params.currency ?? '',
      cost: entry.params.cost ?? '',
      conversion_time: firstOf(entry.params, TIME_ALIASES)?.value ?? '',
      postbackId: entry.id,
      history: [],
    };
    T.conversions.push(conv);
    return conv;
  }

  /**
   * S2S postback to the traffic source (the network), with the source's click id `{external_id}`
   * [K10][K13]: `aff_lsr?offer_id=N&transaction_id={external_id}` (scenario B of the reference).
   */
  function sendS2S(conv, click) {
    const u = lab.urls();
    const target = `${u.network}/aff_lsr?offer_id=${click.offerId}&transaction_id=${encodeURIComponent(click.external_id)}`;
    const rec = {
      id: T.s2s.length + 1,
      time: now(),
      conversionId: conv.id,
      subid: click.subid,
      status: conv.status,
      method: 'GET',
      url: target,
      httpStatus: /** @type {number|null} */ (null),
      answer: /** @type {string|null} */ (null),
      error: /** @type {string|null} */ (null),
      done: false,
    };
    T.s2s.push(rec);
    inFlight++;
    internalRequest(lab.port(), target)
      .then((r) => {
        rec.httpStatus = r.status;
        rec.answer = r.body;
      })
      .catch((e) => {
        rec.error = String(e?.message ?? e);
      })
      .finally(() => {
        rec.done = true;
        inFlight--;
      });
  }

  /** `/?_update_tokens=1&sub_id=X&sub_id_N=…` updates the click's sub ids [K6]. */
  function updateTokens(req, res, url) {
    const p = paramsObject(url.searchParams);
    const subid = p.sub_id ?? '';
    const click = clicksBySubid.get(subid);
    /** @type {Record<string,string>} */
    const changed = {};
    for (let i = 1; i <= 30; i++) {
      const v = p[`sub_id_${i}`];
      if (v !== undefined) changed[`sub_id_${i}`] = v;
    }
    if (click) Object.assign(click.subIds, changed);
    T.updates.push({
      time: now(),
      url: `http://${req.headers.host}${req.url}`,
      sub_id: subid,
      found: !!click,
      changed,
    });
    // The real answer body is not documented; the lab answers a tiny `OK`.
    sendText(res, 'OK', CORS);
  }

  /** `/?_lp=1&_token=T[&offer_id=N]`: landing → offer [K15][L3]. */
  function landingToOffer(req, res, url) {
    const p = paramsObject(url.searchParams);
    const click = clicksByToken.get(p._token ?? '');
    const offerId = p.offer_id || '1';
    const offer = TRACKER_OFFERS[/** @type {'1'|'2'} */ (offerId)];
    const rec = {
      time: now(),
      url: `http://${req.headers.host}${req.url}`,
      token: p._token ?? '',
      subid: click?.subid ?? null,
      offer_id: offerId,
      location: /** @type {string|null} */ (null),
    };
    T.transitions.push(rec);
    if (!click || !offer) {
      return sendHtml(
        res,
        404,
        page(
          click ? 'Offer not found' : 'Unknown token',
          '<p>The landing → offer link needs the <code>_token</code> the tracker passed to the landing and a known <code>offer_id</code>.</p>',
          banner(),
        ),
      );
    }
    rec.location = replaceMacros(offer.url(lab.urls()), { subid: click.subid });
    redirect(res, rec.location);
  }

  function indexPage(res) {
    const u = lab.urls();
    const rows = CAMPAIGNS.map(
      (c) =>
        `<tr><td><a href="/${escapeHtml(c.alias)}">/${escapeHtml(c.alias)}</a></td><td>${escapeHtml(c.title)}</td><td><code>${escapeHtml(c.landing(u))}</code></td><td>${c.offerId}</td></tr>`,
    ).join('\n');
    sendHtml(
      res,
      200,
      page(
        'Tracker',
        `<p>Postback URL: <code>${escapeHtml(`${u.tracker}/${POSTBACK_KEY}/postback?subid={subid}&status=lead&payout=10`)}</code></p>
<table><thead><tr><th>Campaign link</th><th>What it shows</th><th>Landing URL</th><th>Network offer</th></tr></thead><tbody>${rows}</tbody></table>
<p><a href="/admin/logs/postbacks">Received postbacks</a> · <a href="/admin/logs/s2s">S2S postbacks</a> ·
<a href="/admin/clicks">Clicks</a> · <a href="/admin/conversions">Conversions</a> · <a href="/__lab/state">lab state (JSON)</a></p>`,
        banner(),
      ),
    );
  }

  function postbackLogPage(res) {
    sendHtml(
      res,
      200,
      page(
        'Logs → Received postbacks',
        `${table(
          ['Time', 'Postback #', 'Message'],
          T.log.map((l) => [l.time, l.postbackId, l.message]),
        )}<p class="note">Processing is queued: "SubID not found" and duplicates appear a moment after "added to queue".</p>`,
        banner(),
      ),
    );
  }

  function s2sLogPage(res) {
    sendHtml(
      res,
      200,
      page(
        'Logs → S2S postbacks',
        table(
          ['Time', 'Subid', 'Status', 'URL', 'HTTP', 'Response'],
          T.s2s.map((s) => [
            s.time,
            s.subid,
            s.status,
            s.url,
            s.httpStatus,
            s.error ? `error: ${s.error}` : s.answer,
          ]),
        ),
        banner(),
      ),
    );
  }

  function clicksPage(res) {
    sendHtml(
      res,
      200,
      page(
        'Clicks',
        table(
          ['Time', 'Campaign', 'Subid', 'external_id', 'Sub ids', 'Landing'],
          T.clicks.map((c) => [
            c.time,
            c.campaign,
            c.subid,
            c.external_id,
            JSON.stringify(c.subIds),
            c.location,
          ]),
        ),
        banner(),
      ),
    );
  }

  function conversionsPage(res) {
    sendHtml(
      res,
      200,
      page(
        'Conversions',
        table(
          ['#', 'Time', 'Subid', 'Campaign', 'Status', 'Original status', 'tid', 'Payout', 'external_id'],
          T.conversions.map((c) => [
            c.id,
            c.time,
            c.subid,
            c.campaign,
            c.status,
            c.original_status,
            c.tid,
            c.payout,
            c.external_id,
          ]),
        ),
        banner(),
      ),
    );
  }

  return { handle, reset, close, idle };
}
