// HasOffers/TUNE-like CPA network on demo.go2cloud.org. Routes and answers follow the reference,
// section 5: aff_c [T3][T7], aff_lsr / aff_goal server postbacks [T1][G13], aff_l / aff_goal pixels
// (cookie-based) [T6][T9][G16], aff_i impressions (never a conversion) [G14][G18].
import { OFFERS } from './config.mjs';
import {
  escapeHtml,
  newTransactionId,
  now,
  page,
  paramsObject,
  parseCookies,
  redirect,
  replaceMacros,
  sendGif,
  sendHtml,
  sendText,
  table,
} from './util.mjs';

/** Network session cookie per offer, read by the cookie-based conversion pixels. Name is a lab choice. */
const COOKIE_PREFIX = 'ho_tid_';
const COOKIE_MAX_AGE = 30 * 24 * 3600;
const CORS = { 'Access-Control-Allow-Origin': '*' };

/**
 * @typedef {object} NetworkClick
 * @property {string} transaction_id
 * @property {number} offer_id
 * @property {string} aff_id
 * @property {Record<string, string>} params   every query param of the aff_c request
 * @property {string} time
 * @property {string} url        the aff_c URL
 * @property {string} location   where it redirected (the offer URL with macros replaced)
 */

/**
 * @typedef {object} NetworkConversion
 * @property {number} id
 * @property {string} time
 * @property {string} transaction_id
 * @property {number} offer_id
 * @property {string} aff_id
 * @property {string} goal_id     '' for the offer's main conversion
 * @property {'aff_lsr'|'aff_goal lsr'|'aff_l pixel'|'aff_goal pixel'} via
 * @property {string} amount
 * @property {string} adv_sub
 * @property {string} aff_sub
 */

/**
 * @param {import('./index.mjs').LabContext} lab
 */
