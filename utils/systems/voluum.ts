import { defineSystem } from './define-system';

/**
 * Voluum: `https://<tracking-domain>/postback?cid={clickid}&payout=&txid=&currency=&et=&param1..5`,
 * only `cid` required; click ids look like `c384EFV6JHQODRN70575OK6UG5` [V1][V2].
 *
 * BeMob uses the same path and `cid` [BM1]. The split (see bemob.ts): a `status` param or a
 * 22-character alphanumeric cid is BeMob's; `et`/`param1..5` (documented only by Voluum) are
 * Voluum's. Everything else on `/postback?cid=` is Voluum, the more common of the two.
 */

const PARAMS = ['param1', 'param2', 'param3', 'param4', 'param5'];
const BEMOB_CID = '^[A-Za-z0-9]{22}$';

export const voluum = defineSystem({
  id: 'voluum',
  name: 'Voluum',
  docs: [
    {
      tag: 'V1',
      title: 'Tracking conversions with a postback',
      url: 'https://doc.voluum.com/en/tracking_conversions_postback.html',
    },
    {
      tag: 'V2',
      title: 'Submitting the postback URL',
      url: 'https://doc.voluum.com/en/submitting_postback_url.html',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback /postback?cid= with et/param1..5',
      path: { type: 'exact', path: '/postback' },
      required: ['cid'],
      anyOf: ['et', ...PARAMS],
      clickId: ['cid'],
    },
    {
      kind: 'postback',
      label: 'postback /postback?cid=',
      path: { type: 'exact', path: '/postback' },
      required: ['cid'],
      forbidden: ['status'],
      values: [{ param: 'cid', pattern: BEMOB_CID, negate: true }],
      clickId: ['cid'],
    },
  ],
  clickIds: [{ param: 'cid', role: 'click' }],
  fields: [],
  knownParams: ['payout', 'txid', 'currency', 'et', ...PARAMS],
  responses: [],
  responseCaveat: 'HTTP 200 is not proof: check the Conversions report in Voluum for this click id (cid).',
  examples: {
    match: [
      {
        url: 'https://trk.example.com/postback?cid=c384EFV6JHQODRN70575OK6UG5&payout=1.5&txid=order-77',
        kind: 'postback',
        clickId: 'c384EFV6JHQODRN70575OK6UG5',
      }, // [V1][V2]
      {
        url: 'https://trk.example.com/postback?cid=c384EFV6JHQODRN70575OK6UG5&et=deposit&param1=abc',
        kind: 'postback',
        clickId: 'c384EFV6JHQODRN70575OK6UG5',
      }, // [V1]
      {
        url: 'https://trk.example.com/postback?cid={clickid}&payout=&txid=',
        kind: 'postback',
        clickId: null,
      }, // [V1]
    ],
    noMatch: [
      'https://www.google-analytics.com/collect?v=1&tid=UA-12345-1&cid=555.666&t=pageview',
      'https://trk.example.com/api/postback?cid=abc',
    ],
  },
});
