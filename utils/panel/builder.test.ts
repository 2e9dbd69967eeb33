import { describe, expect, it } from 'vitest';
import {
  brokenTrails,
  healthySession,
  healthyTrails,
  KEY,
  SUBID,
  saleSession,
  TRANSACTION_ID,
} from '../../components/fixtures/sessions';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { builderKit as kit } from './builder';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  trackerUrl: 'https://tracker.example',
  postbackKey: KEY,
  hasoffersDomain: 'demo.go2cloud.org',
  offerIds: ['12'],
};

const PB = `https://tracker.example/${KEY}/postback?subid=${SUBID}&status=lead&payout=1,5&from=Tune.com&x=%7Bodd%7D+y&sub_id_1=game1`;

describe('builder kit: form ↔ URL', () => {
  it('reads a Keitaro postback into fields, keeping unknown params aside', () => {
    const v = kit.view(PB);
    expect(v.recognized).toBe('keitaro postback');
    const f = Object.fromEntries(v.fields.map((x) => [x.name, x.value]));
    expect(f).toMatchObject({
      trackerUrl: 'https://tracker.example',
      key: KEY,
      subid: SUBID,
      status: 'lead',
      payout: '1,5',
      sub_id_1: 'game1',
      sub_id_2: '',
    });
    expect(v.others).toEqual([
      { name: 'from', value: 'Tune.com' },
      { name: 'x', value: '{odd} y' },
    ]);
    expect(v.postback?.system).toBe('keitaro');
  });

  it('form → URL: one field changes, everything else stays byte for byte', () => {
    const url = kit.setField(PB, 'status', 'sale');
    expect(url).toBe(PB.replace('status=lead', 'status=sale'));
    expect(kit.setField(url, 'sub_id_2', 'b')).toBe(`${url}&sub_id_2=b`);
    expect(kit.setField(PB, 'payout', '')).toBe(PB.replace('&payout=1,5', ''));
    expect(kit.setField(PB, 'key', 'f89e783')).toContain('/f89e783/postback?');
  });

  it('URL → form is live: a pasted change shows in the fields', () => {
    const v = kit.view(PB.replace(SUBID, 'o2q6e42hs08jq'));
    expect(v.fields.find((x) => x.name === 'subid')?.value).toBe('o2q6e42hs08jq');
  });

  it('unknown params are edited in place, added and removed', () => {
    const url = kit.setOthers(PB, [
      { name: 'from', value: 'HasOffers' },
      { name: 'x', value: '{odd} y' },
      { name: 'new', value: 'a b' },
    ]);
    expect(url).toBe(`${PB.replace('from=Tune.com', 'from=HasOffers')}&new=a%20b`);
    expect(kit.setOthers(PB, [{ name: 'x', value: '{odd} y' }])).not.toContain('from=');
  });

  it('validation messages sit on their fields', () => {
    const v = kit.view(
      `https://tracker.example/${KEY}/postback?subid={subid}&status=registratered&payout=abc`,
    );
    const err = (n: string) => v.fields.find((x) => x.name === n)?.error ?? '';
    expect(err('subid')).toMatch(/placeholder/);
    expect(err('status')).toMatch(/not a Keitaro status/);
    expect(err('payout')).toMatch(/number/);
    expect(err('key')).toBe('');
  });

  it('HasOffers aff_lsr and aff_goal', () => {
    const url = `https://demo.go2cloud.org/aff_lsr?offer_id=12&transaction_id=${TRANSACTION_ID}&adv_sub=ORD-9&foo=bar`;
    const v = kit.view(url);
    expect(v.recognized).toBe('hasoffers postback');
    expect(v.fields.map((f) => f.name)).toEqual([
      'domain',
      'endpoint',
      'offerId',
      'transactionId',
      'amount',
      'adv_sub',
      'adv_sub2',
      'securityToken',
    ]);
    expect(v.fields.find((f) => f.name === 'securityToken')?.hint).toMatch(/rejected/);
    expect(v.others).toEqual([{ name: 'foo', value: 'bar' }]);
    const goal = kit.setField(url, 'endpoint', 'aff_goal');
    expect(goal).toContain('/aff_goal?');
    expect(goal).toContain('a=lsr');
    expect(kit.view(goal).fields.find((f) => f.name === 'goalId')?.error).toMatch(/goal_id/);
  });

  it('a URL it does not know keeps every param as "other"', () => {
    const v = kit.view('https://example.com/thanks?a=1');
    expect(v.recognized).toBeNull();
    expect(v.others).toEqual([{ name: 'a', value: '1' }]);
  });
});

