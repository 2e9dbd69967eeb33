import { defineSystem } from './define-system';

/**
 * Binom: v1 `https://<domain>/click.php?cnv_id=…&payout=&cnv_status=&cnv_status2=&cnv_currency=` [B1],
 * v2 `https://<domain>/click?cnv_id=…` [B2]. A third-party guide claims Binom 2 uses
 * `/postback?clickid=` [A3]; that conflicts with Binom's own docs and is RedTrack's shape, so
 * it is not claimed here.
 */

export const binom = defineSystem({
  id: 'binom',
  name: 'Binom',
  docs: [
    { tag: 'B1', title: 'Postback URL', url: 'https://docs.binom.org/postback-url.php' },
    { tag: 'B2', title: 'Update click (v2)', url: 'https://docs.binom.org/update-click-v2.php' },
  ],
  shapes: [
    {
      kind: 'postback',
      label: 'postback click.php?cnv_id=',
      path: { type: 'lastSegment', segment: 'click.php' },
      required: ['cnv_id'],
      clickId: ['cnv_id'],
    },
    {
      kind: 'postback',
      label: 'postback /click?cnv_id= (v2)',
      path: { type: 'lastSegment', segment: 'click' },
      required: ['cnv_id'],
      clickId: ['cnv_id'],
    },
  ],
  clickIds: [{ param: 'cnv_id', role: 'click', anywhere: true }],
  fields: [
    { field: 'status', params: ['cnv_status'] },
    { field: 'status2', params: ['cnv_status2'] },
    { field: 'currency', params: ['cnv_currency'] },
  ],
  knownParams: ['payout'],
  status: { field: 'status' },
  responses: [],
  responseCaveat: "HTTP 200 is not proof: check the conversions in Binom's reports for this cnv_id.",
  examples: {
    match: [
      {
        url: 'https://binom.example/click.php?cnv_id=a1b2c3d4e5f6&payout=2.5&cnv_status=approved',
        kind: 'postback',
        clickId: 'a1b2c3d4e5f6',
      }, // [B1]
      {
        url: 'https://binom.example/click?cnv_id=a1b2c3d4e5f6&payout=1',
        kind: 'postback',
        clickId: 'a1b2c3d4e5f6',
      }, // [B2]
    ],
    noMatch: ['https://binom.example/click.php?key=abc123', 'https://example.com/click?id=5'],
  },
});
