/**
 * Analytic Hierarchy Process weights (Saaty) for the composite CRM index (METRICS.md §6):
 * the principal eigenvector of a pairwise comparison matrix, with its consistency ratio.
 */

/** Saaty's random consistency index for n = 1..10. */
export const RANDOM_INDEX = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49] as const;

export interface AhpResult {
  weights: number[];
  lambdaMax: number;
  ci: number;
  cr: number;
}

export class InconsistentMatrixError extends Error {
  override name = 'InconsistentMatrixError';
}

/**
 * Weights by the principal eigenvector (power iteration, which converges for the positive
 * reciprocal matrices AHP uses), λmax, CI = (λmax − n)/(n − 1) and CR = CI / RI.
 * `name` is used in errors. A matrix that is not square, positive and reciprocal is an error.
 */
export function ahpWeights(matrix: readonly (readonly number[])[], name = 'matrix'): AhpResult {
  const n = matrix.length;
  if (n === 0 || n > RANDOM_INDEX.length) throw new Error(`AHP ${name}: needs 1 to ${RANDOM_INDEX.length} criteria, got ${n}`);
  for (let i = 0; i < n; i++) {
    if (matrix[i]!.length !== n) throw new Error(`AHP ${name}: row ${i + 1} has ${matrix[i]!.length} values, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const a = matrix[i]![j]!;
      if (!(a > 0)) throw new Error(`AHP ${name}: entry (${i + 1}, ${j + 1}) must be positive, got ${a}`);
      if (Math.abs(a * matrix[j]![i]! - 1) > 1e-3) {
        throw new Error(`AHP ${name}: entry (${i + 1}, ${j + 1}) = ${a} and (${j + 1}, ${i + 1}) = ${matrix[j]![i]} are not reciprocal`);
      }
    }
  }
  let w = Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < 1000; iteration++) {
    const next = matrix.map((row) => row.reduce((s, a, j) => s + a * w[j]!, 0));
    const total = next.reduce((s, x) => s + x, 0);
    const normalised = next.map((x) => x / total);
    const delta = Math.max(...normalised.map((x, i) => Math.abs(x - w[i]!)));
    w = normalised;
    if (delta < 1e-12) break;
  }
  const aw = matrix.map((row) => row.reduce((s, a, j) => s + a * w[j]!, 0));
  const lambdaMax = aw.reduce((s, x, i) => s + x / w[i]!, 0) / n;
  const ci = n > 1 ? (lambdaMax - n) / (n - 1) : 0;
  const ri = RANDOM_INDEX[n - 1]!;
  const cr = ri === 0 ? 0 : ci / ri;
  return { weights: w, lambdaMax, ci, cr };
}

/** As ahpWeights, but a consistency ratio of 0.10 or more stops with an error naming the matrix. */
export function consistentAhpWeights(matrix: readonly (readonly number[])[], name: string): AhpResult {
  const result = ahpWeights(matrix, name);
  if (result.cr >= 0.1) {
    throw new InconsistentMatrixError(
      `AHP ${name}: consistency ratio ${result.cr.toFixed(3)} ≥ 0.10; revise its pairwise judgements (λmax = ${result.lambdaMax.toFixed(4)})`,
    );
  }
  return result;
}
