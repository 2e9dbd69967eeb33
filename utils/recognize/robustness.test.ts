import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasoffersFormFromModel, hasoffersFormToModel, validateHasoffersForm } from '../build/hasoffers-form';
import { keitaroFormFromModel, keitaroFormToModel, validateKeitaroForm } from '../build/keitaro-form';
import { buildPostbackUrl, parsePostbackUrl } from '../build/postback-model';
import { diagnoseUrl } from '../diagnose/diagnose-url';
import { parseStatus, suggestStatus } from '../diagnose/parse-status';
import { readResponse } from '../response/read-response';
import { systems } from '../systems';
import { detectMacro } from './macros';
import { findClickIds, recognize, recognizeDetailed } from './recognize';
import { RecognitionSchema } from './schema';

/**
 * No input makes the pure core throw or hang: page data is untrusted, and one bad URL must
 * not take the capture of a whole tab down with it.
 */

const NAMES = [
  'subid',
  '_subid',
  '_token',
  'sub_id',
  'clickid',
  'cid',
  'transaction_id',
  'aff_sub',
  'status',
  'payout',
  'revenue',
  'sale_status',
  'return',
  '_lp',
  '_update_tokens',
  'nid',
  'a',
  'o',
  'r',
  'f',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
];
const VALUES = [
  '',
  '%',
  '%E0%A4%A',
  '%zz',
  '%%%',
  '{subid}',
  '%7Bsubid%7D',
  '%257Bsubid%257D',
  '[SUB_ID]',
  '##CLICK_ID##',
  '#s2#',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the macro text itself
  '${SUBID}',
  'REPLACE',
  '¤cy=EUR',
  '%C2%A4cy=EUR',
  'пример',
  '😀',
  '\ud800',
  '1,5',
  '123x456x',
  'a:b:c',
  'lsr',
  'l',
  'img',
  'registratered',
  '1',
];
const PATHS = [
  '/',
  '',
  '/postback',
  '/abc1234/postback',
  '/aff_lsr',
  '/aff_goal',
  '/aff_c',
  '/aff_i',
  '/SL2',
  '/click.php',
  '/click',
  '/p.ashx',
  '/x/y',
];

const valueArb = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const nameArb = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 10 }));
const queryArb = fc
  .array(fc.tuple(nameArb, valueArb, fc.boolean()), { maxLength: 12 })
  .map((pairs) => pairs.map(([n, v, eq]) => (eq ? `${n}=${v}` : n)).join('&'));
const urlArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'HTTP://', 'ftp://', ''),
      fc.constantFrom('t.example', 'a@b.example:80', ''),
      fc.constantFrom(...PATHS),
      queryArb,
      fc.option(fc.string({ maxLength: 10 })),
    )
    .map(
      ([scheme, host, path, query, hash]) =>
        `${scheme}${host}${path}?${query}${hash === null ? '' : `#${hash}`}`,
    ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

function exercise(url: string, body?: string): void {
  // The option-free fast path and the detailed path agree.
  expect(recognize(url)).toEqual(recognizeDetailed(url, {})?.recognition ?? null);
  const r = recognize(url, { method: 'POST', body });
  if (r !== null) expect(RecognitionSchema.safeParse(r).success).toBe(true);
  findClickIds(url, { body });
  diagnoseUrl(url, { body });
  const model = parsePostbackUrl(url);
  expect(buildPostbackUrl(model)).toBe(url);
  const kf = keitaroFormFromModel(model);
  validateKeitaroForm(kf);
  buildPostbackUrl(keitaroFormToModel({ ...kf, status: 'sale' }, model));
  const hf = hasoffersFormFromModel(model);
  validateHasoffersForm(hf);
  buildPostbackUrl(hasoffersFormToModel({ ...hf, amount: '1' }, model));
}

describe('never throws', () => {
  it('on generated URLs and bodies', () => {
    fc.assert(
      fc.property(
        urlArb,
        fc.option(fc.oneof(queryArb, fc.json(), fc.string({ maxLength: 50 }))),
        (url, body) => {
          exercise(url, body ?? undefined);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reading any body for any system', () => {
    const ids = [...systems.map((s) => s.id), 'unknown', ''];
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.constantFrom(
            'Success',
            'success=false; err_msg=;',
            'KTracking && KTracking.response("\\u00',
            '{"response":null}',
            '{"success":1}',
          ),
        ),
        fc.option(fc.integer({ min: -1, max: 999 })),
        fc.option(urlArb),
        (system, body, status, url) => {
          const m = readResponse(system, body, status ?? undefined, url === null ? undefined : { url });
          expect(m.caveat).not.toBe('');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('status and macro helpers take anything', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        parseStatus(s, { sale_status: s, ignore_status: s });
        suggestStatus(s);
        detectMacro(s, s);
      }),
      { numRuns: 1000 },
    );
  });
});

// No stopwatch here (these machines are shared and noisy): a quadratic path over 100,000 params or
// 1 MB values takes minutes, so the test's own timeout is the bound; `npm run bench` measures speed.
describe('stays fast on big input (linear core)', () => {
  it('a 100,000-param query through every entry point', () => {
    const query = Array.from({ length: 100_000 }, (_, i) => `p${i}=%7Bv${i}%7D`).join('&');
    const url = `https://t.example/abc1234/postback?subid=abc&${query}&p1=dup`;
    expect(recognize(url)?.macros.length).toBe(100_000);
    diagnoseUrl(url);
    findClickIds(url);
    expect(buildPostbackUrl(parsePostbackUrl(url))).toBe(url);
    keitaroFormFromModel(parsePostbackUrl(url));
  }, 60_000);

  it('1 MB values and bodies', () => {
    const big = 'a'.repeat(1_000_000);
    const patterns = [
      big,
      `{${big}`,
      `%7B${big}`,
      `${'%E0'.repeat(300_000)}`,
      `${'{a'.repeat(300_000)}`,
      `¤${big}`,
      `#${big}`,
    ];
    for (const v of patterns) {
      const url = `https://t.example/abc1234/postback?subid=${v}&status=${v}&payout=${v}`;
      exercise(url);
      readResponse('keitaro', `Incorrect postback code (${' in '.repeat(200_000)}`, 200, { url });
      readResponse('hasoffers', `success=false; err_msg=${v}`, 200);
    }
  }, 60_000);
});
