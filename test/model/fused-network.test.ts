import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { featureLayout } from '../../src/data/features/feature-layout.js';
import { FusedNetwork } from '../../src/model/kernel/fused-network.js';
import { initWeights } from '../../src/model/init-weights.js';
import type { CellType, HeadType, ModelSpec, Weights } from '../../src/model/model-spec.js';
import { ReferenceNetwork } from '../../src/model/reference-network.js';
import { loadTf, type Tf } from '../../src/model/tf-backend.js';
import { randomBatch } from '../helpers/random-batch.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadTf('cpu'));
});

function makeSpec(cell: CellType, head: HeadType, layers: number): ModelSpec {
  return { cell, hidden: 8, layers, head, k: 5, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i] as number));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst / scale;
}

const cases: Array<[CellType, HeadType, number]> = [
  ['rnn', 'mse', 1], ['gru', 'mse', 1], ['lstm', 'mse', 1],
  ['rnn', 'mulaw', 1], ['gru', 'mulaw', 2], ['lstm', 'mse', 2],
];

describe('FusedNetwork (WebAssembly kernel) against tfjs autodiff', () => {
  for (const [cell, head, layers] of cases) {
    it(`${cell} ${head} ${layers} layer(s): same loss, gradients and final state`, () => {
      const spec = makeSpec(cell, head, layers);
      const layout = featureLayout('rich', 6);
      const shape = { batch: 4, steps: 7, k: spec.k };
      const weights: Weights = initWeights(spec, layout, new Rng(3));
      for (const w of weights.values()) for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) * 2.5;
      const batch = randomBatch(shape, layout, 11);
      const fused = new FusedNetwork(spec, layout, shape);
      fused.setWeights(weights);
      const initial = fused.getState().map((s, i) => s.map((_, j) => Math.sin(j + i) * 0.3));
      fused.setState(initial);
      const result = fused.trainStep(batch);
      const fusedGrads = fused.gradients();

      const reference = new ReferenceNetwork(tf, spec, layout, shape);
      const names = [...weights.keys()];
      const tensors = names.map((n) => tf.tensor(weights.get(n) as Float32Array, [...(weights.get(n) as Float32Array).length === 0 ? [0] : [(weights.get(n) as Float32Array).length]]));
      const H = spec.hidden;
      const stateTensors = initial.map((s) => tf.tensor2d(s, [shape.batch, H]));
      const shapes = new Map(names.map((n, i) => [n, tensors[i]!]));
      const lossFn = (...ws: import('@tensorflow/tfjs').Tensor[]) => {
        const map = new Map<string, import('@tensorflow/tfjs').Tensor>();
        names.forEach((n, i) => {
          const flat = ws[i]!;
          const fusedShape = (fused as unknown as { params: Map<string, { shape: number[] }> }).params.get(n)!.shape;
          map.set(n, flat.reshape(fusedShape));
        });
        return reference.loss(map, batch, stateTensors);
      };
      void shapes;
      const { value, grads } = tf.valueAndGrads(lossFn)(tensors);
      expect(result.loss).toBeCloseTo(value.dataSync()[0] as number, 4);
      names.forEach((n, i) => {
        const diff = maxRelDiff(fusedGrads.get(n) as Float32Array, grads[i]!.dataSync() as Float32Array);
        expect(diff, `gradient of ${n}`).toBeLessThan(2e-4);
      });
      // The carried state after the window equals the reference's final state.
      const map = new Map(names.map((n, i) => [n, tensors[i]!.reshape((fused as unknown as { params: Map<string, { shape: number[] }> }).params.get(n)!.shape)]));
      const { finalState } = reference.forward(map, batch, stateTensors);
      const after = fused.getState();
      finalState.forEach((t, i) => {
        if (spec.cell !== 'lstm' && i % 2 === 1) return;
        expect(maxRelDiff(after[i]!, t.dataSync() as Float32Array)).toBeLessThan(1e-5);
      });
    });
  }
});
