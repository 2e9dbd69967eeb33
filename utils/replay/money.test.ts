import { describe, expect, it } from 'vitest';
import {
  acceptedReplay,
  healthySession,
  KEY,
  SUBID,
  saleSession,
  TRANSACTION_ID,
} from '../../components/fixtures/sessions';
import { splitQuery } from '../panel/params';
import {
  ECHO,
  editParams,
  keitaroBucket,
  moneyWarnings,
  needsConfirm,
  safeVariants,
  sentPostbacks,
  TEST_SUBID,
  TEST_TRANSACTION_ID,
} from './money';

const keitaro = (query: string) => ({
  system: 'keitaro',
  kind: 'postback',
  params: splitQuery(query).map(({ name, value }) => ({ name, value })),
});
const hasoffers = (query: string) => ({
  system: 'hasoffers',
  kind: 'postback',
  params: splitQuery(query).map(({ name, value }) => ({ name, value })),
});
const codes = (w: { code: string }[]) => w.map((x) => x.code);

describe('keitaroBucket', () => {
  it('maps built-in aliases, unknown statuses and training params', () => {
    expect(keitaroBucket(keitaro('status=approved').params)).toBe('sale');
    expect(keitaroBucket(keitaro('status=REBILL').params)).toBe('sale');
    expect(keitaroBucket(keitaro('status=registratered').params)).toBe('lead');
    expect(keitaroBucket(keitaro('status=declined').params)).toBe('rejected');
    expect(keitaroBucket(keitaro('status=rfnd').params)).toBe('ignore');
    expect(keitaroBucket(keitaro('subid=x').params)).toBe('missing');
    // sale_status replaces the built-in list [L2]
    expect(keitaroBucket(keitaro('status=approved&sale_status=paid').params)).toBe('lead');
    expect(keitaroBucket(keitaro('status=dep&sale_status=dep,ftd').params)).toBe('sale');
  });
});

describe('moneyWarnings', () => {
  const history = sentPostbacks(saleSession);

  it('reads what the session already sent: captured postbacks and answered replays', () => {
    expect(history.map((h) => h.system)).toEqual(['keitaro', 'hasoffers', 'hasoffers']);
  });

  it('warns before a sale replay with a reused tid: it updates the conversion', () => {
    const w = moneyWarnings(keitaro(`subid=${SUBID}&status=sale&payout=25&tid=ORD-1001`), history);
    expect(codes(w)).toEqual(['tid-reuse']);
    expect(w[0]?.message).toContain('updates it');
    expect(needsConfirm(w)).toBe(true);
  });

  it('a new tid with sale may add a rebill, with the three conditions', () => {
    const w = moneyWarnings(keitaro(`subid=${SUBID}&status=sale&payout=25&tid=ORD-1002`), history);
    expect(codes(w)).toEqual(['rebill', 'sale']);
    expect(w[0]?.message).toMatch(/offer allows rebills.*present and unique.*sale or rebill/);
  });

  it('sale → lead is not an allowed transition', () => {
    const w = moneyWarnings(keitaro(`subid=${SUBID}&status=lead&tid=ORD-1001`), history);
    expect(codes(w)).toContain('sale-to-lead');
    expect(w.find((x) => x.code === 'sale-to-lead')?.level).toBe('note');
  });

  it('on a click with no visible conversion, a new tid is a sale, and the rebill is a note', () => {
    const w = moneyWarnings(keitaro('subid=fresh&status=sale&tid=T1'));
    expect(w.map((x) => `${x.code}:${x.level}`)).toEqual(['rebill:note', 'sale:money']);
  });

  it('a sale without tid on a fresh click records a sale; a missing status is read as sale by v9', () => {
    expect(codes(moneyWarnings(keitaro('subid=abc&status=sale&payout=3')))).toEqual(['sale']);
    expect(codes(moneyWarnings(keitaro('subid=abc')))).toEqual(['default-status']);
  });

  it('rejecting an existing conversion removes money', () => {
    expect(codes(moneyWarnings(keitaro(`subid=${SUBID}&status=rejected`), history))).toEqual(['rejects']);
  });

  it('a lead on a test subid needs no confirm', () => {
    const w = moneyWarnings(keitaro(`subid=${TEST_SUBID}&status=lead`), history);
    expect(needsConfirm(w)).toBe(false);
    expect(needsConfirm(moneyWarnings(keitaro('subid=fresh&status=lead')))).toBe(false);
  });

  it('HasOffers: a real transaction id records a conversion; a repeat is a duplicate', () => {
    expect(codes(moneyWarnings(hasoffers('offer_id=12&transaction_id=abc123')))).toEqual(['conversion']);
    const w = moneyWarnings(
      hasoffers(`offer_id=12&transaction_id=${TRANSACTION_ID}`),
      sentPostbacks({ ...healthySession, replays: [acceptedReplay] }),
    );
    expect(codes(w)).toEqual(['conversion', 'duplicate-transaction']);
    expect(moneyWarnings(hasoffers(`offer_id=12&transaction_id=${TEST_TRANSACTION_ID}`))).toEqual([]);
  });
});

