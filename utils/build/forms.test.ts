import { describe, expect, it } from 'vitest';
import {
  blankHasoffersForm,
  HASOFFERS_POSTBACK_TEMPLATE,
  hasoffersFormFromModel,
  hasoffersFormToModel,
  validateHasoffersForm,
} from './hasoffers-form';
import {
  blankKeitaroForm,
  KEITARO_POSTBACK_TEMPLATE,
  keitaroFormFromModel,
  keitaroFormToModel,
  validateKeitaroForm,
} from './keitaro-form';
import { buildPostbackUrl, parsePostbackUrl } from './postback-model';

describe('Keitaro form', () => {
  const url =
    'http://tracker.example/f89e783/postback?clickid=o2q6e42hs08jq&revenue=4.2&currency=USD&transaction_id=T1&affiliate_id=12&from=Tune.com&sub_id_2=b';

  it('reads a URL, keeping the alias names it used', () => {
    const form = keitaroFormFromModel(parsePostbackUrl(url));
    expect(form).toEqual({
      trackerUrl: 'http://tracker.example',
      key: 'f89e783',
      subid: 'o2q6e42hs08jq',
      status: '',
      payout: '4.2',
      currency: 'USD',
      tid: 'T1',
      subIds: ['', 'b'],
      returnBody: '',
      names: { subid: 'clickid', payout: 'revenue', tid: 'transaction_id' },
    });
  });

  it('writes back losslessly: unchanged form = unchanged URL; an edit touches only its param', () => {
    const model = parsePostbackUrl(url);
    const form = keitaroFormFromModel(model);
    expect(buildPostbackUrl(keitaroFormToModel(form, model))).toBe(url);
    const edited = keitaroFormToModel({ ...form, status: 'sale', payout: '5', subIds: ['a', 'b'] }, model);
    expect(buildPostbackUrl(edited)).toBe(
      'http://tracker.example/f89e783/postback?clickid=o2q6e42hs08jq&revenue=5&currency=USD&transaction_id=T1&affiliate_id=12&from=Tune.com&sub_id_2=b&status=sale&sub_id_1=a',
    );
    const rekeyed = keitaroFormToModel({ ...form, key: 'e89bcbe', currency: '' }, model);
    expect(buildPostbackUrl(rekeyed)).toBe(
      'http://tracker.example/e89bcbe/postback?clickid=o2q6e42hs08jq&revenue=4.2&transaction_id=T1&affiliate_id=12&from=Tune.com&sub_id_2=b',
    );
  });

  it('builds from scratch and from the template', () => {
    const form = {
      ...blankKeitaroForm(),
      trackerUrl: 'https://tracker.example/',
      key: 'e89bcbe',
      subid: '51ts6sgr1cbkdhljnrv',
      status: 'sale',
      payout: '12.5',
      returnBody: 'OK',
    };
    expect(buildPostbackUrl(keitaroFormToModel(form))).toBe(
      'https://tracker.example/e89bcbe/postback?subid=51ts6sgr1cbkdhljnrv&status=sale&payout=12.5&return=OK',
    );
    expect(validateKeitaroForm(form)).toEqual([]);
    const template = keitaroFormFromModel(parsePostbackUrl(KEITARO_POSTBACK_TEMPLATE));
    expect(template.subid).toBe('{aff_click_id}');
    expect(validateKeitaroForm(template, { template: true })).toEqual([]);
  });

  it('reads the keyless and key-param forms', () => {
    expect(keitaroFormFromModel(parsePostbackUrl('https://t.example/postback?subid=a&key=k1'))).toMatchObject(
      {
        trackerUrl: 'https://t.example',
        key: 'k1',
      },
    );
    expect(keitaroFormFromModel(parsePostbackUrl('https://t.example/postback?subid=a')).key).toBe('');
  });

  it('validates: missing key, empty or macro subid, unknown status, non-numeric payout', () => {
    const bad = {
      ...blankKeitaroForm(),
      trackerUrl: 'tracker.example',
      subid: '{subid}',
      status: 'aproved',
      payout: 'ten',
      currency: 'dollars',
    };
    const errors = validateKeitaroForm(bad);
    expect(errors.map((e) => [e.field, e.severity])).toEqual([
      ['trackerUrl', 'error'],
      ['key', 'error'],
      ['subid', 'error'],
      ['payout', 'error'],
      ['status', 'warning'],
      ['currency', 'warning'],
    ]);
    expect(errors.find((e) => e.field === 'status')?.message).toContain('approved');
    expect(validateKeitaroForm({ ...bad, subid: '' }).find((e) => e.field === 'subid')?.message).toContain(
      'Incorrect subid',
    );
    expect(validateKeitaroForm({ ...blankKeitaroForm(), status: '' }).some((e) => e.field === 'status')).toBe(
      true,
    );
    expect(
      validateKeitaroForm({ ...blankKeitaroForm(), payout: '1,5' }).find((e) => e.field === 'payout')
        ?.severity,
    ).toBe('warning');
  });
});

