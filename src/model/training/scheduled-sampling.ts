import type { Rng } from '../../core/rng.js';
import type { TrainingBatch } from '../../data/features/stream-batcher.js';
import { mulawDecode } from '../../dsp/mulaw.js';
import type { TrainingNetwork } from '../kernel/training-network.js';
import type { ModelSpec, Weights } from '../model-spec.js';

/**
 * Parallel scheduled sampling: a teacher-forced pass predicts every sample of the window, then each input
 * sample is replaced by that prediction with probability p (sampled from the softmax for the mu-law head).
 */
export async function substituteOwnPredictions(
  net: TrainingNetwork, weights: Weights, batch: TrainingBatch, spec: ModelSpec, shape: { batch: number; steps: number; k: number }, inputScale: number, p: number, rng: Rng,
): Promise<void> {
  net.setWeights(weights);
  const predictions = await net.predict(batch);
  const { batch: B, steps: T, k } = shape;
  const levels = spec.levels;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (rng.uniform() >= p) continue;
      const row = t * B + b;
      let value: number;
      if (spec.head === 'mse') value = predictions[row] as number;
      else {
        const base = row * levels;
        let max = -Infinity;
        for (let c = 0; c < levels; c++) max = Math.max(max, predictions[base + c] as number);
        let total = 0;
        for (let c = 0; c < levels; c++) total += Math.exp((predictions[base + c] as number) - max);
        let u = rng.uniform() * total;
        let level = levels - 1;
        for (let c = 0; c < levels; c++) {
          u -= Math.exp((predictions[base + c] as number) - max);
          if (u <= 0) {
            level = c;
            break;
          }
        }
        value = mulawDecode(level, levels) / inputScale;
      }
      batch.source[b * (k + T) + k + t] = value;
    }
  }
}

