import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairedRatio, t95 } from './stats';

describe('t95', () => {
  it('matches the table of two-sided 95% t quantiles', () => {
    for (const [df, t] of [
      [3, 3.182],
      [9, 2.262],
      [19, 2.093],
      [29, 2.045],
      [40, 2.021],
      [1000, 1.962],
    ] as const)
      expect(t95(df)).toBeCloseTo(t, 2);
  });
});

describe('pairedRatio', () => {
  const loads = fc.array(
    fc.array(fc.double({ min: 5, max: 500, noNaN: true }), { minLength: 1, maxLength: 8 }),
    {
      minLength: 2,
      maxLength: 30,
    },
  );

  it('gives a test condition k times slower than its base the ratio k, with no width', () => {
    fc.assert(
      fc.property(loads, fc.double({ min: 0.5, max: 2, noNaN: true }), (base, k) => {
        const r = pairedRatio(
          base.map((xs) => xs.map((x) => x * k)),
          base,
        );
        expect(r.ratio).toBeCloseTo(k, 9);
        expect(r.high - r.low).toBeCloseTo(0, 9);
      }),
    );
  });

  it('cancels a machine that slows down over the run (pairs within cycles)', () => {
    const base = [
      [40, 44],
      [60, 66],
      [80, 88],
      [120, 132],
    ];
    const test = base.map((xs, i) => xs.map((x) => x * (i % 2 ? 1.02 : 1.06)));
    const r = pairedRatio(test, base);
    expect(r.ratio).toBeCloseTo(Math.sqrt(1.02 * 1.06), 9);
    expect(r.low).toBeLessThan(1.02);
    expect(r.high).toBeGreaterThan(1.06);
  });

  it('keeps the interval around the ratio and narrows it with more cycles', () => {
    const noisy = (n: number) =>
      Array.from({ length: n }, (_, i) => [[50 * (1 + 0.1 * Math.sin(i * 7.3))], [50]]);
    const few = noisy(5);
    const many = noisy(50);
    const a = pairedRatio(
      few.map(([t]) => t ?? []),
      few.map(([, b]) => b ?? []),
    );
    const b = pairedRatio(
      many.map(([t]) => t ?? []),
      many.map(([, b]) => b ?? []),
    );
    expect(a.low).toBeLessThan(a.ratio);
    expect(a.high).toBeGreaterThan(a.ratio);
    expect(b.high - b.low).toBeLessThan(a.high - a.low);
  });

  it('leaves out loads that measured nothing', () => {
    const r = pairedRatio(
      [
        [55, Number.NaN],
        [66, 0],
      ],
      [[50], [60, Number.NaN]],
    );
    expect(r.ratio).toBeCloseTo(1.1, 9);
    expect(r.high).toBeCloseTo(1.1, 9);
  });

  it('says NaN, not a figure, for no data', () => {
    expect(pairedRatio([], []).ratio).toBeNaN();
    expect(pairedRatio([[]], [[40]]).ratio).toBeNaN();
  });
});
