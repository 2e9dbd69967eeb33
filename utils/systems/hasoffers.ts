import { defineSystem } from './define-system';

/**
 * HasOffers (TUNE) CPA network. Networks run it on `NETWORKID.go2cloud.org` and on their own
 * domains (`go.leadgid.ru`, `trk.adbloom.co` …) [T1][G13], so every shape is a path.
 * Docs: https://support.tune.com/hc/en-us/articles/4413247665431 [T1]; reference section 5.
 */

const AFF_SUBS = ['aff_sub', 'aff_sub2', 'aff_sub3', 'aff_sub4', 'aff_sub5'];
const AFF_UNIQUES = ['aff_unique1', 'aff_unique2', 'aff_unique3', 'aff_unique4', 'aff_unique5'];
const ADV_SUBS = ['adv_sub', 'adv_sub2', 'adv_sub3', 'adv_sub4', 'adv_sub5'];
const ADV_UNIQUES = ['adv_unique1', 'adv_unique2', 'adv_unique3', 'adv_unique4', 'adv_unique5'];

/** Tiny URLs look like `/SL2`, `/SL6k` [T4]; a letter-first hash would also catch `/SLIDES`. */
const TINY_URL = '^/SL[0-9a-z][0-9A-Za-z]{0,11}/?$';

const anywhere = true;

