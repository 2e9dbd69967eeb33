import { describe, expect, it } from 'vitest';
import { DiagnosticSchema } from '../recognize/schema';
import { systems } from '../systems';
import { diagnoseUrl } from './diagnose-url';
import { parseStatus, suggestStatus } from './parse-status';
import { findMangledEntities, repairHtmlEntities } from './repair-html-entities';

function codes(url: string, opts?: Parameters<typeof diagnoseUrl>[1]): string[] {
  return diagnoseUrl(url, opts).map((d) => d.code);
}

function one(url: string, code: string) {
  const found = diagnoseUrl(url).find((d) => d.code === code);
  expect(found, `${code} not raised for ${url}`).toBeDefined();
  expect(DiagnosticSchema.safeParse(found).success).toBe(true);
  return found as NonNullable<typeof found>;
}

/** A clean Keitaro postback: key, subid, known status, numeric payout. */
const CLEAN_KEITARO =
  'https://tracker.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv&status=sale&payout=12.5&currency=usd';
const CLEAN_HASOFFERS =
  'https://demo.go2cloud.org/aff_lsr?offer_id=1048&transaction_id=1027c887059b47bc69c699f45466b9&amount=49.90';

describe('clean URLs raise nothing', () => {
  it.each([
    CLEAN_KEITARO,
    CLEAN_HASOFFERS,
    'https://landing.example/?subid=51ts6sgr1cbkdhljnrv',
    'https://network.go2cloud.org/aff_c?offer_id=12&aff_id=34&aff_click_id=51ts6sgr1cbkdhljnrv',
    'https://tracker.example/?_update_tokens=1&sub_id=51ts6sgr1cbkdhljnrv&sub_id_1=x',
    'https://www.google.com/search?q=x',
    'https://offers.affise.example/postback?clickid=5f1e2d3c4b5a69788796a5b4&goal=1&status=1',
  ])('%s', (url) => {
    expect(diagnoseUrl(url)).toEqual([]);
  });

  it('every built-in sample yields only well-formed diagnostics', () => {
    for (const s of systems) {
      for (const e of s.examples.match) {
        for (const d of diagnoseUrl(e.url, { method: e.method, body: e.body })) {
          expect(DiagnosticSchema.safeParse(d).success, `${e.url} ${d.code}`).toBe(true);
        }
      }
    }
  });
});

