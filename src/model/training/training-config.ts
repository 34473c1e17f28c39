import { UsageError } from '../../core/errors.js';
import { isAcoustic } from '../../data/features/feature-layout.js';
import type { ModelSpec } from '../model-spec.js';

export type LrSchedule = 'constant' | 'cosine';
export type KernelChoice = 'auto' | 'fused' | 'tfjs';
export type BadUtterancePolicy = 'skip' | 'stop';

/** Everything `synth train` takes (the model spec's fields and the training's); defaults below, presets on top. */
export interface TrainingConfig extends Omit<ModelSpec, 'levels' | 'preEmphasis'> {
  data: string;
  /** More corpora whose utterances are added to the training split (other speakers). */
  extraData?: string[];
  /** Utterance id prefixes left out of the extra corpora (a held-out speaker). */
  exclude?: string[];
  utterances: string[];
  devFraction: number;
  out: string;
  epochs: number;
  batch: number;
  steps: number;
  learningRate: number;
  lrSchedule: LrSchedule;
  warmupSteps: number;
  /** Clip the global gradient norm to this; 0 = off. */
  clipNorm: number;
  weightDecay: number;
  dropout: number;
  /** Std of Gaussian noise on input samples, in units of the signal RMS. */
  inputNoise: number;
  /** Acoustic models: noise in the signal the network reads, std in mu-law levels (LPCNet's noise injection). */
  signalNoise: number;
  /** Probability that an input sample is the model's own teacher-forced prediction (parallel scheduled sampling). */
  scheduledSampling: number;
  /** Pre-emphasis coefficient of the modelled signal (0 = off). */
  preEmphasis: number;
  /** Stop when the dev loss has not improved for this many evaluations; 0 = off. */
  patience: number;
  /** Evaluate (and log) every this many steps; 0 = once per epoch. */
  evalEvery: number;
  checkpointEvery: number;
  maxMinutes: number;
  seed: number;
  kernel: KernelChoice;
  /** Worker threads for the fused kernel (data parallel over the B streams); 0 = one per core, up to 2. */
  threads: number;
  onBadUtterance: BadUtterancePolicy;
  preset?: string;
}

export const DEFAULT_TRAINING: Omit<TrainingConfig, 'data' | 'out'> = {
  utterances: [],
  devFraction: 0.1,
  cell: 'gru',
  hidden: 128,
  layers: 1,
  head: 'mulaw',
  k: 40,
  featureSet: 'rich',
  phoneSet: 'radio',
  sampleRateHz: 16000,
  epochs: 10,
  batch: 64,
  steps: 100,
  learningRate: 1e-3,
  lrSchedule: 'cosine',
  warmupSteps: 50,
  clipNorm: 1,
  weightDecay: 0,
  dropout: 0,
  inputNoise: 0,
  signalNoise: 0,
  scheduledSampling: 0,
  preEmphasis: 0,
  patience: 0,
  evalEvery: 0,
  checkpointEvery: 500,
  maxMinutes: 0,
  seed: 1,
  kernel: 'auto',
  threads: 0,
  onBadUtterance: 'skip',
};

/**
 * Named setups. `2014` is the original experiment exactly: a tanh RNN of 100 units over the 40 previous
 * samples and the one-hot phone, linear output, MSE, no clipping, no regularization.
 */
