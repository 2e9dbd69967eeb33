import { defineSystem } from './define-system';

/**
 * RedTrack: `http(s)://<tracking-domain>/postback?clickid=<network macro>`, default domain
 * `*.rdtk.io` [R1]. `sum=`/`type=` appear only in third-party code [G23] (unverified).
 * Affise also takes `/postback?clickid=` [AF1]. Both document a bare clickid as enough, so a
 * URL with nothing else cannot be told apart; it goes to RedTrack, whose documented form it
 * is, and Affise claims it as soon as an Affise-only param (action_id, goal, status, secure,
 * custom_field…) is present (see affise.ts).
 */

export const AFFISE_ONLY_PARAMS = [
  'action_id',
  'goal',
  'status',
  'secure',
  'comment',
  'referrer',
  'promo_code',
  'user_id',
  'device_type',
  'aimp_id',
  ...Array.from({ length: 15 }, (_, i) => `custom_field${i + 1}`),
];

export const redtrack = defineSystem({
  id: 'redtrack',
  name: 'RedTrack',
  docs: [
    {
      tag: 'R1',
      title: 'Click ID parameter',
      url: 'https://help.redtrack.io/knowledgebase/kb/basic-setup-9785/supported-dynamic-parameters/%d1%81lick-id-parameter/',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback /postback?clickid=',
      path: { type: 'exact', path: '/postback' },
      required: ['clickid'],
      forbidden: ['key', 'click_id', ...AFFISE_ONLY_PARAMS],
      clickId: ['clickid'],
    },
  ],
  clickIds: [{ param: 'clickid', role: 'click', anywhere: true }],
  fields: [{ field: 'payout', params: ['sum'] }],
  knownParams: ['type'],
  responses: [],
  responseCaveat: 'HTTP 200 is not proof: check the Conversions report in RedTrack for this clickid.',
  examples: {
    match: [
      {
        url: 'https://trk.rdtk.io/postback?clickid=62a1b2c3d4e5f6a7b8c9d0e1&sum=5&type=Purchase',
        kind: 'postback',
        clickId: '62a1b2c3d4e5f6a7b8c9d0e1',
      }, // [R1][G23]
      { url: 'https://go.example.net/postback?clickid={clickid}', kind: 'postback', clickId: null }, // [R1]
    ],
    noMatch: [
      'https://example.com/postback?click=1',
      'https://example.com/?clickid=62a1b2c3d4e5f6a7b8c9d0e1',
    ],
  },
});
