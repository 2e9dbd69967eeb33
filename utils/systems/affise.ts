import { defineSystem } from './define-system';
import { AFFISE_ONLY_PARAMS } from './redtrack';

/**
 * Affise: postback `https://<domain>/postback?clickid={sub1}[&action_id&goal&sum&status&secure&custom_field1..]`,
 * `click_id` also accepted; status 1 approved / 2 pending / 3 declined / 5 hold; click ids are
 * 24 characters; tracking link `https://<domain>/click?pid={pid}&offer_id={offer_id}&sub1={clickid}`
 * [AF1][AF2][AF3]. A bare `/postback?clickid=` is RedTrack's (see redtrack.ts).
 */

const SUBS = Array.from({ length: 8 }, (_, i) => `sub${i + 1}`);

export const affise = defineSystem({
  id: 'affise',
  name: 'Affise',
  docs: [
    {
      tag: 'AF1',
      title: 'Affise postback URL parameters',
      url: 'https://help-center.affise.com/en/articles/6475468-affise-postback-url-parameters',
    },
    {
      tag: 'AF2',
      title: 'Affise ↔ Affise',
      url: 'https://help-center.affise.com/en/articles/6838705-affise-affise',
    },
    {
      tag: 'AF3',
      title: 'Postback errors',
      url: 'https://help-center.affise.com/en/articles/6476587-postback-errors',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback /postback?clickid= with Affise params',
      path: { type: 'exact', path: '/postback' },
      required: ['clickid'],
      anyOf: AFFISE_ONLY_PARAMS,
      forbidden: ['key'],
      clickId: ['clickid'],
    },
    {
      kind: 'postback',
      label: 'postback /postback?click_id=',
      path: { type: 'exact', path: '/postback' },
      required: ['click_id'],
      forbidden: ['key'],
      clickId: ['click_id', 'clickid'],
    },
    {
      kind: 'click',
      label: 'tracking link /click?pid=&offer_id=',
      path: { type: 'lastSegment', segment: 'click' },
      required: ['pid', 'offer_id'],
      forbidden: ['cnv_id'],
      clickId: SUBS,
    },
  ],
  clickIds: [
    { param: 'clickid', role: 'click' },
    { param: 'click_id', role: 'click', anywhere: true },
    ...SUBS.map((param) => ({ param, role: 'sub' as const })),
  ],
  fields: [{ field: 'payout', params: ['sum'] }],
  knownParams: [...AFFISE_ONLY_PARAMS, 'ip', 'fbclid', 'pid', 'offer_id'],
  status: {
    field: 'status',
    values: [
      { value: '1', meaning: 'approved' },
      { value: '2', meaning: 'pending' },
      { value: '3', meaning: 'declined' },
      { value: '5', meaning: 'hold' },
    ],
  },
  responses: [],
  responseCaveat: 'HTTP 200 is not proof: check Statistics → Conversions in Affise for this click id.',
  examples: {
    match: [
      {
        url: 'https://offers.affise.example/postback?clickid=5f1e2d3c4b5a69788796a5b4&action_id=ORD-77&goal=1&sum=12.5&status=1',
        kind: 'postback',
        clickId: '5f1e2d3c4b5a69788796a5b4',
      }, // [AF1]
      {
        url: 'https://offers.affise.example/postback?click_id=5f1e2d3c4b5a69788796a5b4&goal=2',
        kind: 'postback',
        clickId: '5f1e2d3c4b5a69788796a5b4',
      }, // [AF1]
      {
        url: 'https://offers.affise.example/click?pid=12&offer_id=345&sub1=51ts6sgr1cbkdhljnrv',
        kind: 'click',
        clickId: '51ts6sgr1cbkdhljnrv',
      }, // [AF2]
    ],
    noMatch: ['https://example.com/click?pid=12', 'https://example.com/?sub1=abc&offer_id=1'],
  },
});
