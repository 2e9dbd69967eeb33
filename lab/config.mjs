// Demo lab configuration: host names, the tracker's postback key, the Keitaro-like campaigns and the
// HasOffers-like offers. Written from the domain reference (source tags such as [L1], [T1] in the
// comments); the lab never imports the extension's `utils/`. See docs/lab.md.

/** Host names served by the one Node HTTP server (dispatch on the `Host` header's hostname). */
export const HOSTS = Object.freeze({
  /** HasOffers-like network; real networks use `NETWORKID.go2cloud.org` [T1][T2]. */
  network: 'demo.go2cloud.org',
  /** Keitaro-like tracker. */
  tracker: 'tracker.example',
  /** Static landings (HTML + inline JS). */
  landing: 'landing.example',
  /** PHP landings, served by `php -S` on the second port. */
  php: 'php.landing.example',
});

/**
 * A tracker domain with a typo, as a landing's postback might carry it. `.invalid` never resolves
 * (RFC 2606); the tests and `npm start` also tell Chromium so (`MAP tracker.invalid ~NOTFOUND`), so
 * the failed lookup never leaves the machine. Nothing in the lab serves it.
 */
export const DEAD_TRACKER_HOST = 'tracker.invalid';

/** Chromium's `--host-resolver-rules` for the lab: the typo domain fails to resolve, every other name goes to 127.0.0.1 (the first matching rule wins). */
export const HOST_RESOLVER_RULES = `MAP ${DEAD_TRACKER_HOST} ~NOTFOUND, MAP * 127.0.0.1`;

/** A postback key one character off the real one: the tracker answers HTTP 200 with a failure body [L1]. */
export const WRONG_POSTBACK_KEY = 'e89bcbf';

/**
 * The tracker's postback key. Real keys are short lowercase hex, usually 7 characters;
 * `e89bcbe` is the one seen in [P1].
 */
export const POSTBACK_KEY = 'e89bcbe';

/** Keitaro's tracker-domain cookie holding the click id, 31 days by default [L4]. */
export const SUBID_COOKIE = '_subid';
export const SUBID_COOKIE_MAX_AGE = 31 * 24 * 3600;

/**
 * @typedef {object} LabBaseUrls
 * @property {string} network  e.g. `http://demo.go2cloud.org:8080`
 * @property {string} tracker  e.g. `http://tracker.example:8080`
 * @property {string} landing  e.g. `http://landing.example:8080`
 * @property {string|null} php e.g. `http://php.landing.example:8081`, null when PHP is missing
 */

/**
 * @typedef {object} Campaign
 * @property {string} alias     campaign link path on the tracker: `/<alias>`
 * @property {number} offerId   the network offer whose URL is this campaign link (one offer per campaign)
 * @property {string} title
 * @property {(u: LabBaseUrls) => string} landing  the landing URL template; `{subid}` and `{token}` are
 *   Keitaro macros replaced (URL-encoded) on the click [K13]
 */

