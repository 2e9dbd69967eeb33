import { defineSystem } from './define-system';

/**
 * BeMob: `http://<domain>/postback?cid=REPLACE&payout=OPTIONAL&txid=OPTIONAL&status=OPTIONAL`,
 * click id 22 alphanumeric characters, S2S token `{externalId}` [BM1][BM2].
 * Shares `/postback?cid=` with Voluum: BeMob claims it when `status` is present (Voluum does
 * not document one) or the cid has BeMob's 22-character form, unless a Voluum-only param
 * (`et`, `param1..5`) is there. See voluum.ts.
 */

const VOLUUM_ONLY = ['et', 'param1', 'param2', 'param3', 'param4', 'param5'];

export const bemob = defineSystem({
  id: 'bemob',
  name: 'BeMob',
  docs: [
    {
      tag: 'BM1',
      title: 'Postback settings of affiliate network',
      url: 'https://docs.bemob.com/en/postback-settings-of-affiliate-network',
    },
    {
      tag: 'BM2',
      title: 'Postback settings of traffic source',
      url: 'https://docs.bemob.com/en/postback-settings-of-traffic-source',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback /postback?cid=&status=',
      path: { type: 'exact', path: '/postback' },
      required: ['cid', 'status'],
      forbidden: VOLUUM_ONLY,
      clickId: ['cid'],
    },
    {
      kind: 'postback',
      label: 'postback /postback?cid= (22-character cid)',
      path: { type: 'exact', path: '/postback' },
      required: ['cid'],
      forbidden: VOLUUM_ONLY,
      values: [{ param: 'cid', pattern: '^[A-Za-z0-9]{22}$' }],
      clickId: ['cid'],
    },
  ],
  clickIds: [{ param: 'cid', role: 'click' }],
  fields: [],
  knownParams: ['payout', 'txid', 'status'],
  status: { field: 'status' },
  responses: [],
  responseCaveat: 'HTTP 200 is not proof: check the conversions report in BeMob for this click id (cid).',
  examples: {
    match: [
      {
        url: 'http://bemob.example/postback?cid=REPLACE&payout=OPTIONAL&txid=OPTIONAL&status=OPTIONAL',
        kind: 'postback',
        clickId: null,
      }, // [BM1], template left as is
      {
        url: 'https://trk.example.org/postback?cid=a1B2c3D4e5F6g7H8i9J0kL&payout=3.2',
        kind: 'postback',
        clickId: 'a1B2c3D4e5F6g7H8i9J0kL',
      }, // [BM1] id form
    ],
    noMatch: ['https://trk.example.org/postbacks?cid=a1B2c3D4e5F6g7H8i9J0kL'],
  },
});
