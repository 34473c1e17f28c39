import { Rng } from '../../src/core/rng.js';
import type { ModelManifest } from '../../src/core/manifest.js';
import { buildManifest } from '../../src/model/training/training-manifest.js';
import { featureLayout } from '../../src/data/features/feature-layout.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';
import { writeBundle } from '../../src/model/bundle-writer.js';
import { initWeights } from '../../src/model/init-weights.js';
import { parameterShapes, type ModelSpec, type Weights } from '../../src/model/model-spec.js';
import { exportBundle } from '../../src/export/export-bundle.js';
import { tempDir } from './fixtures.js';

/** A manifest for a spec, as the trainer would write it. */
export function manifestFor(spec: ModelSpec, inputScale: number, sigma: number | null): ModelManifest {
  return buildManifest({
    spec,
    inputScale,
    sigma,
    training: {
      data: '', utterances: [], devUtterances: [], skippedUtterances: [], command: '', config: {}, epochsRun: 0, steps: 0,
      finalTrainLoss: null, bestDevLoss: null, backend: 'none', kernel: 'none', seconds: 0, trainSamplesPerSecond: 0, status: 'test',
    },
  });
}

/** A bundle with random weights (scaled up so the dynamics are not trivial), exported to ONNX. */
export async function randomBundle(spec: ModelSpec, seed = 1, gain = 2, unroll = 8, inputScale = 0.1): Promise<{ dir: string; weights: Weights }> {
  const layout = featureLayout(spec.featureSet, PHONE_SETS[spec.phoneSet].phones.length);
  const weights = initWeights(spec, layout, new Rng(seed));
  for (const w of weights.values()) for (let i = 0; i < w.length; i++) w[i] = w[i]! * gain;
  const dir = tempDir('synth-bundle-');
  await writeBundle(dir, manifestFor(spec, inputScale, spec.head === 'mse' ? 0.3 : null), weights, parameterShapes(spec, layout));
  await exportBundle(dir, { unroll });
  return { dir, weights };
}