export const TRAINING_PRESETS: Readonly<Record<string, Partial<TrainingConfig>>> = {
  '2014': {
    cell: 'rnn', hidden: 100, layers: 1, head: 'mse', k: 40, featureSet: 'seed', batch: 64, steps: 100,
    learningRate: 3e-3, lrSchedule: 'constant', warmupSteps: 0, clipNorm: 0, weightDecay: 0, dropout: 0,
    inputNoise: 0, scheduledSampling: 0, preEmphasis: 0, epochs: 200, devFraction: 0,
  },
  /**
   * The shipped default model's sample network (see README): a GRU-128 predicting the mu-law excitation of
   * the frames' linear predictor, with pitch taps, over the pre-emphasized signal, with LPCNet's noise
   * injection. The README adds `--add-data` (TIMIT speakers) to it; its frame network and text front end are
   * trained by train-frames and train-text.
   */
  default: {
    cell: 'gru', hidden: 128, layers: 1, head: 'mulaw', k: 40, featureSet: 'acoustic', preEmphasis: 0.85, signalNoise: 1.5,
    batch: 64, steps: 100, learningRate: 1e-3, lrSchedule: 'cosine', warmupSteps: 50, clipNorm: 1, epochs: 30,
  },
  /** The previous default (README, "How the previous default was chosen"): phones plus the recording's F0, voicing and energy. */
  prosody: {
    cell: 'gru', hidden: 128, layers: 1, head: 'mulaw', k: 40, featureSet: 'prosody-energy', preEmphasis: 0.85,
    batch: 64, steps: 100, learningRate: 1e-3, lrSchedule: 'cosine', warmupSteps: 50, clipNorm: 1, epochs: 24,
  },
  /**
   * The best setup found for the one-utterance experiment (README): the default model's network, trained
   * like the 2014 preset (constant rate, no dev split) but with clipping and scheduled sampling, which is
   * what keeps the free-running level within 3 dB of the recording.
   */
  'best-overfit': {
    cell: 'gru', hidden: 128, layers: 1, head: 'mulaw', k: 40, featureSet: 'prosody-energy', preEmphasis: 0.85,
    batch: 64, steps: 100, learningRate: 2e-3, lrSchedule: 'constant', warmupSteps: 0, clipNorm: 1, weightDecay: 0,
    dropout: 0, inputNoise: 0, scheduledSampling: 0.2, epochs: 200, devFraction: 0,
  },
};

export function validateTrainingConfig(c: TrainingConfig): void {
  const check = (ok: boolean, flag: string, message: string): void => {
    if (!ok) throw new UsageError({ code: 'E_OPTION_RANGE', where: flag, message });
  };
  check(Number.isInteger(c.epochs) && c.epochs >= 1, '--epochs', `got ${c.epochs}, allowed an integer >= 1`);
  check(Number.isInteger(c.batch) && c.batch >= 1 && c.batch <= 4096, '--batch', `got ${c.batch}, allowed an integer in [1, 4096]`);
  check(Number.isInteger(c.steps) && c.steps >= 1 && c.steps <= 10000, '--bptt', `got ${c.steps}, allowed an integer in [1, 10000]`);
  check(c.learningRate > 0 && c.learningRate < 1, '--lr', `got ${c.learningRate}, allowed (0, 1)`);
  check(c.clipNorm >= 0, '--clip', `got ${c.clipNorm}, allowed >= 0 (0 = off)`);
  check(c.weightDecay >= 0 && c.weightDecay < 1, '--weight-decay', `got ${c.weightDecay}, allowed [0, 1)`);
  check(c.dropout >= 0 && c.dropout < 1, '--dropout', `got ${c.dropout}, allowed [0, 1)`);
  check(c.inputNoise >= 0 && c.inputNoise <= 10, '--input-noise', `got ${c.inputNoise}, allowed [0, 10]`);
  check(c.signalNoise >= 0 && c.signalNoise <= 16, '--signal-noise', `got ${c.signalNoise}, allowed [0, 16] mu-law levels`);
  check(c.scheduledSampling >= 0 && c.scheduledSampling <= 1, '--scheduled-sampling', `got ${c.scheduledSampling}, allowed [0, 1]`);
  // Scheduled sampling replaces window samples only; the pitch taps and the prediction would still read the recording.
  check(c.scheduledSampling === 0 || !isAcoustic(c.featureSet), '--scheduled-sampling', `got ${c.scheduledSampling}; feature set ${c.featureSet} computes inputs from the signal itself, so only 0 is allowed`);
  check(c.devFraction >= 0 && c.devFraction < 1, '--dev-fraction', `got ${c.devFraction}, allowed [0, 1)`);
  check(Number.isInteger(c.patience) && c.patience >= 0, '--patience', `got ${c.patience}, allowed an integer >= 0`);
  check(Number.isInteger(c.checkpointEvery) && c.checkpointEvery >= 1, '--checkpoint-every', `got ${c.checkpointEvery}, allowed an integer >= 1`);
  check(c.maxMinutes >= 0, '--max-minutes', `got ${c.maxMinutes}, allowed >= 0 (0 = no limit)`);
  check(Number.isInteger(c.seed), '--seed', `got ${c.seed}, allowed an integer`);
  check(Number.isInteger(c.threads) && c.threads >= 0 && c.threads <= 64, '--threads', `got ${c.threads}, allowed an integer in [0, 64] (0 = one per core)`);
}