describe('each diagnostic', () => {
  it('unreplaced-macro: error on the click id, warning elsewhere; also on unrecognised pages', () => {
    const d = one('https://trk.example.com/86258df/postback?subid={subacc4}&status=lead', 'unreplaced-macro');
    expect(d.severity).toBe('error');
    expect(d.evidence).toBe('subid={subacc4}');
    const w = diagnoseUrl(`${CLEAN_KEITARO.replace('payout=12.5', 'payout={payout}')}`).find(
      (x) => x.code === 'unreplaced-macro',
    );
    expect(w?.severity).toBe('warning');
    expect(
      codes('http://bemob.example/postback?cid=REPLACE&payout=OPTIONAL&txid=OPTIONAL&status=OPTIONAL'),
    ).toContain('unreplaced-macro');
    expect(codes('https://shop.example/thanks?transaction_id=%7Btransaction_id%7D')).toEqual([
      'unreplaced-macro',
    ]);
    expect(codes(CLEAN_KEITARO)).not.toContain('unreplaced-macro');
  });

  it('empty-click-id', () => {
    one('https://tracker.example/e89bcbe/postback?subid=&status=sale', 'empty-click-id');
    one('https://demo.go2cloud.org/aff_lsr?offer_id=1&transaction_id=', 'empty-click-id');
    expect(codes(CLEAN_HASOFFERS)).not.toContain('empty-click-id');
  });

  it('unknown-status with a suggestion: the seed typo and a misspelt alias', () => {
    const seed = one(
      'http://tracker.example/d4409bf/postback?cost=1&status=registratered&sub_id_1=game1&subid=1dad2cg1br22spja1',
      'unknown-status',
    );
    expect(seed.message).toContain('registration');
    expect(seed.message).toContain('lead');
    const aproved = one(CLEAN_KEITARO.replace('status=sale', 'status=aproved'), 'unknown-status');
    expect(aproved.message).toContain('"approved"');
    expect(aproved.fix).toContain('status=sale');
    expect(codes(CLEAN_KEITARO.replace('status=sale', 'status=APPROVED'))).not.toContain('unknown-status');
    expect(codes(CLEAN_KEITARO.replace('status=sale', 'status=paid&sale_status=paid,done'))).not.toContain(
      'unknown-status',
    );
  });

  it('unknown-status for systems with a fixed value list (Affise 1/2/3/5)', () => {
    const d = one(
      'https://offers.affise.example/postback?clickid=5f1e2d3c4b5a69788796a5b4&status=approved',
      'unknown-status',
    );
    expect(d.fix).toBe('Send status=1.');
  });

  it('keyless-postback', () => {
    one('https://tracker.example/postback?subid=1dad2cg1br22spja1&status=sale', 'keyless-postback');
    expect(codes(CLEAN_KEITARO)).not.toContain('keyless-postback');
    expect(
      codes('https://tracker.example/postback?key=e89bcbe&subid=1dad2cg1br22spja1&status=sale'),
    ).not.toContain('keyless-postback');
  });

  it('html-entity-mangled with the repaired URL in fix', () => {
    const d = one(
      'https://example.com/key/postback?subid=abc1234567&status=lead&payout=10¤cy=EUR',
      'html-entity-mangled',
    );
    expect(d.severity).toBe('error');
    expect(d.fix).toContain(
      'https://example.com/key/postback?subid=abc1234567&status=lead&payout=10&currency=EUR',
    );
    const voluum = one(
      'https://trk.example.com/postback?cid=c384EFV6JHQODRN70575OK6UG5&payout=2¶m1=abc',
      'html-entity-mangled',
    );
    expect(voluum.fix).toContain('&param1=abc');
    const encoded = one(`${CLEAN_KEITARO}%C2%A4cy=EUR`, 'html-entity-mangled');
    expect(encoded.fix).toContain('&currency=EUR');
    one(`${CLEAN_KEITARO}&curren;cy=EUR`, 'html-entity-mangled');
    // Only the repaired URL is recognisable: still reported.
    expect(codes('https://tracker.example/?_lp=1¶m=1&amp;_token=x')).toContain('html-entity-mangled');
    expect(codes(CLEAN_KEITARO)).not.toContain('html-entity-mangled');
    expect(codes('https://landing.example/?subid=abc&size=800×600')).not.toContain('html-entity-mangled');
  });

  it('impression-not-conversion', () => {
    one('https://media.go2speed.org/aff_i?offer_id=1048&aff_id=1006&file_id=55', 'impression-not-conversion');
    expect(codes('https://demo.go2cloud.org/aff_l?offer_id=1048')).not.toContain('impression-not-conversion');
  });

  it('colon-in-subid', () => {
    const d = one(
      CLEAN_KEITARO.replace('subid=51ts6sgr1cbkdhljnrv', 'subid=51ts6sgr1cbkdhljnrv:extra'),
      'colon-in-subid',
    );
    expect(d.message).toContain('51ts6sgr1cbkdhljnrv');
    expect(codes(CLEAN_KEITARO)).not.toContain('colon-in-subid');
  });

  it('comma-decimal-payout: info for Keitaro (it converts), warning for HasOffers amount', () => {
    expect(one(CLEAN_KEITARO.replace('payout=12.5', 'payout=12,5'), 'comma-decimal-payout').severity).toBe(
      'info',
    );
    expect(
      one(CLEAN_HASOFFERS.replace('amount=49.90', 'amount=49,90'), 'comma-decimal-payout').severity,
    ).toBe('warning');
    expect(codes(CLEAN_KEITARO.replace('payout=12.5', 'payout=ten'))).toContain('non-numeric-payout');
    expect(codes(CLEAN_KEITARO)).not.toContain('comma-decimal-payout');
  });

  it('legacy-x-subid', () => {
    const d = one(CLEAN_KEITARO.replace('subid=51ts6sgr1cbkdhljnrv', 'subid=123x456x789'), 'legacy-x-subid');
    expect(d.message).toContain('123-456-789');
    expect(codes(CLEAN_KEITARO.replace('subid=51ts6sgr1cbkdhljnrv', 'subid=1x2'))).not.toContain(
      'legacy-x-subid',
    );
  });

  it('aff-sub-vs-click-id: empty subid in a HasOffers-made postback, and a click id riding in aff_sub', () => {
    one(
      'http://tracker.example/f89e783/postback?subid=&payout=4.2&currency=USD&tid=1027c887059b47bc69c699f45466b9&from=Tune.com',
      'aff-sub-vs-click-id',
    );
    one(
      'https://net.go2cloud.org/aff_c?offer_id=1&aff_id=2&aff_sub=51ts6sgr1cbkdhljnrv',
      'aff-sub-vs-click-id',
    );
    one('https://net.go2cloud.org/aff_c?offer_id=1&aff_id=2&aff_sub={subid}', 'aff-sub-vs-click-id');
    expect(codes('http://demo.go2cloud.org/aff_c?offer_id=1048&aff_id=1006&aff_sub=test')).toEqual([]);
    expect(
      codes('https://net.go2cloud.org/aff_c?offer_id=1&aff_id=2&aff_click_id=51ts6sgr1cbkdhljnrv'),
    ).toEqual([]);
    expect(codes(CLEAN_KEITARO)).not.toContain('aff-sub-vs-click-id');
  });

  it('subid-fallback-cookie: a Keitaro postback with no subid at all [L1]', () => {
    one('https://example.com/key/postback?status=lead&payout=10&currency=EUR', 'subid-fallback-cookie');
    expect(codes(CLEAN_KEITARO)).not.toContain('subid-fallback-cookie');
    expect(codes(CLEAN_KEITARO.replace('subid=', 'clickid='))).not.toContain('subid-fallback-cookie');
  });

  it('status-bucket-replaced (and the docs typo rejected=)', () => {
    const d = one(`${CLEAN_KEITARO}&sale_status=paid`, 'status-bucket-replaced');
    expect(d.message).toContain('replaces');
    expect(codes(`${CLEAN_KEITARO}&ignore_status=ping,test`)).toContain('status-bucket-replaced');
    expect(codes(`${CLEAN_KEITARO}&rejected=canceled,fake`)).toContain('status-param-typo');
    expect(codes(CLEAN_KEITARO)).not.toContain('status-bucket-replaced');
  });

  it('missing-status names both readings of the docs', () => {
    const d = one('https://tracker.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv', 'missing-status');
    expect(d.message).toContain('sale');
    expect(d.message).toContain('ignored');
    expect(codes('https://tracker.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv&status=')).toContain(
      'missing-status',
    );
    expect(codes(CLEAN_KEITARO)).not.toContain('missing-status');
  });

  it('update-tokens-sub-id: ?_update_tokens needs sub_id, not subid [K6]', () => {
    const d = one(
      'https://tracker.example/?_update_tokens=1&subid=51ts6sgr1cbkdhljnrv',
      'update-tokens-sub-id',
    );
    expect(d.fix).toContain('sub_id');
  });

  it('hash-cuts-query, duplicate-param, missing-click-id', () => {
    one('https://cake.example/p.ashx?o=123&e=4&r=#reqid#&f=pb', 'hash-cuts-query');
    one(`${CLEAN_KEITARO}&status=lead`, 'duplicate-param');
    one('https://x.example/aff_lsr?offer_id=1', 'missing-click-id');
    expect(codes(CLEAN_HASOFFERS)).toEqual([]);
  });
});