describe('builder kit: starts', () => {
  it('blank templates come from settings and the trail', () => {
    expect(kit.template('keitaro', settings, healthyTrails[0])).toBe(
      `https://tracker.example/${KEY}/postback?subid=${SUBID}&status=lead`,
    );
    expect(kit.template('aff_lsr', settings, healthyTrails[0])).toBe(
      `https://demo.go2cloud.org/aff_lsr?offer_id=12&transaction_id=${TRANSACTION_ID}`,
    );
    expect(kit.template('aff_goal', settings)).toBe('https://demo.go2cloud.org/aff_goal?a=lsr&offer_id=12');
    expect(kit.view(kit.template('keitaro', DEFAULT_SETTINGS)).recognized).toBe('keitaro postback');
  });

  it('"Rebuild and replay" prefills the landing’s subid', () => {
    expect(kit.prefill(healthyTrails[0] as never, settings)).toEqual({
      url: `https://tracker.example/${KEY}/postback?subid=${SUBID}&status=lead`,
      method: 'GET',
      origin: 'trail',
    });
    expect(kit.prefill(brokenTrails[0] as never, settings).url).toContain('subid=o2q6e42hs08jq');
  });

  it('without settings, the network and offer of a HasOffers template come from the captured click', () => {
    const url = kit.template('aff_lsr', DEFAULT_SETTINGS, healthyTrails[0], healthySession);
    const aff = healthySession.requests
      .flatMap((r) => r.hops)
      .find((h) => h.recognition?.system === 'hasoffers');
    expect(aff).toBeDefined();
    const { origin } = new URL(aff?.url ?? '');
    expect(url).toBe(
      `${origin}/aff_lsr?offer_id=${aff?.recognition?.fields.offer_id}&transaction_id=${TRANSACTION_ID}`,
    );
  });

  it('without settings, the tracker and key come from what the session captured', () => {
    const url = kit.prefill(healthyTrails[0] as never, DEFAULT_SETTINGS, saleSession).url;
    expect(url).toBe(`https://tracker.example/${KEY}/postback?subid=${SUBID}&status=lead`);
    expect(kit.prefill(healthyTrails[0] as never, DEFAULT_SETTINGS, healthySession).url).toBe(
      `https://tracker.example/KEY/postback?subid=${SUBID}&status=lead`,
    );
    // The campaign link is known only as the hop that redirected to the landing.
    const unrecognised = structuredClone(healthySession);
    const hop = unrecognised.requests[0]?.hops[1];
    if (hop) hop.url = 'https://trk.example:8443/Xy7pQm?external_id=1';
    if (hop) hop.recognition = null;
    expect(kit.prefill(healthyTrails[0] as never, DEFAULT_SETTINGS, unrecognised).url).toBe(
      `https://trk.example:8443/KEY/postback?subid=${SUBID}&status=lead`,
    );
  });

  it('a safe variant keeps the base and unchanged params as written', () => {
    const url = kit.withParams(PB, [
      { name: 'subid', value: 'postback-lens-test' },
      { name: 'status', value: 'lead' },
      { name: 'x', value: '{odd} y' },
    ]);
    expect(url).toBe(
      `https://tracker.example/${KEY}/postback?subid=postback-lens-test&status=lead&x=%7Bodd%7D+y`,
    );
  });
});