describe('HasOffers form', () => {
  const url =
    'https://demo.go2cloud.org/aff_lsr?offer_id=1048&transaction_id=1027c887059b47bc69c699f45466b9&adv_sub=A&zz=keep';

  it('reads and writes back losslessly', () => {
    const model = parsePostbackUrl(url);
    const form = hasoffersFormFromModel(model);
    expect(form).toMatchObject({
      domain: 'https://demo.go2cloud.org',
      endpoint: 'aff_lsr',
      offerId: '1048',
      transactionId: '1027c887059b47bc69c699f45466b9',
      advSubs: ['A'],
    });
    expect(buildPostbackUrl(hasoffersFormToModel(form, model))).toBe(url);
    expect(
      buildPostbackUrl(hasoffersFormToModel({ ...form, amount: '9.99', securityToken: 's3' }, model)),
    ).toBe(`${url}&amount=9.99&security_token=s3`);
  });

  it('switches to aff_goal with a=lsr and back', () => {
    const model = parsePostbackUrl(url);
    const goal = hasoffersFormToModel(
      { ...hasoffersFormFromModel(model), endpoint: 'aff_goal', goalId: '5' },
      model,
    );
    const built = buildPostbackUrl(goal);
    expect(built).toBe(
      'https://demo.go2cloud.org/aff_goal?offer_id=1048&transaction_id=1027c887059b47bc69c699f45466b9&adv_sub=A&zz=keep&a=lsr&goal_id=5',
    );
    const back = hasoffersFormToModel(
      { ...hasoffersFormFromModel(goal), endpoint: 'aff_lsr', goalId: '' },
      goal,
    );
    expect(buildPostbackUrl(back)).toBe(url);
  });

  it('builds from scratch; validates transaction id, goal, amount, token', () => {
    const form = {
      ...blankHasoffersForm(),
      domain: 'https://net.go2cloud.org',
      offerId: '12',
      transactionId: 'abc',
      securityToken: 't',
    };
    expect(buildPostbackUrl(hasoffersFormToModel(form))).toBe(
      'https://net.go2cloud.org/aff_lsr?offer_id=12&transaction_id=abc&security_token=t',
    );
    expect(validateHasoffersForm(form)).toEqual([]);
    const bad = validateHasoffersForm({
      ...blankHasoffersForm(),
      endpoint: 'aff_goal',
      amount: '1,5',
      transactionId: 'TRANSACTION_ID',
    });
    expect(bad.map((e) => e.field)).toEqual(['domain', 'transactionId', 'goalId', 'amount', 'securityToken']);
    const template = hasoffersFormFromModel(parsePostbackUrl(HASOFFERS_POSTBACK_TEMPLATE));
    expect(
      validateHasoffersForm({ ...template, securityToken: 'x' }, { template: true }).filter(
        (e) => e.severity === 'error',
      ),
    ).toEqual([]);
  });
});
