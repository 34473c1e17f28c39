import { TrainingError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { UtteranceRef } from '../../data/corpus/corpus-types.js';
import { loadUtterance } from '../../data/corpus/load-utterance.js';
import { ACOUSTIC_HOP_SAMPLES, ACOUSTIC_WIDTH, measureAcousticFrames } from '../../data/features/acoustic-frames.js';
import { frameInputs } from '../../data/features/frame-inputs.js';
import { buildPhoneTrack } from '../../data/features/phone-track.js';
import { mapPhonesToSet } from '../../data/phones/phone-mapping.js';
import type { PhoneSet } from '../../data/phones/phone-sets.js';
import type { Tf } from '../tf-backend.js';
import { frameForward, frameParameterShapes, initFrameWeights, type FrameNetworkSpec } from './frame-model.js';

/** One utterance's frame inputs and measured frame features. */
export interface FrameSequence {
  id: string;
  count: number;
  inputs: Float32Array;
  targets: Float32Array;
}

export interface FrameTrainingConfig {
  spec: Omit<FrameNetworkSpec, 'inputWidth' | 'outputWidth'>;
  epochs: number;
  learningRate: number;
  /** Dropout on the dense layers (probability of dropping). */
  dropout: number;
  /** L2 penalty on the weight matrices. */
  weightDecay: number;
  seed: number;
  /** Loss weight of each output feature (z-scored units); absent: 1. */
  featureWeights?: readonly number[];
}

export const DEFAULT_FRAME_TRAINING: FrameTrainingConfig = {
  spec: { hidden: 256, convChannels: 128, convWidth: 9 },
  epochs: 60,
  learningRate: 1e-3,
  dropout: 0.1,
  weightDecay: 1e-5,
  seed: 1,
};

export interface FrameTrainingResult {
  spec: FrameNetworkSpec;
  weights: Map<string, Float32Array>;
  /** Per-feature mean and standard deviation of the training targets (the network predicts z-scores). */
  targetMean: Float32Array;
  targetStd: Float32Array;
  epochsRun: number;
  bestEpoch: number;
  trainLoss: number;
  devLoss: number | null;
  seconds: number;
}

/** Read utterances into frame sequences (inputs from the labels, targets measured on the recording). */
export async function loadFrameSequences(refs: readonly UtteranceRef[], set: PhoneSet, sampleRateHz: number): Promise<{ sequences: FrameSequence[]; skipped: Array<{ id: string; reason: string }> }> {
  const sequences: FrameSequence[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  for (const ref of refs) {
    try {
      const utt = await loadUtterance(ref, { sampleRateHz });
      const mapped = mapPhonesToSet(utt.segments, set, { path: ref.labelPath });
      const track = buildPhoneTrack(mapped.segments, set, utt.sampleRateHz);
      const frames = measureAcousticFrames(utt.samples, utt.sampleRateHz);
      sequences.push({ id: ref.id, count: frames.count, inputs: frameInputs(track, set, ACOUSTIC_HOP_SAMPLES, 0, frames.count), targets: frames.values });
    } catch (error) {
      skipped.push({ id: ref.id, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { sequences, skipped };
}

/** Mean and standard deviation of every target column over all frames. */
export function targetStatistics(sequences: readonly FrameSequence[], width = ACOUSTIC_WIDTH): { mean: Float32Array; std: Float32Array } {
  const sum = new Float64Array(width);
  const squares = new Float64Array(width);
  let n = 0;
  for (const s of sequences) {
    for (let i = 0; i < s.count; i++) {
      for (let c = 0; c < width; c++) {
        const v = s.targets[i * width + c] as number;
        sum[c] = (sum[c] as number) + v;
        squares[c] = (squares[c] as number) + v * v;
      }
    }
    n += s.count;
  }
  const mean = new Float32Array(width);
  const std = new Float32Array(width);
  for (let c = 0; c < width; c++) {
    mean[c] = (sum[c] as number) / Math.max(1, n);
    std[c] = Math.sqrt(Math.max(1e-8, (squares[c] as number) / Math.max(1, n) - (mean[c] as number) ** 2));
  }
  return { mean, std };
}

/** The training loss (weighted mean squared error of the z-scored features, no dropout) of a trained network on sequences, per frame. */
export function frameLoss(tf: Tf, result: FrameTrainingResult, sequences: readonly FrameSequence[], featureWeights?: readonly number[]): number | null {
  if (sequences.length === 0) return null;
  const { spec } = result;
  const shapes = new Map(frameParameterShapes(spec).map((p) => [p.name, p.shape]));
  return tf.tidy(() => {
    const variables = new Map([...result.weights].map(([name, values]) => [name, tf.tensor(values, shapes.get(name))] as const));
    const weights = tf.tensor1d(Float32Array.from({ length: spec.outputWidth }, (_, c) => featureWeights?.[c] ?? 1));
    let total = 0;
    let frames = 0;
    for (const s of sequences) {
      const y = tf.div(tf.sub(tf.tensor2d(s.targets, [s.count, spec.outputWidth]), tf.tensor1d(result.targetMean)), tf.tensor1d(result.targetStd));
      const predicted = frameForward(tf, variables, tf.tensor2d(s.inputs, [s.count, spec.inputWidth]));
      total += (tf.mean(tf.mul(tf.square(tf.sub(predicted, y)), weights)).dataSync()[0] as number) * s.count;
      frames += s.count;
    }
    return total / frames;
  });
}

export interface FrameTrainingCallbacks {
  onEpoch?(info: { epoch: number; epochs: number; trainLoss: number; devLoss: number | null; seconds: number }): void;
}

/**
 * Train the frame network: one utterance per step (sequences differ in length), Adam, dropout and a small
 * L2 penalty, the weights of the epoch with the lowest dev loss kept. Loss: weighted mean squared error of
 * the z-scored features.
 */
export async function trainFrameNetwork(tf: Tf, train: readonly FrameSequence[], dev: readonly FrameSequence[], config: FrameTrainingConfig, callbacks: FrameTrainingCallbacks = {}): Promise<FrameTrainingResult> {
  if (train.length === 0) throw new TrainingError({ code: 'E_DATA_NONE', message: 'no training utterances for the frame network' });
  const inputWidth = (train[0] as FrameSequence).inputs.length / (train[0] as FrameSequence).count;
  const outputWidth = ACOUSTIC_WIDTH;
  const spec: FrameNetworkSpec = { ...config.spec, inputWidth, outputWidth };
  const { mean, std } = targetStatistics(train, outputWidth);
  const rng = new Rng(config.seed);
  const init = initFrameWeights(spec, rng);
  const shapes = new Map(frameParameterShapes(spec).map((p) => [p.name, p.shape]));
  const variables = new Map([...init].map(([name, values]) => [name, tf.variable(tf.tensor(values, shapes.get(name)))] as const));
  const lossWeights = tf.tensor1d(Float32Array.from({ length: outputWidth }, (_, c) => config.featureWeights?.[c] ?? 1));
  const meanT = tf.tensor1d(mean);
  const stdT = tf.tensor1d(std);
  const optimizer = tf.train.adam(config.learningRate);
  const tensorsOf = (s: FrameSequence): { x: import('@tensorflow/tfjs').Tensor2D; y: import('@tensorflow/tfjs').Tensor2D } => ({
    x: tf.tensor2d(s.inputs, [s.count, inputWidth]),
    y: tf.tidy(() => tf.div(tf.sub(tf.tensor2d(s.targets, [s.count, outputWidth]), meanT), stdT) as import('@tensorflow/tfjs').Tensor2D),
  });
  const trainTensors = train.map(tensorsOf);
  const devTensors = dev.map(tensorsOf);
  const lossOf = (x: import('@tensorflow/tfjs').Tensor2D, y: import('@tensorflow/tfjs').Tensor2D, keep: number): import('@tensorflow/tfjs').Scalar =>
    tf.mean(tf.mul(tf.square(tf.sub(frameForward(tf, variables, x, keep), y)), lossWeights)) as import('@tensorflow/tfjs').Scalar;
  const evaluate = (set: typeof devTensors): number | null => {
    if (set.length === 0) return null;
    let total = 0;
    let frames = 0;
    for (const { x, y } of set) {
      const l = tf.tidy(() => lossOf(x, y, 1));
      total += (l.dataSync()[0] as number) * (x.shape[0] as number);
      frames += x.shape[0] as number;
      l.dispose();
    }
    return total / frames;
  };
  const began = performance.now();
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: new Map<string, Float32Array>() };
  let trainLoss = Number.NaN;
  let devLoss: number | null = null;
  const order = train.map((_, i) => i);
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const shuffled = rng.shuffle(order);
      let sum = 0;
      for (const i of shuffled) {
        const { x, y } = trainTensors[i] as (typeof trainTensors)[number];
        const cost = optimizer.minimize(() => {
          const data = lossOf(x, y, 1 - config.dropout);
          if (config.weightDecay <= 0) return data;
          const penalty = [...variables].filter(([n]) => n.endsWith('.w')).reduce((acc, [, v]) => tf.add(acc, tf.sum(tf.square(v))), tf.scalar(0));
          return tf.add(data, tf.mul(penalty, config.weightDecay)) as import('@tensorflow/tfjs').Scalar;
        }, true);
        sum += (cost as import('@tensorflow/tfjs').Scalar).dataSync()[0] as number;
        cost?.dispose();
      }
      trainLoss = sum / shuffled.length;
      devLoss = evaluate(devTensors);
      const score = devLoss ?? trainLoss;
      if (score < best.loss) best = { loss: score, epoch, weights: new Map([...variables].map(([n, v]) => [n, v.dataSync().slice() as Float32Array])) };
      callbacks.onEpoch?.({ epoch, epochs: config.epochs, trainLoss, devLoss, seconds: (performance.now() - began) / 1000 });
      if (!Number.isFinite(trainLoss)) throw new TrainingError({ code: 'E_DIVERGED', message: `the frame network's loss is ${trainLoss} at epoch ${epoch}`, hint: 'lower the learning rate' });
    }
  } finally {
    for (const t of [...trainTensors, ...devTensors]) {
      t.x.dispose();
      t.y.dispose();
    }
    for (const v of variables.values()) v.dispose();
    lossWeights.dispose();
    meanT.dispose();
    stdT.dispose();
    optimizer.dispose();
  }
  return { spec, weights: best.weights, targetMean: mean, targetStd: std, epochsRun: config.epochs, bestEpoch: best.epoch, trainLoss, devLoss: best.loss, seconds: (performance.now() - began) / 1000 };
}
