import type { DenseLayer } from '../../core/text-network-weights.js';
import { Rng } from '../../core/rng.js';
import type { UtteranceRef } from '../../data/corpus/corpus-types.js';
import { readLabelFile } from '../../data/labels/read-labels.js';
import { mapPhonesToSet } from '../../data/phones/phone-mapping.js';
import type { PhoneSet } from '../../data/phones/phone-sets.js';
import { alignTextToLabels } from '../../text/align-labels.js';
import { DURATION_REFERENCE_S, durationInputs, durationInputWidth, isPause } from '../../text/duration-features.js';
import type { Lexicon } from '../../text/lexicon.js';
import type { LetterToSound } from '../../text/lts-model.js';
import { normalizeText } from '../../text/normalize.js';
import { pauseInputs, PAUSE_FEATURES } from '../../text/pause-features.js';
import { phonetizeSentence, type TextPhone } from '../../text/phonetize.js';
import type { Tf } from '../tf-backend.js';
import { mergeMlpEnsemble } from './mlp-ensemble.js';

/** A dense layer of a small network, as the exporter and the runtime read it. */

/** One labelled training sentence: its phones with what the text says about them, their durations, its pauses. */
export interface TextTrainingSentence {
  id: string;
  phones: TextPhone[];
  durationsS: number[];
  pauseInputs: Float32Array;
  pausedAt: boolean[];
}

/** Read prompts and their labels into training sentences (phones mapped onto `set`). */
export async function loadTextTrainingSentences(
  prompts: ReadonlyMap<string, string>, refs: readonly UtteranceRef[], set: PhoneSet, lexicon: Lexicon, lts: LetterToSound | undefined,
): Promise<TextTrainingSentence[]> {
  const out: TextTrainingSentence[] = [];
  for (const ref of refs) {
    const text = prompts.get(ref.id);
    if (text === undefined) continue;
    const labels = await readLabelFile(ref.labelPath, { sampleRateHz: 16000 });
    const mapped = mapPhonesToSet(labels.segments, set, { path: ref.labelPath }).segments;
    const normalized = normalizeText(text, (w) => lexicon.has(w));
    const sentence = normalized.sentences[0];
    if (!sentence) continue;
    // A prompt is one sentence in ARCTIC; join any extra pieces.
    const items = normalized.sentences.flatMap((s) => s.items);
    const phonetized = phonetizeSentence({ source: text, items }, lexicon, lts);
    const aligned = alignTextToLabels(phonetized, mapped.map((s) => s.phone));
    out.push({
      id: ref.id,
      phones: aligned.phones,
      durationsS: mapped.map((s) => (s.endSample - s.startSample) / 16000),
      pauseInputs: pauseInputs(phonetized),
      pausedAt: aligned.pausedAt,
    });
  }
  return out;
}

/** Phones without word knowledge (as from a label file): the duration model learns both cases. */
function withoutWords(phones: readonly TextPhone[]): TextPhone[] {
  return phones.map((p) => (isPause(p.phone) ? p : { phone: p.phone, stress: -2, word: -1, position: 'unknown' }));
}

function rows(sentences: readonly TextTrainingSentence[], set: PhoneSet, both: boolean): { x: Float32Array; y: Float32Array; count: number; interior: Uint8Array } {
  const width = durationInputWidth(set.phones.length);
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  const interior: number[] = [];
  for (const s of sentences) {
    for (const phones of both ? [s.phones, withoutWords(s.phones)] : [s.phones]) {
      xs.push(durationInputs(phones, set.phones));
      s.durationsS.forEach((d, i) => {
        ys.push(Math.log(Math.max(d, 0.005) / DURATION_REFERENCE_S));
        interior.push(i > 0 && i < s.durationsS.length - 1 ? 1 : 0);
      });
    }
  }
  const x = new Float32Array(ys.length * width);
  let at = 0;
  for (const part of xs) {
    x.set(part, at);
    at += part.length;
  }
  return { x, y: Float32Array.from(ys), count: ys.length, interior: Uint8Array.from(interior) };
}

