import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systems } from '../systems';
import { defineSystem } from '../systems/define-system';
import { defineUserSystem } from '../systems/define-user-system';
import { ORDINARY_URLS } from '../systems/ordinary-urls';
import { compileRegistry } from './compile';
import { collectMarkers, createPrefilter, literalAlternation } from './prefilter';
import { findClickIds, recognize } from './recognize';
import { RecognitionSchema } from './schema';

describe('recognize: Keitaro postback', () => {
  const url =
    'http://tracker.example/f89e783/postback?subid=o2q6e42hs08jq&revenue=4.2&currency=USD&transaction_id=1027c8&affiliate_id=12&from=Tune.com&sub_id_3=x';
  const r = recognize(url);

  it('normalises aliases into fields (revenue → payout, transaction_id → tid) and takes the key from the path', () => {
    expect(r?.fields).toEqual({
      subid: 'o2q6e42hs08jq',
      payout: '4.2',
      currency: 'USD',
      tid: '1027c8',
      from: 'Tune.com',
      sub_id_3: 'x',
      key: 'f89e783',
    });
  });

  it('lists unknown params in URL order and every id-like param with its role', () => {
    expect(r?.unknownParams).toEqual([{ name: 'affiliate_id', value: '12' }]);
    expect(r?.clickIds).toEqual([
      { param: 'subid', value: 'o2q6e42hs08jq', role: 'click', macro: false },
      { param: 'transaction_id', value: '1027c8', role: 'transaction', macro: false },
    ]);
    expect(RecognitionSchema.safeParse(r).success).toBe(true);
  });

  it('prefers the documented subid over other aliases and keeps the second alias under its own name', () => {
    const two = recognize('https://t.example/abc1234/postback?clickid=B&subid=A&payout=1&revenue=2');
    expect(two?.clickId?.value).toBe('A');
    expect(two?.fields.subid).toBe('A');
    expect(two?.fields.clickid).toBe('B');
    expect(two?.fields.payout).toBe('1');
    expect(two?.fields.revenue).toBe('2');
  });

  it('uses the last of duplicate params, as PHP does', () => {
    expect(recognize('https://t.example/abc1234/postback?subid=A&subid=B')?.fields.subid).toBe('B');
  });

  it('merges a form or JSON POST body after the query [L1]', () => {
    const form = recognize('https://t.example/abc1234/postback?status=lead', {
      method: 'POST',
      body: 'subid=S1&payout=3',
    });
    expect(form?.clickId?.value).toBe('S1');
    expect(form?.fields).toMatchObject({ status: 'lead', subid: 'S1', payout: '3' });
    const json = recognize('https://t.example/abc1234/postback', {
      method: 'POST',
      body: '{"subid":"S2","status":"sale"}',
    });
    expect(json?.clickId?.value).toBe('S2');
  });

  it('flags macros and never takes them as the click id', () => {
    const m = recognize('https://t.example/abc1234/postback?subid=%7Bsubid%7D&payout={payout}&status=lead');
    expect(m?.clickId).toBeNull();
    expect(m?.macros).toEqual([
      { param: 'subid', value: '{subid}', style: '%7B%7D' },
      { param: 'payout', value: '{payout}', style: '{}' },
    ]);
    expect(m?.clickIds[0]).toEqual({ param: 'subid', value: '{subid}', role: 'click', macro: true });
  });

  it('reports an empty click id as an empty value, not as absent', () => {
    expect(recognize('https://t.example/abc1234/postback?subid=&status=lead')?.clickId).toEqual({
      param: 'subid',
      value: '',
      role: 'click',
      macro: false,
    });
  });
});

