import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { featureLayout } from '../../src/data/features/feature-layout.js';
import { initWeights } from '../../src/model/init-weights.js';
import { FusedNetwork } from '../../src/model/kernel/fused-network.js';
import type { CellType, HeadType, ModelSpec } from '../../src/model/model-spec.js';
import { randomBatch } from '../helpers/random-batch.js';

describe('fused kernel gradients against finite differences', () => {
  for (const [cell, head] of [['rnn', 'mse'], ['gru', 'mulaw'], ['lstm', 'mse']] as Array<[CellType, HeadType]>) {
    it(`${cell} ${head}: analytic gradient matches central differences`, () => {
      const spec: ModelSpec = { cell, hidden: 8, layers: 1, head, k: 4, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 };
      const layout = featureLayout('rich', 5);
      const shape = { batch: 2, steps: 6, k: 4 };
      const weights = initWeights(spec, layout, new Rng(9));
      const batch = randomBatch(shape, layout, 4);
      const net = new FusedNetwork(spec, layout, shape);
      const loss = (): number => {
        net.resetState();
        net.setWeights(weights);
        return net.evaluate(batch).loss;
      };
      net.setWeights(weights);
      net.resetState();
      net.trainStep(batch);
      const analytic = new Map([...net.gradients()].map(([n, g]) => [n, g.slice()]));
      const rng = new Rng(2);
      let checked = 0;
      for (const name of ['l0.w_win', 'l0.w_hh', 'l0.emb', 'l0.b', 'head.w']) {
        const w = weights.get(name)!;
        const g = analytic.get(name)!;
        for (let trial = 0; trial < 4; trial++) {
          // Pick an entry with a gradient clearly above float32 noise.
          let i = rng.int(w.length);
          for (let tries = 0; tries < 50 && Math.abs(g[i]!) < 1e-3; tries++) i = rng.int(w.length);
          if (Math.abs(g[i]!) < 1e-3) continue;
          const eps = 1e-2;
          const saved = w[i]!;
          w[i] = saved + eps;
          const up = loss();
          w[i] = saved - eps;
          const down = loss();
          w[i] = saved;
          const numeric = (up - down) / (2 * eps);
          expect(Math.abs(numeric - g[i]!), `${name}[${i}]: numeric ${numeric} analytic ${g[i]}`).toBeLessThan(0.03 * Math.abs(g[i]!) + 2e-4);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(8);
    });
  }
});