async function fitMlp(
  tf: Tf, inputs: number, sizes: readonly number[], activations: readonly DenseLayer['activation'][], train: { x: Float32Array; y: Float32Array; count: number; weight?: Float32Array },
  valid: { x: Float32Array; y: Float32Array; count: number; weight?: Float32Array } | undefined, options: { epochs: number; learningRate: number; seed: number; loss: 'mse' | 'logistic'; weightDecay: number },
): Promise<DenseLayer[]> {
  const rng = new Rng(options.seed);
  let width = inputs;
  const vars = sizes.map((size) => {
    const bound = Math.sqrt(6 / (width + size));
    const w = tf.variable(tf.tensor2d(Float32Array.from({ length: width * size }, () => (2 * rng.uniform() - 1) * bound), [width, size]));
    const b = tf.variable(tf.zeros([size]));
    width = size;
    return { w, b };
  });
  const forward = (x: import('@tensorflow/tfjs').Tensor2D): import('@tensorflow/tfjs').Tensor2D => {
    let h: import('@tensorflow/tfjs').Tensor2D = x;
    vars.forEach((v, l) => {
      const z = tf.add(tf.matMul(h, v.w), v.b) as import('@tensorflow/tfjs').Tensor2D;
      const a = activations[l];
      h = a === 'tanh' ? tf.tanh(z) : a === 'sigmoid' && options.loss !== 'logistic' ? tf.sigmoid(z) : z;
    });
    return h;
  };
  const lossOf = (data: { x: Float32Array; y: Float32Array; count: number; weight?: Float32Array }): import('@tensorflow/tfjs').Scalar =>
    tf.tidy(() => {
      const out = forward(tf.tensor2d(data.x, [data.count, inputs])).reshape([data.count]);
      const y = tf.tensor1d(data.y);
      const per = options.loss === 'mse' ? tf.square(tf.sub(out, y)) : tf.add(tf.relu(out), tf.sub(tf.log1p(tf.exp(tf.neg(tf.abs(out)))), tf.mul(out, y)));
      const weighted = data.weight ? tf.mul(per, tf.tensor1d(data.weight)) : per;
      return tf.div(tf.sum(weighted), data.weight ? Math.max(1e-6, data.weight.reduce((a, b) => a + b, 0)) : data.count) as import('@tensorflow/tfjs').Scalar;
    });
  const optimizer = tf.train.adam(options.learningRate);
  let best = { loss: Number.POSITIVE_INFINITY, layers: [] as DenseLayer[] };
  const snapshot = (): DenseLayer[] => {
    let w = inputs;
    return vars.map((v, l) => {
      const layer: DenseLayer = { w: v.w.dataSync().slice() as Float32Array, b: v.b.dataSync().slice() as Float32Array, inputs: w, outputs: sizes[l] as number, activation: activations[l] as DenseLayer['activation'] };
      w = sizes[l] as number;
      return layer;
    });
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    optimizer.minimize(() => {
      const data = lossOf(train);
      const penalty = vars.reduce((acc, v) => tf.add(acc, tf.sum(tf.square(v.w))), tf.scalar(0));
      return tf.add(data, tf.mul(penalty, options.weightDecay)) as import('@tensorflow/tfjs').Scalar;
    });
    const score = valid ? lossOf(valid) : lossOf(train);
    const value = score.dataSync()[0] as number;
    score.dispose();
    if (value < best.loss) best = { loss: value, layers: snapshot() };
  }
  for (const v of vars) {
    v.w.dispose();
    v.b.dispose();
  }
  optimizer.dispose();
  return best.layers;
}

/** The duration model's shape, chosen on a0041-a0045 (README, "The text front end"). */
export const DURATION_HIDDEN: readonly [number, number] = [64, 32];
export const DURATION_WEIGHT_DECAY = 1e-3;
export const DURATION_ENSEMBLE = 3;

/**
 * The duration model: phone features (duration-features.ts) to log duration, two tanh layers and a linear
 * output, full-batch Adam; every sentence is seen twice, with and without its word knowledge, so the one
 * model serves text and label files. `valid` picks each network's epoch (keep the dev split out of it).
 * `ensemble` networks from consecutive seeds are averaged (merged into one network): on 40 training
 * sentences one network's figures vary with its seed by more than any change of features did.
 */
export async function trainDurationModel(
  tf: Tf, train: readonly TextTrainingSentence[], valid: readonly TextTrainingSentence[], set: PhoneSet,
  options: { epochs?: number; seed?: number; hidden?: readonly [number, number]; weightDecay?: number; ensemble?: number } = {},
): Promise<DenseLayer[]> {
  const inputs = durationInputWidth(set.phones.length);
  const t = rows(train, set, true);
  const v = valid.length > 0 ? rows(valid, set, true) : undefined;
  // Leading and trailing silences are not the speaker's timing: they do not count.
  const weight = (r: ReturnType<typeof rows>): Float32Array => Float32Array.from(r.interior);
  const [h1, h2] = options.hidden ?? DURATION_HIDDEN;
  const seed = options.seed ?? 1;
  const members: DenseLayer[][] = [];
  for (let k = 0; k < (options.ensemble ?? DURATION_ENSEMBLE); k++) {
    members.push(await fitMlp(tf, inputs, [h1, h2, 1], ['tanh', 'tanh', 'linear'], { ...t, weight: weight(t) }, v ? { ...v, weight: weight(v) } : undefined, {
      epochs: options.epochs ?? 400, learningRate: 3e-3, seed: seed + k, loss: 'mse', weightDecay: options.weightDecay ?? DURATION_WEIGHT_DECAY,
    }));
  }
  return members.length === 1 ? (members[0] as DenseLayer[]) : mergeMlpEnsemble(members);
}

/** The pause model: logistic regression over the break features (pause-features.ts). */
export async function trainPauseModel(tf: Tf, train: readonly TextTrainingSentence[], options: { epochs?: number; seed?: number } = {}): Promise<DenseLayer[]> {
  const F = PAUSE_FEATURES.length;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of train) {
    s.pausedAt.forEach((p, r) => {
      for (let f = 0; f < F; f++) xs.push(s.pauseInputs[r * F + f] as number);
      ys.push(p ? 1 : 0);
    });
  }
  return fitMlp(tf, F, [1], ['sigmoid'], { x: Float32Array.from(xs), y: Float32Array.from(ys), count: ys.length }, undefined, {
    epochs: options.epochs ?? 800, learningRate: 0.05, seed: options.seed ?? 1, loss: 'logistic', weightDecay: 1e-3,
  });
}
