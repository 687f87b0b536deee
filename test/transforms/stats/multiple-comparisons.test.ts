import { describe, expect, it } from 'vitest';
import { holm, holmByFamily } from '../../../transforms/stats/multiple-comparisons.ts';

describe("Holm's adjustment", () => {
  it("matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm')", () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
  });

  it('leaves nulls out of the family, caps at 1, and never adjusts a p-value down', () => {
    const p = [0.5, null, 0.2, 0.9];
    const adjusted = holm(p);
    expect(adjusted[1]).toBeNull();
    [1, null, 0.6, 1].forEach((expected, i) => (expected === null ? expect(adjusted[i]).toBeNull() : expect(adjusted[i]).toBeCloseTo(expected, 12)));
    adjusted.forEach((a, i) => a !== null && expect(a).toBeGreaterThanOrEqual(p[i]!));
  });
});

describe("Holm's adjustment within families", () => {
  it('adjusts each family on its own, in the rows’ order', () => {
    const rows = [{ f: 'a', p: 0.01 }, { f: 'b', p: 0.04 }, { f: 'a', p: 0.04 }, { f: 'b', p: null }];
    const adjusted = holmByFamily(rows, (r) => r.f, (r) => r.p);
    [0.02, 0.04, 0.04, null].forEach((expected, i) => (expected === null ? expect(adjusted[i]).toBeNull() : expect(adjusted[i]).toBeCloseTo(expected, 12)));
  });
});
