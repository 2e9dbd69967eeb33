import { defineSystem } from './define-system';

/**
 * Keitaro tracker: receives conversions on `/KEY/postback`, sends visitors to landings with
 * `?subid=`, links landings to offers with `?_lp=1&_token=`, updates clicks with
 * `?_update_tokens=1&sub_id=`.
 * Docs: https://docs.keitaro.io/en/conversions/postback.html [K2] and the reference file,
 * sections 1 and 3. Facts marked [L*] come from an unofficial copy of v9 code.
 */

/** Accepted subid names [L2]. `subid` is first: it is the documented one [K1][K2]; which alias wins when several are sent is not documented. */
export const KEITARO_SUBID_ALIASES = [
  'subid',
  'trackID',
  'sub_id',
  'subaccount',
  'aff_sub',
  'clickid',
  'subId',
  'SubID',
  'trackingCodes',
] as const;

/** Payout aliases [L2]; `payout` first as the documented name [K1]. */
export const KEITARO_PAYOUT_ALIASES = [
  'payout',
  'revenue',
  'profit',
  'summ_approved',
  'payment',
  'amount',
  'order_sum',
  'order_amount',
  'affiliateCommission',
  'value',
] as const;

/** Transaction id aliases [L2]; `tid` is the documented one [K1]. */
export const KEITARO_TID_ALIASES = ['tid', 'transaction_id', 'txid', 'trans_id', 'receipt'] as const;

/** Conversion time aliases [L2]. */
export const KEITARO_TIME_ALIASES = [
  'conversion_time',
  'action_time',
  'postback_date',
  'datetime',
  'time',
] as const;

/** `sale_status=…` etc. replace the built-in alias list of their bucket [K1][L2]. `ignore` is the other spelling on one render of [K2]. */
export const KEITARO_BUCKET_PARAMS = [
  'sale_status',
  'lead_status',
  'rejected_status',
  'ignore_status',
  'ignore',
] as const;

/** Where Keitaro files a conversion status. */
export type KeitaroBucket = 'lead' | 'sale' | 'rejected' | 'rebill' | 'ignore';

/** Built-in statuses [K1][K2][K7]. */
export const KEITARO_STATUSES: readonly KeitaroBucket[] = ['lead', 'sale', 'rejected', 'rebill'];

/** Built-in alias lists [L2]. `lead` has no list of its own there. */
export const KEITARO_STATUS_ALIASES: Readonly<Record<'sale' | 'rejected' | 'ignore', readonly string[]>> = {
  sale: [
    'approved',
    '1',
    'done',
    'confirm',
    'confirmed',
    'paid',
    'rebill',
    'sale',
    'signup',
    'payed',
    'awarded',
    'sell',
    'sms',
    'birj',
    'redeem',
    'cgbk',
    'insf',
    'test_sale',
  ],
  rejected: [
    'failure',
    'reject',
    'cancelled',
    'refund',
    'cancel',
    'decline',
    'declined',
    'rejected',
    'invalid',
    'canceled',
    'trash',
  ],
  ignore: ['unsubscribe', 'subscribeOff', 'off', 'rfnd', 'cancel-rebill', 'test_rfnd', 'cancel-test-rebill'],
};

/**
 * Statuses newer Keitaro shows besides the built-in four [G6][O1]. The seed calls a
 * registration "a lead for Keitaro" [K16]; for `deposit` no source says which bucket v9 uses
 * (its code files unknown values as lead [L2]), so it gets none.
 */
export const KEITARO_NEWER_STATUSES: Readonly<Record<string, KeitaroBucket | null>> = {
  registration: 'lead',
  deposit: null,
};

/** v9/current docs say sub_id_1..15 [K1][K2], the update-params doc goes to 30 [K6]. */
const SUB_IDS = Array.from({ length: 30 }, (_, i) => `sub_id_${i + 1}`);
/** Old versions only [K4][K5]. */
const EXTRA_PARAMS = Array.from({ length: 7 }, (_, i) => `extra_param_${i + 1}`);

