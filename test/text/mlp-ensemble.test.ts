import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { mergeMlpEnsemble } from '../../src/model/text/mlp-ensemble.js';
import type { DenseLayer } from '../../src/core/text-network-weights.js';

function randomMlp(rng: Rng, sizes: readonly number[]): DenseLayer[] {
  return sizes.slice(1).map((outputs, i) => {
    const inputs = sizes[i] as number;
    return {
      w: Float32Array.from({ length: inputs * outputs }, () => rng.uniform() * 2 - 1),
      b: Float32Array.from({ length: outputs }, () => rng.uniform() * 2 - 1),
      inputs,
      outputs,
      activation: i === sizes.length - 2 ? 'linear' : 'tanh',
    };
  });
}

function forward(layers: readonly DenseLayer[], x: Float32Array): Float32Array {
  let h = x;
  for (const l of layers) {
    const o = new Float32Array(l.outputs);
    for (let j = 0; j < l.outputs; j++) {
      let s = l.b[j] as number;
      for (let i = 0; i < l.inputs; i++) s += (h[i] as number) * (l.w[i * l.outputs + j] as number);
      o[j] = l.activation === 'tanh' ? Math.tanh(s) : s;
    }
    h = o;
  }
  return h;
}

describe('mergeMlpEnsemble', () => {
  it('is one network whose output is the mean of the members', () => {
    const rng = new Rng(3);
    const members = [1, 2, 3].map(() => randomMlp(rng, [7, 5, 4, 1]));
    const merged = mergeMlpEnsemble(members);
    expect(merged.map((l) => [l.inputs, l.outputs])).toEqual([[7, 15], [15, 12], [12, 1]]);
    for (let trial = 0; trial < 20; trial++) {
      const x = Float32Array.from({ length: 7 }, () => rng.uniform() * 4 - 2);
      const mean = members.reduce((s, m) => s + (forward(m, x)[0] as number), 0) / members.length;
      expect(forward(merged, x)[0]).toBeCloseTo(mean, 5);
    }
  });

  it('keeps one network as it is and refuses members of different shapes', () => {
    const rng = new Rng(4);
    const one = randomMlp(rng, [3, 2, 1]);
    const x = Float32Array.of(0.1, -0.4, 0.9);
    expect(forward(mergeMlpEnsemble([one]), x)[0]).toBeCloseTo(forward(one, x)[0] as number, 6);
    expect(() => mergeMlpEnsemble([one, randomMlp(rng, [3, 4, 1])])).toThrow(/same shape/);
    expect(() => mergeMlpEnsemble([])).toThrow(/at least one/);
  });
});