/** @type {readonly Campaign[]} */
export const CAMPAIGNS = Object.freeze([
  {
    alias: 'php',
    offerId: 1,
    title: "The seed's PHP landing done right (session, server-side postback)",
    // Scenario B of the reference: the landing URL inside Keitaro is `?subid={subid}` [K16].
    landing: (u) => (u.php ? `${u.php}/index.php?subid={subid}` : `${u.landing}/no-php.html?subid={subid}`),
  },
  {
    alias: 'php-broken',
    offerId: 2,
    title: "The seed's PHP snippet as written (session never started)",
    landing: (u) => (u.php ? `${u.php}/broken.php?subid={subid}` : `${u.landing}/no-php.html?subid={subid}`),
  },
  {
    alias: 'pixel',
    offerId: 3,
    title: 'Postback fired as an image pixel',
    landing: (u) => `${u.landing}/pixel.html?subid={subid}`,
  },
  {
    alias: 'iframe',
    offerId: 4,
    title: 'Postback fired in an iframe',
    landing: (u) => `${u.landing}/iframe.html?subid={subid}`,
  },
  {
    alias: 'fetch',
    offerId: 5,
    title: 'Postback fired with fetch (answer shown)',
    landing: (u) => `${u.landing}/fetch.html?subid={subid}`,
  },
  {
    alias: 'beacon',
    offerId: 6,
    title: 'Postback fired with navigator.sendBeacon (form body)',
    landing: (u) => `${u.landing}/beacon.html?subid={subid}`,
  },
  {
    alias: 'form',
    offerId: 7,
    title: 'Postback fired as a form POST into a hidden iframe',
    landing: (u) => `${u.landing}/form.html?subid={subid}`,
  },
  {
    alias: 'cookie',
    offerId: 8,
    title: 'Subid stored in a cookie (document.cookie)',
    landing: (u) => `${u.landing}/cookie.html?subid={subid}`,
  },
  {
    alias: 'localstorage',
    offerId: 9,
    title: 'Subid stored in localStorage',
    landing: (u) => `${u.landing}/localstorage.html?subid={subid}`,
  },
  {
    alias: 'hidden',
    offerId: 10,
    title: 'Subid in a hidden input, landing → offer link with _token',
    // Keitaro passes `_token` to landings for the landing→offer transition [K15][C1].
    landing: (u) => `${u.landing}/hidden.html?subid={subid}&_token={token}`,
  },
  {
    alias: 'macro',
    offerId: 11,
    title: 'Misconfigured: the landing URL was saved URL-encoded, so {subid} is never replaced',
    // Deliberate mistake: `%7Bsubid%7D` is not the macro `{subid}`, so it goes out literally and the
    // browser lands on `?subid=%7Bsubid%7D` (read by the page as `{subid}`) — trap 1 of the reference.
    landing: (u) => `${u.landing}/macro.html?subid=%7Bsubid%7D`,
  },
  {
    alias: 'wrong-key',
    offerId: 12,
    title: 'Misconfigured: the landing’s postback has a wrong key (HTTP 200, failure body)',
    landing: (u) => `${u.landing}/wrong-key.html?subid={subid}`,
  },
  {
    alias: 'dead-tracker',
    offerId: 13,
    title: 'Misconfigured: the landing’s postback goes to a tracker domain that does not resolve',
    landing: (u) => `${u.landing}/dead-tracker.html?subid={subid}`,
  },
  {
    alias: 'xhr',
    offerId: 14,
    title: 'Postback fired with XMLHttpRequest, POST form body (answer shown)',
    landing: (u) => `${u.landing}/xhr.html?subid={subid}`,
  },
]);

/**
 * @typedef {object} Offer
 * @property {number} id
 * @property {string} name
 * @property {string} campaign  alias of the tracker campaign the offer URL points at
 * @property {(u: LabBaseUrls) => string} url  the offer URL with HasOffers macros [T5][T10]
 */

/**
 * Network offers: one per campaign. Each offer URL is the Keitaro campaign link, receiving the
 * network's `{transaction_id}` as Keitaro's `external_id` (HasOffers as a traffic source of a Keitaro
 * campaign — scenario B, [K16]) and `{aff_sub}` as `sub_id_1`.
 * @type {readonly Offer[]}
 */
export const OFFERS = Object.freeze(
  CAMPAIGNS.map((c) => ({
    id: c.offerId,
    name: `Demo offer ${c.offerId}: ${c.alias}`,
    campaign: c.alias,
    url: (/** @type {LabBaseUrls} */ u) =>
      `${u.tracker}/${c.alias}?external_id={transaction_id}&sub_id_1={aff_sub}`,
  })),
);

/**
 * Keitaro offers reached from a landing through `/?_lp=1&_token=…&offer_id=N` [K15][L3]: simple
 * offer pages on the landing host.
 */
export const TRACKER_OFFERS = Object.freeze({
  1: {
    name: 'Demo offer page',
    url: (/** @type {LabBaseUrls} */ u) => `${u.landing}/offer.html?offer_id=1&subid={subid}`,
  },
  2: {
    name: 'Second offer page',
    url: (/** @type {LabBaseUrls} */ u) => `${u.landing}/offer.html?offer_id=2&subid={subid}`,
  },
});

/** Payout the static landings put in their postbacks. */
export const LANDING_PAYOUT = '10';
