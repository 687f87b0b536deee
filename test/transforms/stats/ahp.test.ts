import { describe, expect, it } from 'vitest';
import { ahpWeights, consistentAhpWeights } from '../../../transforms/stats/ahp.ts';

// Saaty's "choosing a leader" criteria matrix (../shared/datasets/README.md)
const leader = [
  [1, 4, 3, 7],
  [1 / 4, 1, 1 / 3, 3],
  [1 / 3, 3, 1, 5],
  [1 / 7, 1 / 3, 1 / 5, 1],
];

describe('AHP', () => {
  it('reproduces the published weights, λmax and CR', () => {
    const result = ahpWeights(leader);
    [0.5476, 0.1266, 0.2699, 0.0559].forEach((w, i) => expect(result.weights[i]).toBeCloseTo(w, 4));
    expect(result.lambdaMax).toBeCloseTo(4.1184, 4);
    expect(result.cr).toBeCloseTo(0.044, 3);
  });

  it('a perfectly consistent matrix has CR 0', () => {
    expect(ahpWeights([[1, 2], [0.5, 1]])).toMatchObject({ cr: 0, weights: [expect.closeTo(2 / 3, 10), expect.closeTo(1 / 3, 10)] });
  });

  it('CR ≥ 0.10 is an error that names the matrix', () => {
    const inconsistent = [
      [1, 9, 1 / 9],
      [1 / 9, 1, 9],
      [9, 1 / 9, 1],
    ];
    expect(() => consistentAhpWeights(inconsistent, 'criteria')).toThrow(/^AHP criteria: consistency ratio \d+\.\d+ ≥ 0\.10/);
  });

  it('a matrix that is not reciprocal is an error naming the entry', () => {
    expect(() => ahpWeights([[1, 3], [3, 1]], 'efficiency')).toThrow('AHP efficiency: entry (1, 2) = 3 and (2, 1) = 3 are not reciprocal');
  });
});