describe('parseStatus', () => {
  it.each([
    ['sale', 'sale', 'status'],
    ['LEAD', 'lead', 'status'],
    ['rebill', 'rebill', 'status'],
    ['approved', 'sale', 'alias'],
    ['1', 'sale', 'alias'],
    ['trash', 'rejected', 'alias'],
    ['Canceled', 'rejected', 'alias'],
    ['unsubscribe', 'ignore', 'alias'],
    ['registration', 'lead', 'newer'],
    ['deposit', null, 'newer'],
    ['registratered', null, 'unknown'],
    ['', null, 'missing'],
  ])('%s → %s via %s', (value, bucket, via) => {
    expect(parseStatus(value)).toEqual({ input: value, bucket, via });
  });

  it('custom lists replace the built-in ones [L2]', () => {
    expect(parseStatus('approved', { sale_status: 'paid' }).bucket).toBeNull();
    expect(parseStatus('paid', { sale_status: 'paid,done' })).toMatchObject({
      bucket: 'sale',
      via: 'custom',
    });
    expect(parseStatus('fake', { rejected_status: 'canceled,fake' }).bucket).toBe('rejected');
    expect(parseStatus(undefined).via).toBe('missing');
  });

  it('suggests the nearest status', () => {
    expect(suggestStatus('registratered')).toEqual({ name: 'registration', bucket: 'lead' });
    expect(suggestStatus('aproved')).toEqual({ name: 'approved', bucket: 'sale' });
    expect(suggestStatus('rejectd')).toEqual({ name: 'rejected', bucket: 'rejected' });
    expect(suggestStatus('zzzzzz')).toBeNull();
    expect(suggestStatus('x'.repeat(10_000))).toBeNull();
  });
});

describe('repairHtmlEntities', () => {
  it('repairs the documented fragments and leaves the rest alone', () => {
    expect(repairHtmlEntities('https://x/?a=1¤cy=EUR¶m1=2®ion=us×tamp=1')).toBe(
      'https://x/?a=1&currency=EUR&param1=2&region=us&timestamp=1',
    );
    expect(repairHtmlEntities('https://x/?a=1&amp;b=2')).toBe('https://x/?a=1&b=2');
    expect(repairHtmlEntities('https://x/?size=800×600')).toBe('https://x/?size=800×600');
    expect(findMangledEntities('https://x/?a=1%c2%b6m1=2')).toEqual([
      { found: '%c2%b6', meant: '&para', index: 14 },
    ]);
  });
});
