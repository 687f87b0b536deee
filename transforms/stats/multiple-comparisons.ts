/**
 * Holm's step-down adjustment (Holm 1979): p-values adjusted so that calling every adjusted
 * p < α significant keeps the family-wise error rate (any false positive among the family) at
 * α, under any dependence between the tests. Less conservative than Bonferroni, never more.
 */

/** Adjusted p-values in the order given; null stays null (not part of the family). */
export function holm(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const present = pValues.flatMap((p, index) => (p === null || Number.isNaN(p) ? [] : [{ p, index }])).sort((a, b) => a.p - b.p);
  const m = present.length;
  const adjusted: Array<number | null> = pValues.map(() => null);
  let running = 0;
  present.forEach(({ p, index }, rank) => {
    // the k-th smallest p is multiplied by the tests left (m − k + 1), and never falls below an earlier one
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

/**
 * Holm within families: `familyOf` names each row's family, `pOf` its p (null: not tested).
 * Returns each row's adjusted p in the order given.
 */
export function holmByFamily<T>(rows: readonly T[], familyOf: (row: T) => string, pOf: (row: T) => number | null): Array<number | null> {
  const families = new Map<string, number[]>();
  rows.forEach((row, i) => families.set(familyOf(row), [...(families.get(familyOf(row)) ?? []), i]));
  const out: Array<number | null> = rows.map(() => null);
  for (const members of families.values()) {
    const adjusted = holm(members.map((i) => pOf(rows[i]!)));
    members.forEach((i, k) => (out[i] = adjusted[k]!));
  }
  return out;
}