const POSTBACK_PARAMS = [
  ...KEITARO_SUBID_ALIASES,
  ...KEITARO_PAYOUT_ALIASES,
  ...KEITARO_TID_ALIASES,
  'status',
  'currency',
  'cost',
  'return',
  ...KEITARO_BUCKET_PARAMS,
  ...SUB_IDS,
];

const anywhere = true;
const POSTBACK: ['postback'] = ['postback'];

export const keitaro = defineSystem({
  id: 'keitaro',
  name: 'Keitaro',
  docs: [
    {
      tag: 'K2',
      title: 'Postback (Keitaro docs)',
      url: 'https://docs.keitaro.io/en/conversions/postback.html',
    },
    {
      tag: 'K3',
      title: 'Postback, newest revision',
      url: 'https://docs.keitaro.io/en/conversions-and-postback/postback.html',
    },
    {
      tag: 'K6',
      title: 'Update click params',
      url: 'https://docs.keitaro.io/en/landing-pages-and-offers/update-params.html',
    },
    {
      tag: 'K15',
      title: 'Landing page with redirect',
      url: 'https://docs.keitaro.io/en/landing-pages-and-offers/landing-page-redirect.html',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback /KEY/postback',
      // The dispatcher takes the key from the first path segment [L1].
      path: { type: 'regex', pattern: '^/(?<key>[^/]+)/postback/?$', marker: '/postback' },
      anyOf: POSTBACK_PARAMS,
      clickId: [...KEITARO_SUBID_ALIASES],
    },
    {
      kind: 'postback',
      label: 'postback /KEY/postback without params',
      // No params at all (or all of them in a POST body that was not captured): still a
      // postback when the key looks like a real one (short lower-case hex [P1][P3][G2][G3]).
      path: { type: 'regex', pattern: '^/(?<key>[0-9a-f]{5,32})/postback/?$', marker: '/postback' },
      clickId: [...KEITARO_SUBID_ALIASES],
    },
    {
      kind: 'postback',
      label: 'postback /postback?key=',
      // "first path segment or a key param" [L1].
      path: { type: 'exact', path: '/postback' },
      required: ['key'],
      anyOf: POSTBACK_PARAMS,
      clickId: [...KEITARO_SUBID_ALIASES],
    },
    {
      kind: 'postback',
      label: 'keyless postback /postback?subid=',
      // Shown by third-party docs and code [A1][G4]; fails Keitaro's key check [L1].
      // `cid`/`clickid` are left to Voluum/BeMob/RedTrack/Affise, which use /postback for real.
      path: { type: 'exact', path: '/postback' },
      required: ['subid'],
      forbidden: ['key', 'cid', 'clickid', 'click_id'],
      clickId: [...KEITARO_SUBID_ALIASES],
      notes: [
        {
          code: 'keyless-postback',
          severity: 'error',
          message:
            'This Keitaro postback URL has no postback key, so Keitaro rejects it with "Incorrect postback code".',
          fix: 'Copy the full postback URL from Keitaro (Settings or Maintenance → Postback URL): it looks like https://TRACKER/KEY/postback?subid=…',
        },
      ],
    },
    {
      kind: 'lp-offer-link',
      label: 'landing → offer link ?_lp=1',
      // {offer} expands to BASE/?_lp=1&_token=…&offer_id=N [L3][K15]; the JS variant forwards
      // the landing's query string, so `_subid` may ride along [K15].
      path: { type: 'any' },
      required: ['_lp'],
      values: [{ param: '_lp', oneOf: ['1'] }],
      clickId: ['_token', '_subid', 'subid'],
    },
    {
      kind: 'update-tokens',
      label: 'update click params ?_update_tokens=1',
      path: { type: 'any' },
      required: ['_update_tokens'],
      values: [{ param: '_update_tokens', oneOf: ['1'] }],
      // The param is `sub_id`, not `subid` [K6]; diagnostics point out the swap.
      clickId: ['sub_id'],
    },
    {
      kind: 'landing',
      label: 'landing ?subid=',
      // Landing URL gets ?subid={subid} [K16]; the JS adapter reads `_subid` then `subid` [K14];
      // KClient restores from `_subid` and `_token` [C1].
      path: { type: 'any' },
      anyOf: ['subid', '_subid', '_token'],
      forbidden: ['_lp', '_update_tokens'],
      clickId: ['_subid', 'subid', '_token'],
    },
  ],
  clickIds: [
    { param: 'subid', role: 'click', anywhere },
    { param: '_subid', role: 'click', anywhere },
    { param: 'sub_id', role: 'click', anywhere },
    { param: '_token', role: 'token', anywhere },
    // The traffic source's click id on a campaign link, returned to the source through
    // {external_id} [K10][K13]; `externalId` is the spelling of BeMob's token [BM2].
    { param: 'external_id', role: 'external', anywhere },
    { param: 'externalId', role: 'external', anywhere },
    { param: 'subId', role: 'click', anywhere },
    { param: 'SubID', role: 'click', anywhere },
    // Inside a Keitaro postback these carry Keitaro's subid [L2]; elsewhere they are
    // HasOffers/RedTrack/Affise names, so they are not claimed on other URLs or kinds.
    ...KEITARO_SUBID_ALIASES.filter((param) => !['subid', 'sub_id', 'subId', 'SubID'].includes(param)).map(
      (param) => ({ param, role: 'click' as const, kinds: POSTBACK }),
    ),
    // `tid={transaction_id}` is how the Tune.com template hands HasOffers' id over [O2]:
    // the trail follows it by value.
    ...KEITARO_TID_ALIASES.map((param) => ({ param, role: 'transaction' as const, kinds: POSTBACK })),
  ],
  fields: [
    { field: 'subid', params: ['subid', 'sub_id', 'subId', 'SubID'] },
    { field: 'subid', params: [...KEITARO_SUBID_ALIASES], kinds: POSTBACK },
    { field: 'payout', params: [...KEITARO_PAYOUT_ALIASES], kinds: POSTBACK },
    { field: 'tid', params: [...KEITARO_TID_ALIASES], kinds: POSTBACK },
    { field: 'conversion_time', params: [...KEITARO_TIME_ALIASES], kinds: POSTBACK },
  ],
  knownParams: [
    'status',
    'currency',
    'cost',
    'return',
    'from',
    'key',
    ...KEITARO_BUCKET_PARAMS,
    ...SUB_IDS,
    ...EXTRA_PARAMS,
    '_subid',
    '_token',
    '_lp',
    '_update_tokens',
    'offer_id',
  ],
  status: { field: 'status' },
  // Bodies per the unofficial v9 dispatcher [L1]; only `return=` is in the docs [K1][K2].
  responses: [
    {
      pattern: '^Success$',
      verdict: 'accepted',
      message:
        'Keitaro queued the postback. It has not checked the subid yet: that happens later, in the queue.',
    },
    {
      pattern: '^Incorrect subid',
      verdict: 'rejected',
      message: 'Keitaro got no subid (empty or missing), so it ignored the postback.',
    },
    {
      pattern: '^Incorrect postback code \\((?<key>.*?) in (?<url>.*)\\)$',
      flags: 's',
      verdict: 'rejected',
      message: 'The postback key in the URL does not match this tracker, so Keitaro ignored the postback.',
    },
  ],
  responseCaveat:
    'HTTP 200 is not proof: Keitaro answers 200 even when it ignores a postback, and "Success" only means queued. Whether the subid existed and the conversion was recorded shows up later in Maintenance → Logs → Received postbacks, or in the Admin API conversions log filtered by this subid (SubID not found, or "SubId + tid already exists", appear only there).',
  examples: {
    match: [
      // The docs example [K2]: no subid at all.
      {
        url: 'https://example.com/key/postback?status=lead&payout=10&currency=EUR',
        kind: 'postback',
        clickId: null,
      },
      // Key from [P1], subid shape from [P2].
      {
        url: 'http://tracker.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv&status=sale&payout=12.5',
        kind: 'postback',
        clickId: '51ts6sgr1cbkdhljnrv',
      },
      // The unreplaced macro from the [P2] log excerpt, key from [P3].
      {
        url: 'https://trk.example.com/86258df/postback?subid={subacc4}&status=lead',
        kind: 'postback',
        clickId: null,
      },
      // Keitaro's Tune.com template [O2] with values filled in ([K11] subid, [T1] transaction id).
      {
        url: 'http://tracker.example/f89e783/postback?subid=o2q6e42hs08jq&payout=4.2&currency=USD&tid=1027c887059b47bc69c699f45466b9&affiliate_id=12&offer_name=Test&from=Tune.com',
        kind: 'postback',
        clickId: 'o2q6e42hs08jq',
      },
      // The seed's landing postback (status typo included) [K16], key from [G3], subid from [K7].
      {
        url: 'http://tracker.example/d4409bf/postback?cost=1&status=registratered&sub_id_1=game1&subid=1dad2cg1br22spja1',
        kind: 'postback',
        clickId: '1dad2cg1br22spja1',
      },
      // An alias instead of `subid` [L2], key from [P4].
      {
        url: 'https://tracker.example/5903ad6/postback?clickid=51ts6sgr1cbkdhljnrv&revenue=3.5&transaction_id=T-1',
        kind: 'postback',
        clickId: '51ts6sgr1cbkdhljnrv',
      },
      // POST: query and body are merged [L1]; 6-character key from third-party docs.
      {
        url: 'https://tracker.example/25123a/postback',
        method: 'POST',
        body: 'subid=o2q6e42hs08jq&status=sale&payout=5',
        kind: 'postback',
        clickId: 'o2q6e42hs08jq',
      },
      {
        url: 'https://tracker.example/25123a/postback?status=sale',
        method: 'POST',
        body: '{"subid":"o2q6e42hs08jq","payout":5}',
        kind: 'postback',
        clickId: 'o2q6e42hs08jq',
      },
      // Keyless form from third-party docs [A1][G4].
      {
        url: 'https://tracker.example/postback?subid=1dad2cg1br22spja1&status=sale',
        kind: 'postback',
        clickId: '1dad2cg1br22spja1',
      },
      // Landing with ?subid={subid} filled [K16].
      {
        url: 'https://landing.example/?subid=51ts6sgr1cbkdhljnrv',
        kind: 'landing',
        clickId: '51ts6sgr1cbkdhljnrv',
      },
      { url: 'https://example.com/?subid=abc', kind: 'landing', clickId: 'abc' },
      {
        url: 'https://lp.example/offer/index.php?_subid=o2q6e42hs08jq&_token=eyJ0eXAiOiJKV1QifQ&utm_source=hasoffers',
        kind: 'landing',
        clickId: 'o2q6e42hs08jq',
      },
      { url: 'https://landing.example/?subid={subid}', kind: 'landing', clickId: null },
      // {offer} / the redirect landing's link [L3][K15].
      {
        url: 'https://tracker.example/?_lp=1&_token=uEBhN2FkNzE4ZS0wYjE3&offer_id=1',
        kind: 'lp-offer-link',
        clickId: 'uEBhN2FkNzE4ZS0wYjE3',
      },
      // [K6]
      {
        url: 'http://tracker.example/?_update_tokens=1&sub_id=51ts6sgr1cbkdhljnrv&sub_id_1=paid',
        kind: 'update-tokens',
        clickId: '51ts6sgr1cbkdhljnrv',
      },
    ],
    noMatch: [
      'https://example.com/postback',
      'https://example.com/api/postback?foo=1',
      'https://example.com/?sub_id_1=abc',
      'https://www.google.com/search?q=subid%3Dabc',
      'https://example.com/?token=abc&subids=1',
      'https://example.com/subid/page.html',
      'https://example.com/?xsubid=1&_lpx=1',
    ],
  },
});
