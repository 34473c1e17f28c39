import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { ACOUSTIC_WIDTH } from '../../src/data/features/acoustic-frames.js';
import { frameInputWidth } from '../../src/data/features/frame-inputs.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';
import { exportBundle } from '../../src/export/export-bundle.js';
import { readManifestFile } from '../../src/export/read-bundle-weights.js';
import { writeTextModels } from '../../src/export/text-models.js';
import { initFrameWeights, type FrameNetworkSpec } from '../../src/model/frame/frame-model.js';
import { writeFrameNetwork } from '../../src/model/frame/frame-bundle-writer.js';
import { durationInputWidth } from '../../src/text/duration-features.js';
import { PAUSE_FEATURES } from '../../src/text/pause-features.js';
import { randomBundle } from './bundles.js';
import { writeToneUtterance } from './fixtures.js';

/** A small dense layer with seeded weights. */
function layer(rng: Rng, inputs: number, outputs: number, activation: 'tanh' | 'sigmoid' | 'linear', scale = 0.1): { w: Float32Array; b: Float32Array; inputs: number; outputs: number; activation: typeof activation } {
  return { w: Float32Array.from({ length: inputs * outputs }, () => scale * rng.normal()), b: new Float32Array(outputs), inputs, outputs, activation };
}

/**
 * A complete vocoder bundle with random weights (small and fast): the sample network, a frame network,
 * duration and pause models, and demo/ with two tone "utterances" (one with its recording). Enough to run
 * every path end to end (synth --text, synth serve, the page) without the trained model.
 */
export async function vocoderFixture(): Promise<string> {
  const { dir } = await randomBundle({ cell: 'gru', hidden: 16, layers: 1, head: 'mulaw', k: 8, featureSet: 'acoustic', phoneSet: 'radio', sampleRateHz: 16000, levels: 256, preEmphasis: 0.85 }, 7, 0.3);
  const set = PHONE_SETS.radio;
  const spec: FrameNetworkSpec = { inputWidth: frameInputWidth(set.phones.length), hidden: 16, convChannels: 8, convWidth: 3, outputWidth: ACOUSTIC_WIDTH };
  // Frames near ARCTIC's means (c0 about -10.7, log F0 about 0.6): audible, stable speech-like output.
  const mean = Float32Array.from({ length: ACOUSTIC_WIDTH }, (_, c) => (c === 0 ? -10.7 : c === ACOUSTIC_WIDTH - 2 ? 0.6 : c === ACOUSTIC_WIDTH - 1 ? 0.6 : 0));
  const std = new Float32Array(ACOUSTIC_WIDTH).fill(0.3);
  await writeFrameNetwork(dir, readManifestFile(dir), { spec, weights: initFrameWeights(spec, new Rng(3)), targetMean: mean, targetStd: std, epochsRun: 0, bestEpoch: 0, trainLoss: 0, devLoss: null, seconds: 0 }, 'radio', { data: '', utterances: [], validUtterances: [], config: {}, backend: 'none' });
  const rng = new Rng(4);
  await writeTextModels(dir, readManifestFile(dir), {
    phoneSet: 'radio',
    duration: [layer(rng, durationInputWidth(set.phones.length), 8, 'tanh'), layer(rng, 8, 1, 'linear')],
    pause: [layer(rng, PAUSE_FEATURES.length, 1, 'sigmoid')],
    training: { fixture: true },
  });
  await exportBundle(dir);
  mkdirSync(join(dir, 'demo'), { recursive: true });
  writeToneUtterance(join(dir, 'demo'), 'tones', [['pau', 1600], ['aa', 4800], ['s', 3200], ['iy', 4800], ['pau', 1600]]);
  return dir;
}
