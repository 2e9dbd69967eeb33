import { describe, expect, it } from 'vitest';
import { recognize } from '../recognize/recognize';
import { defineSystem } from './define-system';
import { systems } from './index';
import { ORDINARY_URLS } from './ordinary-urls';
import { SystemDefinitionSchema } from './schema';

describe('registry', () => {
  it('has unique ids and every definition passes its schema', () => {
    const ids = systems.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of systems) expect(SystemDefinitionSchema.safeParse(s).success, s.id).toBe(true);
  });

  it('lists samples for every system', () => {
    for (const s of systems) {
      expect(s.examples.match.length, `${s.id} has no match samples`).toBeGreaterThan(0);
      expect(s.examples.noMatch.length, `${s.id} has no noMatch samples`).toBeGreaterThan(0);
    }
  });
});

describe.each(systems.map((s) => [s.id, s] as const))('%s samples', (_id, system) => {
  it.each(system.examples.match.map((e) => [e.url, e] as const))('recognises %s', (_url, example) => {
    const r = recognize(example.url, { method: example.method, body: example.body });
    expect(r, `nothing recognised ${example.url}`).not.toBeNull();
    expect(r?.system, `${example.url} went to the wrong system`).toBe(system.id);
    expect(r?.kind).toBe(example.kind);
    if (example.clickId !== undefined) expect(r?.clickId?.value ?? null).toBe(example.clickId);
  });

  it.each(system.examples.noMatch.map((u) => [u]))('leaves %s alone', (url) => {
    const r = recognize(url, { systems: [system] });
    expect(r, `${system.id} claims its own noMatch sample ${url} as ${r?.kind}`).toBeNull();
  });
});

/**
 * The matrix: each definition alone against every other definition's samples and against
 * ordinary traffic. A failure names the greedy definition and the URL it took.
 */
describe('matrix', () => {
  for (const owner of systems) {
    for (const other of systems) {
      if (other === owner) continue;
      it(`${other.id} does not claim ${owner.id}'s samples`, () => {
        for (const example of owner.examples.match) {
          const r = recognize(example.url, { method: example.method, body: example.body, systems: [other] });
          expect(
            r,
            `${other.id} matched ${owner.id}'s sample ${example.url} as ${r?.kind}: narrow ${other.id}'s shapes (forbidden params / value conditions)`,
          ).toBeNull();
        }
        for (const url of owner.examples.noMatch) {
          const r = recognize(url, { systems: [other] });
          expect(r, `${other.id} matched ${owner.id}'s noMatch sample ${url} as ${r?.kind}`).toBeNull();
        }
      });
    }
    it(`${owner.id} leaves ordinary traffic alone`, () => {
      for (const url of ORDINARY_URLS) {
        const r = recognize(url, { systems: [owner] });
        expect(r, `${owner.id} matched the ordinary URL ${url} as ${r?.kind}`).toBeNull();
      }
    });
  }
});

describe('documented priorities', () => {
  it('Voluum and BeMob share /postback?cid=: status or a 22-character cid means BeMob, et/param1..5 mean Voluum', () => {
    expect(recognize('https://t.example/postback?cid=abc123&status=approved')?.system).toBe('bemob');
    expect(recognize('https://t.example/postback?cid=a1B2c3D4e5F6g7H8i9J0kL')?.system).toBe('bemob');
    expect(recognize('https://t.example/postback?cid=a1B2c3D4e5F6g7H8i9J0kL&et=sale')?.system).toBe('voluum');
    expect(recognize('https://t.example/postback?cid=c384EFV6JHQODRN70575OK6UG5')?.system).toBe('voluum');
  });

  it('RedTrack and Affise share /postback?clickid=: an Affise-only param means Affise', () => {
    expect(recognize('https://t.example/postback?clickid=62a1b2c3d4e5f6a7b8c9d0e1&sum=2')?.system).toBe(
      'redtrack',
    );
    expect(recognize('https://t.example/postback?clickid=62a1b2c3d4e5f6a7b8c9d0e1&goal=2')?.system).toBe(
      'affise',
    );
  });

  it('a path shape beats a params-only shape (HasOffers aff_c carrying subid stays HasOffers)', () => {
    const r = recognize('https://n.example/aff_c?offer_id=1&aff_id=2&subid=abc');
    expect(r?.system).toBe('hasoffers');
    expect(r?.kind).toBe('click');
  });

  it('a "CAKE" template that points at go2cloud.org/aff_lsr is HasOffers (detected by path)', () => {
    expect(recognize('https://demo.go2cloud.org/aff_lsr?transaction_id=abc&o=1&r=2')?.system).toBe(
      'hasoffers',
    );
  });

  it('never decides by domain', () => {
    expect(recognize('https://demo.go2cloud.org/')).toBeNull();
    expect(recognize('https://trk.rdtk.io/')).toBeNull();
    expect(recognize('https://my-own-domain.example/aff_lsr?transaction_id=x')?.system).toBe('hasoffers');
  });
});

describe('defineSystem', () => {
  const minimal = {
    id: 'acme',
    name: 'ACME tracker',
    docs: [],
    shapes: [
      {
        kind: 'postback' as const,
        label: 'postback',
        path: { type: 'exact' as const, path: '/conv' },
        required: ['cid'],
      },
    ],
    clickIds: [{ param: 'cid', role: 'click' as const }],
    fields: [{ field: 'payout', params: ['amt'] }],
    knownParams: ['status'],
    responses: [{ pattern: '^OK$', verdict: 'accepted' as const, message: 'ACME said OK.' }],
    responseCaveat: 'Check ACME reports.',
    examples: {
      match: [{ url: 'https://a.example/conv?cid=1', kind: 'postback' as const, clickId: '1' }],
      noMatch: [],
    },
  };

  it('accepts a valid user definition and recognises with it', () => {
    const acme = defineSystem(minimal);
    const r = recognize('https://acme.example/conv?cid=X1&amt=3&status=ok', { systems: [...systems, acme] });
    expect(r?.system).toBe('acme');
    expect(r?.clickId?.value).toBe('X1');
    expect(r?.fields.payout).toBe('3');
  });

  it('rejects bad ids, bad regexes and unknown kinds with a readable error', () => {
    expect(() => defineSystem({ ...minimal, id: 'Bad Id' })).toThrow(/id/);
    expect(() =>
      defineSystem({
        ...minimal,
        shapes: [{ kind: 'postback', label: 'x', path: { type: 'regex', pattern: '(' } }],
      }),
    ).toThrow(/regular expression/);
    expect(() =>
      defineSystem({
        ...minimal,
        shapes: [{ kind: 'conversion' as 'postback', label: 'x', path: { type: 'any' } }],
      }),
    ).toThrow();
  });

  it('applies a refine hook (what a table cannot say)', () => {
    const hooked = defineSystem({
      ...minimal,
      refine: ({ params }) => (params.some((p) => p.name === 'test') ? false : { kind: 'pixel' }),
    });
    expect(recognize('https://a.example/conv?cid=1', { systems: [hooked] })?.kind).toBe('pixel');
    expect(recognize('https://a.example/conv?cid=1&test=1', { systems: [hooked] })).toBeNull();
  });
});
