import { describe, expect, it } from 'vitest';
import { decodeComponent, encodeComponent } from './decode';
import { parseBody, parseQuery } from './parse-query';
import { splitUrl } from './split-url';

describe('decodeComponent', () => {
  it('decodes escapes and + like a form decoder', () => {
    expect(decodeComponent('a%20b+c')).toBe('a b c');
    expect(decodeComponent('%7Bsubid%7D')).toBe('{subid}');
    expect(decodeComponent('%D0%BF%D1%80')).toBe('пр');
  });

  it('keeps malformed escapes as written instead of throwing', () => {
    expect(decodeComponent('%')).toBe('%');
    expect(decodeComponent('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodeComponent('ok%20%E0%A4')).toBe('ok %E0%A4');
    expect(decodeComponent('%zz%41')).toBe('%zzA');
  });
});

describe('encodeComponent', () => {
  it('keeps macros and comma lists readable', () => {
    expect(encodeComponent('{subid}')).toBe('{subid}');
    expect(encodeComponent('approved,paid')).toBe('approved,paid');
    expect(encodeComponent('a b&c=d')).toBe('a%20b%26c%3Dd');
  });

  it('does not throw on lone surrogates', () => {
    expect(() => encodeComponent('\ud800x')).not.toThrow();
  });
});

describe('splitUrl', () => {
  it('splits without normalising', () => {
    expect(splitUrl('HTTPS://user:pw@Tracker.example:8080/e89bcbe/postback?subid=a%20b#frag')).toEqual({
      scheme: 'https',
      host: 'Tracker.example:8080',
      path: '/e89bcbe/postback',
      query: 'subid=a%20b',
      hash: 'frag',
    });
  });

  it('handles a missing path, an empty query and ? inside the hash', () => {
    expect(splitUrl('https://t.example?subid=1')).toMatchObject({ path: '/', query: 'subid=1' });
    expect(splitUrl('https://t.example/p?')).toMatchObject({ query: '', hash: null });
    expect(splitUrl('https://t.example/#/route?subid=1')).toMatchObject({
      path: '/',
      query: null,
      hash: '/route?subid=1',
    });
  });

  it('returns null for what is not scheme://host', () => {
    for (const bad of [
      '',
      'example.com/?subid=1',
      '/KEY/postback?subid=1',
      'mailto:a@b.c',
      'https://',
      'https:///path',
    ]) {
      expect(splitUrl(bad), bad).toBeNull();
    }
  });
});

describe('parseQuery', () => {
  it('keeps order, raw text and empty values; skips empty pairs', () => {
    expect(parseQuery('a=1&&b&c=&sub%5Fid=x+y')).toEqual([
      { name: 'a', rawName: 'a', value: '1', raw: 'a=1', from: 'query' },
      { name: 'b', rawName: 'b', value: '', raw: 'b', from: 'query' },
      { name: 'c', rawName: 'c', value: '', raw: 'c=', from: 'query' },
      { name: 'sub_id', rawName: 'sub%5Fid', value: 'x y', raw: 'sub%5Fid=x+y', from: 'query' },
    ]);
  });

  it('splits on the first = only', () => {
    expect(parseQuery('return=a=b')[0]?.value).toBe('a=b');
  });
});

describe('parseBody', () => {
  it('reads form bodies', () => {
    expect(parseBody('subid=abc&status=sale').map((p) => [p.name, p.value, p.from])).toEqual([
      ['subid', 'abc', 'body'],
      ['status', 'sale', 'body'],
    ]);
  });

  it('reads flat JSON objects, stringifying non-strings, keeping __proto__ as a key', () => {
    expect(
      parseBody('{"subid":"a","payout":5,"ok":true,"n":null,"o":{"x":1},"__proto__":"p"}').map((p) => [
        p.name,
        p.value,
      ]),
    ).toEqual([
      ['subid', 'a'],
      ['payout', '5'],
      ['ok', 'true'],
      ['n', ''],
      ['o', '{"x":1}'],
      ['__proto__', 'p'],
    ]);
  });

  it('gives nothing for arrays, XML, broken JSON and blank bodies', () => {
    for (const body of ['[1,2]', '<xml/>', '{"a":', '   ', '']) expect(parseBody(body), body).toEqual([]);
  });
});