describe('recognize: kinds', () => {
  it.each([
    ['https://lp.example/?subid=abc&utm_source=x', 'keitaro', 'landing'],
    ['https://lp.example/?_lp=1&_token=tok&subid=abc', 'keitaro', 'lp-offer-link'],
    ['https://t.example/?_update_tokens=1&sub_id=abc', 'keitaro', 'update-tokens'],
    ['https://n.example/aff_goal?a=lsr&goal_id=1&transaction_id=t', 'hasoffers', 'postback'],
    ['https://n.example/aff_goal?a=l&goal_id=1', 'hasoffers', 'pixel'],
    ['https://n.example/aff_goal?goal_id=1&transaction_id=t', 'hasoffers', 'postback'],
    ['https://n.example/aff_goal?goal_id=1', 'hasoffers', 'pixel'],
    ['https://n.example/aff_l?offer_id=1', 'hasoffers', 'pixel'],
    ['https://n.example/aff_i?offer_id=1&aff_id=2', 'hasoffers', 'impression'],
    ['https://n.example/SL2?transaction_id=t', 'hasoffers', 'postback'],
    ['https://n.example/SL6k', 'hasoffers', 'click'],
    ['https://c.example/P.ASHX?o=1&e=2&f=IMG&t=x', 'cake', 'pixel'],
  ])('%s → %s %s', (url, system, kind) => {
    const r = recognize(url);
    expect(r?.system).toBe(system);
    expect(r?.kind).toBe(kind);
  });

  it('landing aliases are Keitaro postback aliases only inside a postback', () => {
    const r = recognize('https://lp.example/?subid=abc&aff_sub=net&revenue=5');
    expect(r?.kind).toBe('landing');
    expect(r?.fields).toEqual({ subid: 'abc' });
    expect(r?.unknownParams.map((p) => p.name)).toEqual(['aff_sub', 'revenue']);
    expect(r?.clickIds).toEqual([
      { param: 'subid', value: 'abc', role: 'click', macro: false },
      { param: 'aff_sub', value: 'net', role: 'sub', macro: false },
    ]);
  });

  it('follows the JS adapter order on landings: _subid before subid [K14]', () => {
    expect(recognize('https://lp.example/?subid=B&_subid=A')?.clickId?.value).toBe('A');
  });
});

describe('recognize: hostile input', () => {
  it('treats __proto__, constructor and prototype as plain params', () => {
    const r = recognize('https://lp.example/?subid=a&__proto__=x&constructor=y&prototype=z');
    expect(r?.unknownParams).toEqual([
      { name: '__proto__', value: 'x' },
      { name: 'constructor', value: 'y' },
      { name: 'prototype', value: 'z' },
    ]);
    // A system that knows `__proto__` gets it as an own field, and no prototype changes.
    const odd = defineUserSystem({
      id: 'odd',
      name: 'Odd',
      pathPattern: '/odd',
      clickIdParam: '__proto__',
      statusParam: 'constructor',
    });
    const o = recognize('https://o.example/odd?__proto__=x&constructor=sale', { systems: [odd] });
    expect(Object.hasOwn(o?.fields ?? {}, '__proto__')).toBe(true);
    const protoKey = '__proto__';
    expect(o?.fields[protoKey]).toBe('x');
    expect(o?.fields.status).toBe('sale');
    expect(Object.getPrototypeOf(o?.fields)).toBeNull();
    expect(o?.clickId?.value).toBe('x');
    expect(JSON.parse(JSON.stringify(o?.fields))).toEqual(JSON.parse('{"__proto__":"x","status":"sale"}'));
    const k = recognize('https://t.example/abc1234/postback?subid=a', {
      method: 'POST',
      body: '{"__proto__":"p","status":"sale"}',
    });
    expect(k?.unknownParams).toEqual([{ name: '__proto__', value: 'p' }]);
    expect(k?.fields.status).toBe('sale');
    expect(({} as Record<string, unknown>).status).toBeUndefined();
  });

  // A quadratic path over 100,000 params takes minutes: the timeout is the bound (no stopwatch on shared machines).
  it('handles a 100,000-param query string', () => {
    const query = Array.from({ length: 100_000 }, (_, i) => `p${i}=v${i}`).join('&');
    const r = recognize(`https://lp.example/?${query}&subid=abc`);
    const ids = findClickIds(`https://lp.example/?${query}&subid=abc`);
    expect(r?.unknownParams.length).toBe(100_000);
    expect(ids).toHaveLength(1);
  }, 60_000);

  it('returns null for non-URLs and non-strings', () => {
    for (const bad of ['', 'subid=abc', '/KEY/postback?subid=1', 'javascript:alert(1)?subid=1']) {
      expect(recognize(bad), bad).toBeNull();
    }
    expect(recognize(undefined as unknown as string)).toBeNull();
    expect(findClickIds(42 as unknown as string)).toEqual([]);
  });
});

describe('findClickIds', () => {
  it('reports distinctive names on any URL, with macros flagged', () => {
    expect(
      findClickIds('https://shop.example/thanks?transaction_id={transaction_id}&aff_click_id=abc&utm=1'),
    ).toEqual([
      { param: 'transaction_id', value: '{transaction_id}', role: 'transaction', macro: true },
      { param: 'aff_click_id', value: 'abc', role: 'sub', macro: false },
    ]);
  });

  it('ignores generic names outside their system (GA cid/tid, CAKE t/r)', () => {
    expect(
      findClickIds('https://www.google-analytics.com/collect?v=1&tid=UA-1&cid=555&t=pageview&r=1'),
    ).toEqual([]);
  });

  it('uses the recognising system roles on a recognised URL', () => {
    expect(findClickIds('https://t.example/postback?cid=c384EFV6JHQODRN70575OK6UG5')).toEqual([
      { param: 'cid', value: 'c384EFV6JHQODRN70575OK6UG5', role: 'click', macro: false },
    ]);
  });
});