export const hasoffers = defineSystem({
  id: 'hasoffers',
  name: 'HasOffers (TUNE)',
  docs: [
    {
      tag: 'T1',
      title: 'Receiving conversions via postback URL',
      url: 'https://support.tune.com/hc/en-us/articles/4413247665431-Receiving-Conversions-via-Postback-URL',
    },
    {
      tag: 'T3',
      title: 'Generating tracking links',
      url: 'https://help.tune.com/hasoffers/generating-tracking-links/',
    },
    {
      tag: 'T4',
      title: 'Tiny URLs',
      url: 'https://support.tune.com/hc/en-us/articles/1500005263482-Tiny-URLs',
    },
    {
      tag: 'T11',
      title: 'Securing against postback fraud',
      url: 'https://support.tune.com/hc/en-us/articles/1500008229962-Securing-Against-Postback-Fraud',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'server postback aff_lsr',
      // Server postback with transaction id, offer_id optional in practice [T1][A2][G13].
      path: { type: 'lastSegment', segment: 'aff_lsr' },
      clickId: ['transaction_id'],
    },
    {
      kind: 'postback',
      label: 'goal postback aff_goal?a=lsr',
      path: { type: 'lastSegment', segment: 'aff_goal' },
      values: [{ param: 'a', oneOf: ['lsr'] }],
      clickId: ['transaction_id'],
    },
    {
      kind: 'pixel',
      label: 'goal pixel aff_goal?a=l',
      path: { type: 'lastSegment', segment: 'aff_goal' },
      values: [{ param: 'a', oneOf: ['l'] }],
      clickId: ['transaction_id'],
    },
    {
      kind: 'postback',
      label: 'goal postback aff_goal with transaction_id',
      // No `a` (or an unknown one) but a transaction id: only a server can know it.
      path: { type: 'lastSegment', segment: 'aff_goal' },
      required: ['transaction_id'],
      clickId: ['transaction_id'],
    },
    {
      kind: 'pixel',
      label: 'goal pixel aff_goal',
      path: { type: 'lastSegment', segment: 'aff_goal' },
      clickId: ['transaction_id'],
    },
    {
      kind: 'pixel',
      label: 'conversion pixel aff_l',
      // Cookie-based: the click's cookie identifies the session, not a param [T6][T9].
      path: { type: 'lastSegment', segment: 'aff_l' },
      clickId: ['transaction_id'],
    },
    {
      kind: 'impression',
      label: 'impression pixel aff_i',
      path: { type: 'lastSegment', segment: 'aff_i' },
      clickId: [],
      notes: [
        {
          code: 'impression-not-conversion',
          severity: 'warning',
          message: 'aff_i is a HasOffers banner impression pixel: it counts a view, never a conversion.',
          fix: "For conversions use the server postback /aff_lsr?transaction_id=… (or the aff_l / aff_goal pixel) from the offer's tracking settings.",
        },
      ],
    },
    {
      kind: 'click',
      label: 'tracking link aff_c',
      path: { type: 'lastSegment', segment: 'aff_c' },
      // Unique click ids belong in aff_click_id / aff_unique1..5 [T7]; many networks use aff_sub [O2].
      clickId: ['aff_click_id', ...AFF_UNIQUES, ...AFF_SUBS],
    },
    {
      kind: 'postback',
      label: 'encrypted postback /SL…?transaction_id=',
      // With "Encrypted Conversion Tracking" the conversion URL is a hashed link [T11].
      path: { type: 'regex', pattern: TINY_URL, marker: '/SL' },
      required: ['transaction_id'],
      clickId: ['transaction_id'],
    },
    {
      kind: 'click',
      label: 'tiny tracking link /SL…',
      path: { type: 'regex', pattern: TINY_URL, marker: '/SL' },
      clickId: ['aff_click_id', ...AFF_UNIQUES, ...AFF_SUBS],
    },
  ],
  clickIds: [
    { param: 'transaction_id', role: 'transaction', anywhere },
    { param: 'aff_click_id', role: 'sub', anywhere },
    ...AFF_UNIQUES.map((param) => ({ param, role: 'sub' as const, anywhere })),
    ...AFF_SUBS.map((param) => ({ param, role: 'sub' as const, anywhere })),
  ],
  fields: [],
  knownParams: [
    'offer_id',
    'aff_id',
    'goal_id',
    'goal_name',
    'adv_id',
    'amount',
    'source',
    'url_id',
    'file_id',
    'a',
    'format',
    'security_token',
    ...ADV_SUBS,
    ...ADV_UNIQUES,
  ],
  responses: [
    {
      pattern: '^success=true;?$',
      verdict: 'accepted',
      message: 'HasOffers accepted the conversion request.',
    },
    {
      pattern: '^success=false;\\s*err_msg=(?<err_msg>.*?);?$',
      flags: 's',
      verdict: 'rejected',
      message: 'HasOffers refused the conversion.',
    },
    {
      pattern: '^success=false;?$',
      verdict: 'rejected',
      message: 'HasOffers refused the conversion (no reason given).',
    },
    {
      pattern: '(?<err_msg>Duplicate conversion[^;]*)',
      flags: 'i',
      verdict: 'rejected',
      message: 'HasOffers already has a conversion for this transaction id.',
    },
  ],
  responseCaveat:
    "HTTP 200 is not proof, and neither is success=true;: HasOffers can still reject the conversion afterwards — a missing or wrong security_token, the offer's IP whitelist (a replay from your browser's IP fails it) or a duplicate transaction id. Check the Conversion report (and Server Logs) in HasOffers for this transaction id.",
  examples: {
    match: [
      { url: 'http://demo.go2cloud.org/aff_c?offer_id=1048&aff_id=1006', kind: 'click', clickId: null }, // [T4]
      {
        url: 'http://demo.go2cloud.org/aff_c?offer_id=1048&aff_id=1006&aff_sub=test',
        kind: 'click',
        clickId: 'test',
      }, // [T4]
      // Keitaro's Tune.com offer URL [O2] with the subid filled in.
      {
        url: 'https://network.go2cloud.org/aff_c?offer_id=12&aff_id=34&aff_click_id=51ts6sgr1cbkdhljnrv',
        kind: 'click',
        clickId: '51ts6sgr1cbkdhljnrv',
      },
      {
        url: 'https://network.go2cloud.org/aff_c?offer_id=12&aff_id=34&aff_click_id={subid}',
        kind: 'click',
        clickId: null,
      }, // [O2]
      { url: 'http://demo.go2cloud.org/SL2?aff_sub=test', kind: 'click', clickId: 'test' }, // [T4]
      { url: 'http://demo.go2cloud.org/SL6k', kind: 'click', clickId: null }, // [T4]
      {
        url: 'https://demo.go2cloud.org/aff_lsr?offer_id=1048&transaction_id=1027c887059b47bc69c699f45466b9',
        kind: 'postback',
        clickId: '1027c887059b47bc69c699f45466b9',
      }, // [T1]
      {
        url: 'https://tracking.adsmain.com/aff_lsr?transaction_id=10214043256817052076618466&security_token=3f2a9c',
        kind: 'postback',
        clickId: '10214043256817052076618466',
      }, // [G15][T2]
      {
        url: 'https://go.leadgid.ru/aff_goal?a=lsr&goal_id=5&transaction_id=102cfe1a3b6d9e6f6b1e2a7c0d4f51',
        kind: 'postback',
        clickId: '102cfe1a3b6d9e6f6b1e2a7c0d4f51',
      }, // [G13]
      { url: 'https://trk.adbloom.co/aff_goal?a=l&goal_id=7', kind: 'pixel', clickId: null }, // [G13]
      {
        url: 'https://demo.go2cloud.org/aff_l?offer_id=1048&adv_sub=ORDER-1&amount=49.90',
        kind: 'pixel',
        clickId: null,
      }, // [T9][G16]
      {
        url: 'https://media.go2speed.org/aff_i?offer_id=1048&aff_id=1006&file_id=55',
        kind: 'impression',
        clickId: null,
      }, // [G14]
      {
        url: 'https://demo.go2cloud.org/SL2?transaction_id=1027c887059b47bc69c699f45466b9',
        kind: 'postback',
        clickId: '1027c887059b47bc69c699f45466b9',
      }, // [T11]
    ],
    noMatch: [
      'https://example.com/aff_calendar?offer_id=1',
      'https://example.com/SLIDES/intro',
      'https://example.com/blog/SL-guide',
      'https://example.com/?aff_sub=abc&aff_id=5',
      'https://shop.example.com/checkout/complete?transaction_id=123456',
      'https://example.com/aff_c/more',
    ],
  },
});
