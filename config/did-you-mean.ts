/**
 * Suggestions for a mistyped setting: `crm_golive` → "did you mean crm_go_live?". Without one,
 * a misspelt key would be ignored and its default used, which is worse than failing.
 */

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours as
 * one edit (optimal string alignment), since `tabel` for `table` is one slip of the fingers.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `name`, when it is close enough to be the one meant: at most a
 * third of the letters differ (ignoring case, `-` for `_`), so `crm_golive` finds `crm_go_live`
 * but `colour` finds nothing rather than a random guess.
 */
export function closest(name: string, known: readonly string[]): string | null {
  const normal = (text: string) => text.toLowerCase().replaceAll('-', '_');
  let best: { key: string; distance: number } | null = null;
  for (const key of known) {
    const distance = editDistance(normal(name), normal(key));
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return null;
  const allowed = Math.max(1, Math.floor(Math.max(name.length, best.key.length) / 3));
  return best.distance <= allowed ? best.key : null;
}
