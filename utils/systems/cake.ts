import { defineSystem } from './define-system';

/**
 * CAKE: `https://<domain>/p.ashx?o=<offer>&e=<event>&t=<txid/adv ref>&r=<request id>&f=pb|img`;
 * the request session id goes in `r` (token `#reqid#`) [CK1]; `p.ashx` shapes and `SUCCESS`
 * replies are seen in integration code [G24]. ASP.NET paths are case-insensitive.
 * Trap: a template labelled "CAKE" that points at go2cloud.org/aff_lsr is a HasOffers URL
 * [G25]: detection by path gets that right.
 */

export const cake = defineSystem({
  id: 'cake',
  name: 'CAKE',
  docs: [
    {
      tag: 'CK1',
      title: 'Server postback (CAKE support)',
      url: 'https://support.getcake.com/support/solutions/articles/5000546059',
    },
  ],
  shapes: [
    {
      kind: 'pixel',
      label: 'pixel p.ashx?f=img',
      path: { type: 'lastSegment', segment: 'p.ashx', ignoreCase: true },
      anyOf: ['o', 'r', 't'],
      values: [{ param: 'f', oneOf: ['img'], ignoreCase: true }],
      clickId: ['r', 't'],
    },
    {
      kind: 'postback',
      label: 'postback p.ashx',
      path: { type: 'lastSegment', segment: 'p.ashx', ignoreCase: true },
      anyOf: ['o', 'r', 't'],
      clickId: ['r', 't'],
    },
  ],
  clickIds: [
    { param: 'r', role: 'click' },
    { param: 't', role: 'transaction' },
  ],
  fields: [
    { field: 'offer_id', params: ['o'] },
    { field: 'event_id', params: ['e'] },
    { field: 'transaction_id', params: ['t'] },
    { field: 'request_id', params: ['r'] },
    { field: 'format', params: ['f'] },
  ],
  knownParams: ['p'],
  responses: [{ pattern: 'SUCCESS', verdict: 'accepted', message: 'CAKE answered SUCCESS.' }],
  responseCaveat: 'HTTP 200 is not proof: check the Conversions report in CAKE for this request id.',
  examples: {
    match: [
      {
        url: 'https://cake.example/p.ashx?o=123&e=4&t=ORDER-5&r=REQ123abc&f=pb',
        kind: 'postback',
        clickId: 'REQ123abc',
      }, // [CK1][G24]
      { url: 'https://cake.example/P.ashx?o=123&e=4&f=img&t=ORDER-5', kind: 'pixel', clickId: 'ORDER-5' }, // [CK1]
      { url: 'https://cake.example/p.ashx?o=123&e=4&r=%23reqid%23&f=pb', kind: 'postback', clickId: null }, // [CK1] token left in, encoded
    ],
    noMatch: ['https://example.com/p.ashx', 'https://example.com/img.ashx?o=1&r=2'],
  },
});
