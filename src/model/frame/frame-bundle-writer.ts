import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { ManifestFrameNetwork, ModelManifest } from '../../core/manifest.js';
import { ACOUSTIC_HOP_SAMPLES } from '../../data/features/acoustic-frames.js';
import type { PhoneSetName } from '../../data/phones/phone-sets.js';
import { encodeTfjsWeights } from '../bundle-writer.js';
import type { ParameterShape } from '../model-spec.js';
import { frameParameterShapes } from './frame-model.js';
import type { FrameTrainingResult } from './train-frame-network.js';

export const FRAME_WEIGHTS_MANIFEST_FILE = 'frame-weights.json';
export const FRAME_WEIGHTS_DATA_FILE = 'frame-weights.bin';

/**
 * Add a trained frame network to a bundle: its weights (tfjs format, beside the sample network's) and the
 * `frame` section of manifest.json (export then writes frame.onnx from them). Each file is written atomically.
 */
export async function writeFrameNetwork(
  dir: string,
  manifest: ModelManifest,
  result: FrameTrainingResult,
  phoneSet: PhoneSetName,
  training: Omit<ManifestFrameNetwork['training'], 'epochsRun' | 'bestEpoch' | 'trainLoss' | 'devLoss' | 'seconds'>,
): Promise<ModelManifest> {
  const shapes = frameParameterShapes(result.spec) as unknown as ParameterShape[];
  const encoded = encodeTfjsWeights(result.weights, shapes, FRAME_WEIGHTS_DATA_FILE);
  await writeFileAtomic(join(dir, FRAME_WEIGHTS_DATA_FILE), encoded.data);
  await writeFileAtomic(join(dir, FRAME_WEIGHTS_MANIFEST_FILE), `${JSON.stringify(encoded.manifest, null, 1)}\n`);
  const frame: ManifestFrameNetwork = {
    spec: result.spec,
    phoneSet,
    hopSamples: ACOUSTIC_HOP_SAMPLES,
    contextFrames: (result.spec.convWidth - 1) / 2,
    targetMean: Array.from(result.targetMean),
    targetStd: Array.from(result.targetStd),
    weights: { manifest: FRAME_WEIGHTS_MANIFEST_FILE, format: 'tfjs-weights' },
    training: { ...training, epochsRun: result.epochsRun, bestEpoch: result.bestEpoch, trainLoss: result.trainLoss, devLoss: result.devLoss, seconds: result.seconds },
  };
  // A new frame network replaces the old one and its graph: export writes frame.onnx again.
  const updated: ModelManifest = { ...manifest, frame };
  await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(updated, null, 2)}\n`);
  return updated;
}
