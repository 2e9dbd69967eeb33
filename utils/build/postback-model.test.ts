import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systems } from '../systems';
import { ORDINARY_URLS } from '../systems/ordinary-urls';
import { buildPostbackUrl, getParam, parsePostbackUrl, removeParam, setParam } from './postback-model';

const ALL_SAMPLES = [
  ...systems.flatMap((s) => [...s.examples.match.map((e) => e.url), ...s.examples.noMatch]),
  ...ORDINARY_URLS,
  'https://t.example/k/postback?subid=a%20b+c&sub%5Fid=%7Bx%7D&&flag&empty=&x=%E0%A4%A#frag?a=1',
  'https://t.example/p?',
  'https://t.example/p?#',
  'https://example.com/key/postback?status=lead&payout=10¤cy=EUR',
];

describe('round trip', () => {
  it.each(ALL_SAMPLES.map((u) => [u]))('rebuilds %s byte for byte', (url) => {
    expect(buildPostbackUrl(parsePostbackUrl(url))).toBe(url);
  });

  it('holds for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(buildPostbackUrl(parsePostbackUrl(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('holds for arbitrary query strings', () => {
    const pair = fc.tuple(fc.string({ maxLength: 8 }), fc.option(fc.string({ maxLength: 12 })));
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 8 }),
        fc.option(fc.string({ maxLength: 10 })),
        (pairs, hash) => {
          const query = pairs.map(([n, v]) => (v === null ? n : `${n}=${v}`)).join('&');
          const url = `https://t.example/k/postback?${query}${hash === null ? '' : `#${hash}`}`;
          expect(buildPostbackUrl(parsePostbackUrl(url))).toBe(url);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('model', () => {
  const url = 'https://t.example/e89bcbe/postback?subid=a%20b&status=lead&x=%7Bkeep%7D#h';
  const model = parsePostbackUrl(url);

  it('splits base, decoded params with raw text, hash; recognises the system', () => {
    expect(model).toEqual({
      system: 'keitaro',
      kind: 'postback',
      base: 'https://t.example/e89bcbe/postback',
      params: [
        { name: 'subid', value: 'a b', raw: 'subid=a%20b' },
        { name: 'status', value: 'lead', raw: 'status=lead' },
        { name: 'x', value: '{keep}', raw: 'x=%7Bkeep%7D' },
      ],
      hash: 'h',
    });
  });

  it('re-encodes only what changed', () => {
    expect(buildPostbackUrl(setParam(model, 'status', 'sale'))).toBe(
      'https://t.example/e89bcbe/postback?subid=a%20b&status=sale&x=%7Bkeep%7D#h',
    );
    expect(buildPostbackUrl(setParam(model, 'payout', '1,5 €'))).toBe(
      'https://t.example/e89bcbe/postback?subid=a%20b&status=lead&x=%7Bkeep%7D&payout=1,5%20%E2%82%AC#h',
    );
    const edited = {
      ...model,
      params: model.params.map((p) => (p.name === 'subid' ? { ...p, value: 'c&d' } : p)),
    };
    expect(buildPostbackUrl(edited)).toBe(
      'https://t.example/e89bcbe/postback?subid=c%26d&status=lead&x=%7Bkeep%7D#h',
    );
  });

  it('setParam drops later duplicates; removeParam removes all; getParam reads the last', () => {
    const dup = parsePostbackUrl('https://t/p?a=1&b=2&a=3');
    expect(getParam(dup, 'a')).toBe('3');
    expect(buildPostbackUrl(setParam(dup, 'a', '9'))).toBe('https://t/p?a=9&b=2');
    expect(buildPostbackUrl(removeParam(dup, 'a'))).toBe('https://t/p?b=2');
    expect(buildPostbackUrl(removeParam(removeParam(dup, 'a'), 'b'))).toBe('https://t/p');
    expect(buildPostbackUrl(setParam(parsePostbackUrl('https://t/p?'), 'a', '1'))).toBe('https://t/p?a=1');
    expect(getParam(dup, 'zz')).toBeUndefined();
  });

  it('keeps __proto__ as an ordinary param', () => {
    const m = parsePostbackUrl('https://t/p?__proto__=x&constructor=y');
    expect(m.params.map((p) => p.name)).toEqual(['__proto__', 'constructor']);
    expect(getParam(setParam(m, '__proto__', 'z'), '__proto__')).toBe('z');
  });
});