export function createNetwork(lab) {
  const { state } = lab;
  /** @type {Map<string, NetworkClick>} */
  const clicks = new Map();
  /** Conversion keys `transaction_id|goal_id` already recorded. */
  const converted = new Set();

  function reset() {
    clicks.clear();
    converted.clear();
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  function handle(req, res, url) {
    const path = url.pathname;
    if (path === '/' || path === '/offers') return offersPage(res);
    if (path === '/conversions') return conversionsPage(res);
    if (path === '/aff_c') return click(req, res, url);
    if (path === '/aff_lsr') return serverPostback(req, res, url, 'aff_lsr');
    if (path === '/aff_goal') {
      const a = url.searchParams.get('a');
      if (a === 'lsr') return serverPostback(req, res, url, 'aff_goal lsr');
      if (a === 'l') return pixel(req, res, url, 'aff_goal pixel');
      return sendHtml(
        res,
        404,
        page('Unknown goal action', `<p>aff_goal needs <code>a=lsr</code> or <code>a=l</code>.</p>`),
      );
    }
    if (path === '/aff_l') return pixel(req, res, url, 'aff_l pixel');
    if (path === '/aff_i') return impression(req, res, url);
    return sendHtml(
      res,
      404,
      page('Not found', `<p>No such network page. See <a href="/">offers</a>.</p>`, banner()),
    );
  }

  function banner() {
    return `${escapeHtml(new URL(lab.urls().network).host)} — HasOffers-like network (Postback Lens demo lab)`;
  }

  /** aff_c: create the transaction and redirect to the offer URL [T3][T7]. */
  function click(req, res, url) {
    const p = paramsObject(url.searchParams);
    const offer = OFFERS.find((o) => String(o.id) === p.offer_id);
    if (!offer) {
      return sendHtml(
        res,
        404,
        page(
          'Offer not found',
          `<p>There is no offer <code>${escapeHtml(p.offer_id ?? '')}</code> on this network. Known offers: ${OFFERS.map((o) => o.id).join(', ')}. See <a href="/offers">the offers page</a>.</p>`,
          banner(),
        ),
      );
    }
    if (!p.aff_id) {
      return sendHtml(
        res,
        404,
        page(
          'Affiliate missing',
          '<p>The tracking link needs <code>aff_id</code> (the affiliate).</p>',
          banner(),
        ),
      );
    }
    const transaction_id = newTransactionId();
    const location = replaceMacros(offer.url(lab.urls()), {
      transaction_id,
      offer_id: offer.id,
      aff_id: p.aff_id,
      affiliate_id: p.aff_id,
      aff_sub: p.aff_sub ?? '',
      aff_sub2: p.aff_sub2 ?? '',
      aff_sub3: p.aff_sub3 ?? '',
      aff_sub4: p.aff_sub4 ?? '',
      aff_sub5: p.aff_sub5 ?? '',
      aff_click_id: p.aff_click_id ?? '',
      source: p.source ?? '',
    });
    /** @type {NetworkClick} */
    const c = {
      transaction_id,
      offer_id: offer.id,
      aff_id: p.aff_id,
      params: p,
      time: now(),
      url: `http://${req.headers.host}${req.url}`,
      location,
    };
    clicks.set(transaction_id, c);
    state.network.clicks.push(c);
    redirect(res, location, {
      'Set-Cookie': `${COOKIE_PREFIX}${offer.id}=${transaction_id}; Max-Age=${COOKIE_MAX_AGE}; Path=/; HttpOnly`,
    });
  }

  /**
   * Record a conversion unless it is a duplicate.
   * @param {NetworkClick} c
   * @param {string} goalId
   * @param {NetworkConversion['via']} via
   * @param {Record<string,string>} p
   * @returns {NetworkConversion|null} null when the transaction (and goal) already converted
   */
  function convert(c, goalId, via, p) {
    const key = `${c.transaction_id}|${goalId}`;
    if (converted.has(key)) return null;
    converted.add(key);
    /** @type {NetworkConversion} */
    const conv = {
      id: state.network.conversions.length + 1,
      time: now(),
      transaction_id: c.transaction_id,
      offer_id: c.offer_id,
      aff_id: c.aff_id,
      goal_id: goalId,
      via,
      amount: p.amount ?? '',
      adv_sub: p.adv_sub ?? '',
      aff_sub: c.params.aff_sub ?? '',
    };
    state.network.conversions.push(conv);
    return conv;
  }

  /**
   * aff_lsr / aff_goal?a=lsr: server postback with transaction id. Always HTTP 200; the body says
   * `success=true;` or `success=false; err_msg=…;` [T1].
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   * @param {'aff_lsr'|'aff_goal lsr'} via
   */
  function serverPostback(req, res, url, via) {
    const p = paramsObject(url.searchParams);
    const tid = p.transaction_id ?? '';
    const c = clicks.get(tid);
    const goalId = via === 'aff_goal lsr' ? (p.goal_id ?? '') : '';
    let answer;
    /** @type {NetworkConversion|null} */
    let conv = null;
    // A transaction id of another offer is treated as invalid (lab choice; the docs only show the
    // invalid-id and duplicate answers [T1]).
    if (!c || (p.offer_id !== undefined && p.offer_id !== '' && p.offer_id !== String(c.offer_id))) {
      answer = `success=false; err_msg=Invalid Trans. ID #${tid}.;`;
    } else {
      conv = convert(c, goalId, via, p);
      answer = conv ? 'success=true;' : 'success=false; err_msg=Duplicate conversion.;';
    }
    state.network.postbacks.push({
      time: now(),
      via,
      method: req.method ?? 'GET',
      url: `http://${req.headers.host}${req.url}`,
      params: p,
      answer,
      conversionId: conv?.id ?? null,
    });
    sendText(res, answer, CORS);
  }

  /**
   * aff_l / aff_goal?a=l: cookie-based conversion pixel [T6][T9]. Always a 1×1 GIF; a conversion is
   * recorded only when the network cookie set by aff_c comes with the request.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   * @param {'aff_l pixel'|'aff_goal pixel'} via
   */
  function pixel(req, res, url, via) {
    const p = paramsObject(url.searchParams);
    const cookies = parseCookies(req.headers.cookie);
    /** @type {NetworkClick|undefined} */
    let c;
    if (p.offer_id) {
      const tid = cookies[`${COOKIE_PREFIX}${p.offer_id}`];
      c = tid ? clicks.get(tid) : undefined;
    } else {
      // Goal pixel without offer_id: the newest network session among the cookies (lab choice).
      for (const [name, tid] of Object.entries(cookies)) {
        const k = name.startsWith(COOKIE_PREFIX) ? clicks.get(tid) : undefined;
        if (k && (!c || k.time >= c.time)) c = k;
      }
    }
    const goalId = via === 'aff_goal pixel' ? (p.goal_id ?? '') : '';
    const conv = c ? convert(c, goalId, via, p) : null;
    state.network.pixels.push({
      time: now(),
      via,
      url: `http://${req.headers.host}${req.url}`,
      params: p,
      transaction_id: c?.transaction_id ?? null,
      converted: conv !== null,
      reason: !c ? 'no network cookie' : conv ? 'converted' : 'duplicate',
      conversionId: conv?.id ?? null,
    });
    sendGif(res, CORS);
  }

  /** aff_i: impression pixel for creatives — counted, never a conversion [G14][G18]. */
  function impression(req, res, url) {
    state.network.impressions.push({
      time: now(),
      url: `http://${req.headers.host}${req.url}`,
      params: paramsObject(url.searchParams),
    });
    sendGif(res, CORS);
  }

  function offersPage(res) {
    const u = lab.urls();
    const rows = OFFERS.map((o) => {
      const test = `${u.network}/aff_c?offer_id=${o.id}&aff_id=1&aff_sub=test`;
      return `<tr><td>${o.id}</td><td>${escapeHtml(o.name)}</td><td><code>${escapeHtml(o.url(u))}</code></td>
<td><a class="test-link" href="${escapeHtml(test)}">${escapeHtml(test)}</a></td>
<td><code>${escapeHtml(`${u.network}/aff_lsr?offer_id=${o.id}&transaction_id={transaction_id}`)}</code></td></tr>`;
    }).join('\n');
    sendHtml(
      res,
      200,
      page(
        'Offers',
        `<p>HasOffers gives you a link for testing: click it. Each offer URL is a campaign link on the tracker,
receiving the network's <code>{transaction_id}</code> as <code>external_id</code>.</p>
<table><thead><tr><th>Offer</th><th>Name</th><th>Default offer URL</th><th>Test link</th><th>Conversion postback URL</th></tr></thead>
<tbody>${rows}</tbody></table>
<p><a href="/conversions">Conversions</a> · <a href="/__lab/state">lab state (JSON)</a></p>`,
        banner(),
      ),
    );
  }

  function conversionsPage(res) {
    const convRows = state.network.conversions.map((c) => [
      c.id,
      c.time,
      c.transaction_id,
      c.offer_id,
      c.aff_id,
      c.goal_id,
      c.via,
      c.amount,
      c.adv_sub,
      c.aff_sub,
    ]);
    const pbRows = state.network.postbacks.map((p) => [p.time, p.url, p.answer]);
    const pxRows = state.network.pixels.map((p) => [p.time, p.url, p.transaction_id, p.reason]);
    sendHtml(
      res,
      200,
      page(
        'Conversions',
        `${table(['#', 'Time', 'Transaction ID', 'Offer', 'Affiliate', 'Goal', 'Via', 'Amount', 'adv_sub', 'aff_sub'], convRows)}
<h2>Server postbacks received</h2>${table(['Time', 'URL', 'Answer'], pbRows)}
<h2>Pixels</h2>${table(['Time', 'URL', 'Transaction ID', 'Result'], pxRows)}
<h2>Impressions</h2><p>${state.network.impressions.length} impression(s) counted (aff_i is never a conversion).</p>
<p><a href="/offers">Offers</a></p>`,
        banner(),
      ),
    );
  }

  return { handle, reset };
}
