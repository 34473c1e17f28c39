import type { FeatureLayout } from '../../data/features/feature-layout.js';
import { allocateBatch, StreamBatcher, type TrainingBatch, type TrainingSequence } from '../../data/features/stream-batcher.js';
import { FusedNetwork } from '../kernel/fused-network.js';
import type { ModelSpec, Weights } from '../model-spec.js';

/** Teacher-forced mean squared error (normalized units) over the training data: sigma^2 of the mse head. */
export function trainingMse(
  spec: ModelSpec, layout: FeatureLayout, shape: { batch: number; steps: number; k: number },
  sequences: readonly TrainingSequence[], weights: Weights, inputScale: number, silenceId: number,
): number {
  const batcher = new StreamBatcher(sequences, layout, shape, { inputScale, silenceId });
  return meanLoss(new FusedNetwork(spec, layout, shape), weights, batcher, allocateBatch(shape, layout)) ?? 0;
}

/** Mean loss over the real targets of one pass over a batcher's windows, from a fresh state. */
export function meanLoss(net: FusedNetwork, weights: Weights, batcher: StreamBatcher, batch: TrainingBatch): number | null {
  net.setWeights(weights);
  net.resetState();
  let sum = 0;
  let count = 0;
  for (let s = 0; s < batcher.stepsPerEpoch; s++) {
    batcher.fill(s, batch);
    const r = net.evaluate(batch);
    sum += r.loss * r.count;
    count += r.count;
  }
  return count > 0 ? sum / count : null;
}