describe('user systems', () => {
  it('turns a path pattern and param names into a working definition', () => {
    const mine = defineUserSystem({
      id: 'mytracker',
      name: 'My tracker',
      pathPattern: '/*/conv',
      clickIdParam: 'click',
      statusParam: 'st',
      payoutParam: 'amt',
    });
    const list = [...systems, mine];
    const r = recognize('https://my.example/k1/conv?click=abc&st=sale&amt=2', { systems: list });
    expect(r).toMatchObject({
      system: 'mytracker',
      kind: 'postback',
      fields: { click: 'abc', status: 'sale', payout: '2' },
    });
    expect(r?.clickId?.value).toBe('abc');
    expect(recognize('https://my.example/conv?click=abc', { systems: list })).toBeNull();
    expect(() => defineUserSystem({ id: 'x', name: 'x', pathPattern: 'conv', clickIdParam: 'c' })).toThrow();
  });
});

describe('path captures', () => {
  it('reads named groups, also next to unnamed groups and back-references', () => {
    const make = (pattern: string) =>
      defineSystem({
        id: 'cap',
        name: 'Captures',
        docs: [],
        shapes: [
          {
            kind: 'postback',
            label: 'x',
            path: { type: 'regex', pattern, marker: '/conv' },
            required: ['c'],
          },
        ],
        clickIds: [{ param: 'c', role: 'click' }],
        fields: [],
        knownParams: [],
        responses: [],
        responseCaveat: 'Check the log.',
        examples: { match: [], noMatch: [] },
      });
    const url = 'https://x.example/b/k9/conv?c=1';
    expect(recognize(url, { systems: [make('^/(?<zone>a|b)/(?<key>\\w+)/conv$')] })?.fields).toMatchObject({
      zone: 'b',
      key: 'k9',
    });
    expect(recognize(url, { systems: [make('^/(a|b)/(?<key>\\w+)/conv$')] })?.fields).toMatchObject({
      key: 'k9',
    });
    expect(
      recognize('https://x.example/k9/k9/conv?c=1', { systems: [make('^/(?<key>\\w+)/\\k<key>/conv$')] })
        ?.fields.key,
    ).toBe('k9');
  });
});

describe('prefilter', () => {
  it('builds a trie-shaped alternation', () => {
    const re = new RegExp(`^(?:${literalAlternation(['subid', 'sub_id', '_subid', '_token', 'sub'])})$`);
    for (const w of ['subid', 'sub_id', '_subid', '_token', 'sub']) expect(re.test(w), w).toBe(true);
    for (const w of ['su', 'subi', '_sub', 'subidx']) expect(re.test(w), w).toBe(false);
  });

  it('rejects every ordinary URL of the shared list that has no marker', () => {
    const pass = compileRegistry(systems).prefilter;
    const rejected = ORDINARY_URLS.filter((u) => !pass(u));
    expect(rejected.length).toBeGreaterThan(ORDINARY_URLS.length / 2);
  });

  it('is a necessary condition: whatever it rejects, full recognition rejects too', () => {
    const unfiltered = createPrefilter({ ...collectMarkers(systems), unbounded: true });
    expect(unfiltered('anything')).toBe(true);
    const pass = compileRegistry(systems).prefilter;
    const names = [
      'subid',
      '_subid',
      '_token',
      '_lp',
      '_update_tokens',
      'nid',
      'transaction_id',
      'cid',
      'clickid',
      'status',
      'x',
    ];
    const paths = [
      '/',
      '/postback',
      '/abc1234/postback',
      '/aff_lsr',
      '/aff_c',
      '/SL2',
      '/click.php',
      '/click',
      '/p.ashx',
      '/a/b',
    ];
    const arb = fc
      .tuple(
        fc.constantFrom(...paths),
        fc.array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 5 })), { maxLength: 4 }),
        fc.boolean(),
      )
      .map(
        ([path, params, hash]) =>
          `https://h.example${path}?${params.map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('&')}${hash ? '#x' : ''}`,
      );
    fc.assert(
      fc.property(arb, (url) => {
        if (!pass(url)) expect(recognize(url, { body: 'unrelated=1' }), url).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