describe('safeVariants', () => {
  it('Keitaro: a test subid with status=lead and no tid/payout, and the same with return= echo', () => {
    const v = safeVariants(
      keitaro(`subid=${SUBID}&status=sale&payout=25&currency=usd&tid=ORD-1001&sub_id_1=game1&from=Tune.com`),
    );
    expect(v.map((x) => x.id)).toEqual(['test-lead', 'echo']);
    expect(v[0]?.params).toEqual([
      { name: 'subid', value: TEST_SUBID },
      { name: 'status', value: 'lead' },
      { name: 'currency', value: 'usd' },
      { name: 'sub_id_1', value: 'game1' },
      { name: 'from', value: 'Tune.com' },
    ]);
    expect(v[1]?.params.at(-1)).toEqual({ name: 'return', value: ECHO });
    for (const x of v)
      expect(needsConfirm(moneyWarnings({ system: 'keitaro', kind: 'postback', params: x.params }, []))).toBe(
        false,
      );
  });

  it('Keitaro: adds a subid when the URL had none (no _subid cookie fallback)', () => {
    const v = safeVariants(keitaro('status=sale'));
    expect(v[0]?.params).toEqual([
      { name: 'status', value: 'lead' },
      { name: 'subid', value: TEST_SUBID },
    ]);
  });

  it('HasOffers: a test transaction id shows reachability without a conversion', () => {
    const v = safeVariants(hasoffers(`offer_id=12&transaction_id=${TRANSACTION_ID}&amount=10&adv_sub=ORD-9`));
    expect(v).toHaveLength(1);
    expect(v[0]?.params).toEqual([
      { name: 'offer_id', value: '12' },
      { name: 'transaction_id', value: TEST_TRANSACTION_ID },
      { name: 'adv_sub', value: 'ORD-9' },
    ]);
    expect(v[0]?.explain).toContain('Invalid Trans. ID');
  });

  it('other URLs get none', () => {
    expect(safeVariants({ system: 'voluum', kind: 'postback', params: [] })).toEqual([]);
  });
});

describe('editParams', () => {
  it('sets every alias, removes, keeps unknown params in order', () => {
    expect(
      editParams(
        [
          { name: 'a', value: '1' },
          { name: 'subid', value: 'x' },
          { name: 'sub_id', value: 'x' },
          { name: 'tid', value: 't' },
        ],
        [[['subid', 'sub_id'], 'y']],
        ['tid'],
      ),
    ).toEqual([
      { name: 'a', value: '1' },
      { name: 'subid', value: 'y' },
      { name: 'sub_id', value: 'y' },
    ]);
  });
});

it('KEY fixture is a real-looking key', () => expect(KEY).toMatch(/^[0-9a-f]{7}$/));
