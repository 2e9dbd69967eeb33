import { defineSystem } from './define-system';

/**
 * Everflow: an S2S postback needs `nid` (network id) and `transaction_id` (32 characters);
 * `amount` and `adv1..adv5` are optional; the click cookie is `_ef_transaction_id` [E1][E2].
 * The exact postback path is not confirmed, so the shape is params only: both required.
 */

const ADVS = ['adv1', 'adv2', 'adv3', 'adv4', 'adv5'];

export const everflow = defineSystem({
  id: 'everflow',
  name: 'Everflow',
  docs: [
    {
      tag: 'E1',
      title: 'Accessing and editing S2S postback URLs',
      url: 'https://helpdesk.everflow.io/customer/accessing-editing-s2s-postback-urls',
    },
    {
      tag: 'E2',
      title: 'Everflow integration notes',
      url: 'https://docs.dataflysignal.com/integrations/attribution/everflow',
    },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback ?nid=&transaction_id=',
      path: { type: 'any' },
      required: ['nid', 'transaction_id'],
      clickId: ['transaction_id'],
    },
  ],
  clickIds: [{ param: 'transaction_id', role: 'transaction' }],
  fields: [],
  knownParams: ['nid', 'amount', ...ADVS],
  responses: [],
  responseCaveat: 'HTTP 200 is not proof: check the Conversions report in Everflow for this transaction id.',
  examples: {
    match: [
      {
        url: 'https://www.ef-client.example/?nid=123&transaction_id=0a1b2c3d4e5f60718293a4b5c6d7e8f9&amount=10&adv1=order-9',
        kind: 'postback',
        clickId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      }, // [E1][E2]
    ],
    noMatch: ['https://example.com/?nid=123', 'https://example.com/news?nid=42&page=2'],
  },
});
