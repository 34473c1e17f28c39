import { Rng } from '../../src/core/rng.js';
import type { FeatureLayout } from '../../src/data/features/feature-layout.js';
import { allocateBatch, type BatchShape, type TrainingBatch } from '../../src/data/features/stream-batcher.js';

/** A batch of random inputs and targets, with some rows masked out, for kernel tests. */
export function randomBatch(shape: BatchShape, layout: FeatureLayout, seed: number, levels = 256): TrainingBatch {
  const rng = new Rng(seed);
  const batch = allocateBatch(shape, layout);
  for (let i = 0; i < batch.source.length; i++) batch.source[i] = rng.normal() * 0.8;
  const S = layout.slots.length;
  for (let r = 0; r < shape.batch * shape.steps; r++) {
    for (let s = 0; s < S; s++) batch.ids[r * S + s] = s * layout.phoneCount + rng.int(layout.phoneCount);
    for (let d = 0; d < layout.dense.length; d++) batch.dense[r * layout.dense.length + d] = rng.uniform();
    batch.target[r] = rng.normal() * 0.7;
    batch.level[r] = rng.int(levels);
    batch.mask[r] = rng.uniform() < 0.9 ? 1 : 0;
  }
  batch.realCount = batch.mask.reduce((a, b) => a + b, 0);
  return batch;
}
