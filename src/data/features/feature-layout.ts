import { ACOUSTIC_FEATURE_NAMES } from './acoustic-frames.js';
import type { ProsodyExtractor } from './prosody.js';

/**
 * What a model sees besides its sample window, for the sample it predicts:
 * - `seed`: the one-hot phone (the 2014 input);
 * - `rich`: also the position within the phone (0..1), the phone's duration, and the previous and next phones;
 * - `prosody`: `rich` plus log F0 and voicing taken from the recording by a pitch tracker;
 * - `prosody-energy`: `prosody` plus the recording's frame energy (loudness, the third prosodic cue).
 * - `acoustic`: no phones at all: the acoustic frame features (spectral envelope, log F0, periodicity; measured
 *   from a recording or predicted by the frame network), and, computed inside the sample loop from the signal
 *   itself, the linear prediction of the next sample from the frame's envelope (the network predicts the
 *   excitation, LPCNet's split) and three taps one pitch period back (a long-term predictor's input);
 * - `acoustic-taps`: the same without linear prediction (the network predicts the sample);
 * - `acoustic-plain`: the frame features alone.
 * Categorical parts are one-hot in the ONNX graphs and embedding rows in training (the same product).
 */
export type FeatureSetName = 'seed' | 'rich' | 'prosody' | 'prosody-energy' | 'acoustic' | 'acoustic-taps' | 'acoustic-plain';
export const FEATURE_SET_NAMES: readonly FeatureSetName[] = ['seed', 'rich', 'prosody', 'prosody-energy', 'acoustic', 'acoustic-taps', 'acoustic-plain'];

/** Feature sets conditioned on acoustic frame features (a vocoder's input) rather than on phones. */
export function isAcoustic(featureSet: string): boolean {
  return featureSet.startsWith('acoustic');
}

/**
 * Inputs computed from the generated signal inside the sample loop (training reads them off the recording):
 * the frame's linear prediction of the next sample, and the samples one pitch period back (lag L: x[t-L-1],
 * x[t-L], x[t-L+1]).
 */
export const SIGNAL_FEATURES = ['lpc_prediction', 'pitch_tap_early', 'pitch_tap', 'pitch_tap_late'] as const;
export type SignalFeature = (typeof SIGNAL_FEATURES)[number];
export type AcousticFeature = `c${number}` | 'log_f0' | 'periodicity';

/** Dense features taken from the recording (by the pitch tracker and the frame energy). */
export const RECORDING_FEATURES: readonly DenseFeature[] = ['log_f0', 'voicing', 'log_energy'];

/**
 * Feature sets whose values come from the recording's pitch track (F0, voicing, energy), so synthesis needs
 * it. Acoustic sets take their frames from the recording or from the frame network, and are not among them.
 */
export function usesRecording(featureSet: string): boolean {
  return (FEATURE_SET_NAMES as readonly string[]).includes(featureSet) && !isAcoustic(featureSet) && featureLayout(featureSet as FeatureSetName, 1).dense.some((d) => RECORDING_FEATURES.includes(d));
}

/** The pitch tracker a feature set needs, or undefined; its module (and `pitchfinder`) loads only then. */
export async function prosodyExtractorFor(featureSet: string, sampleRateHz = 16000): Promise<ProsodyExtractor | undefined> {
  return usesRecording(featureSet) ? (await import('./prosody.js')).createProsodyExtractor(sampleRateHz) : undefined;
}

export type CategoricalSlot = 'phone' | 'prev' | 'next';
export type DenseFeature = 'position' | 'duration' | 'log_f0' | 'voicing' | 'log_energy' | AcousticFeature | SignalFeature;

export interface FeatureLayout {
  featureSet: FeatureSetName;
  phoneCount: number;
  slots: readonly CategoricalSlot[];
  dense: readonly DenseFeature[];
}

export function featureLayout(featureSet: FeatureSetName, phoneCount: number): FeatureLayout {
  switch (featureSet) {
    case 'seed':
      return { featureSet, phoneCount, slots: ['phone'], dense: [] };
    case 'rich':
      return { featureSet, phoneCount, slots: ['phone', 'prev', 'next'], dense: ['position', 'duration'] };
    case 'prosody':
      return { featureSet, phoneCount, slots: ['phone', 'prev', 'next'], dense: ['position', 'duration', 'log_f0', 'voicing'] };
    case 'prosody-energy':
      return { featureSet, phoneCount, slots: ['phone', 'prev', 'next'], dense: ['position', 'duration', 'log_f0', 'voicing', 'log_energy'] };
    case 'acoustic':
      return { featureSet, phoneCount, slots: [], dense: [...(ACOUSTIC_FEATURE_NAMES as AcousticFeature[]), ...SIGNAL_FEATURES] };
    case 'acoustic-taps':
      return { featureSet, phoneCount, slots: [], dense: [...(ACOUSTIC_FEATURE_NAMES as AcousticFeature[]), ...SIGNAL_FEATURES.slice(1)] };
    case 'acoustic-plain':
      return { featureSet, phoneCount, slots: [], dense: [...(ACOUSTIC_FEATURE_NAMES as AcousticFeature[])] };
  }
}

/** The dense features a graph takes as input rows (the signal features are computed inside the loop). */
export function frameDense(layout: FeatureLayout): DenseFeature[] {
  return layout.dense.filter((d) => !(SIGNAL_FEATURES as readonly string[]).includes(d));
}

/** The signal features of a layout, in their order. */
export function signalDense(layout: FeatureLayout): SignalFeature[] {
  return layout.dense.filter((d): d is SignalFeature => (SIGNAL_FEATURES as readonly string[]).includes(d));
}

/** A layout with linear prediction: the network's softmax is over the excitation x[t] - p[t]. */
export function predictsExcitation(layout: FeatureLayout): boolean {
  return layout.dense.includes('lpc_prediction');
}

/** Width of the one-hot block (all categorical slots). */
export function oneHotWidth(layout: FeatureLayout): number {
  return layout.slots.length * layout.phoneCount;
}

/** Width of the dense feature vector the ONNX graphs take: one-hots, then dense features. */
export function featureWidth(layout: FeatureLayout): number {
  return oneHotWidth(layout) + frameDense(layout).length;
}

/** Phone durations enter as seconds times this (a 100 ms phone is 1.0). */
export const DURATION_SCALE_PER_SECOND = 10;
