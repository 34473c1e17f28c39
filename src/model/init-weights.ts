import type { Rng } from '../core/rng.js';
import type { FeatureLayout } from '../data/features/feature-layout.js';
import { parameterShapes, type ModelSpec, type Weights } from './model-spec.js';

/**
 * Seeded initialization: uniform(-1/sqrt(H), 1/sqrt(H)) for the recurrent and input weights (PyTorch's
 * RNN default, the setup of the 2014 experiment), zero biases except an LSTM forget-gate bias of 1, a
 * small head. The same seed gives the same weights.
 */
export function initWeights(spec: ModelSpec, layout: FeatureLayout, rng: Rng): Weights {
  const weights: Weights = new Map();
  const bound = 1 / Math.sqrt(spec.hidden);
  for (const { name, shape } of parameterShapes(spec, layout)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const isBias = name.endsWith('.b') || name.endsWith('.b_hh');
    if (!isBias) {
      for (let i = 0; i < size; i++) values[i] = (2 * rng.uniform() - 1) * bound;
    } else if (spec.cell === 'lstm' && name.endsWith('.b')) {
      values.fill(1, spec.hidden, 2 * spec.hidden);
    }
    weights.set(name, values);
  }
  return weights;
}
