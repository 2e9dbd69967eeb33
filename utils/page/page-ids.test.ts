import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systems } from '../systems';
import { MIN_ID_LENGTH, PAGE_ID_PARAMS, pageIds } from './page-ids';

describe('the content script’s click-id params', () => {
  it('include every click id the registry looks for on any URL', () => {
    const anywhere = systems.flatMap((s) => s.clickIds.filter((c) => c.anywhere).map((c) => c.param));
    // externalId is Keitaro's camel-case spelling of external_id in its own postbacks, never on a landing.
    const missing = anywhere.filter((p) => !PAGE_ID_PARAMS.includes(p) && p !== 'externalId');
    expect(missing).toEqual([]);
  });

  it('read a query as URLSearchParams would: the first value of a name, decoded, with + as space', () => {
    const reference = (href: string) => {
      const params = new URLSearchParams(href.slice(href.indexOf('?') + 1).split('#')[0]);
      const out: Array<{ param: string; value: string }> = [];
      for (const name of PAGE_ID_PARAMS) {
        const value = params.get(name);
        if (value && value.length >= MIN_ID_LENGTH && !/^[{[#$%]|^REPLACE$/i.test(value)) {
          if (!out.some((o) => o.value === value)) out.push({ param: name, value });
        }
      }
      return out;
    };
    const name = fc.constantFrom(...PAGE_ID_PARAMS, 'x', 'offer_id', 'sub%69d');
    const value = fc.oneof(
      fc.stringMatching(/^[0-9a-z]{6,20}$/),
      fc.constantFrom('a+b+c+d+e+f', '51ts%20sgr1', '%E2%9C%93abcdefg', 'short', ''),
    );
    const query = fc.array(fc.tuple(name, value), { maxLength: 6 });
    fc.assert(
      fc.property(query, (pairs) => {
        const href = `https://lp.example/?${pairs.map(([n, v]) => `${n}=${v}`).join('&')}#frag`;
        expect(pageIds(href)).toEqual(reference(href));
      }),
    );
  });

  it('never throws on malformed percent-encoding, and skips what it cannot decode', () => {
    expect(pageIds('https://lp.example/?subid=%E0%A4%A&_token=abcdefghij')).toEqual([
      { param: '_token', value: 'abcdefghij' },
    ]);
    expect(pageIds('https://lp.example/?subid')).toEqual([]);
  });
});
