import type { ProsodyExtractor } from './prosody.js';

/**
 * What a model sees besides its sample window, for the sample it predicts:
 * - `seed`: the one-hot phone (the 2014 input);
 * - `rich`: also the position within the phone (0..1), the phone's duration, and the previous and next phones;
 * - `prosody`: `rich` plus log F0 and voicing taken from the recording by a pitch tracker;
 * - `prosody-energy`: `prosody` plus the recording's frame energy (loudness, the third prosodic cue).
 * Categorical parts are one-hot in the ONNX graphs and embedding rows in training (the same product).
 */
export type FeatureSetName = 'seed' | 'rich' | 'prosody' | 'prosody-energy';
export const FEATURE_SET_NAMES: readonly FeatureSetName[] = ['seed', 'rich', 'prosody', 'prosody-energy'];

/** Dense features taken from the recording (by the pitch tracker and the frame energy). */
export const RECORDING_FEATURES: readonly DenseFeature[] = ['log_f0', 'voicing', 'log_energy'];

/** Feature sets whose values come from the recording (F0, voicing, energy), so synthesis needs it. */
export function usesRecording(featureSet: string): boolean {
  return (FEATURE_SET_NAMES as readonly string[]).includes(featureSet) && featureLayout(featureSet as FeatureSetName, 1).dense.some((d) => RECORDING_FEATURES.includes(d));
}

/** The pitch tracker a feature set needs, or undefined; its module (and `pitchfinder`) loads only then. */
export async function prosodyExtractorFor(featureSet: string, sampleRateHz = 16000): Promise<ProsodyExtractor | undefined> {
  return usesRecording(featureSet) ? (await import('./prosody.js')).createProsodyExtractor(sampleRateHz) : undefined;
}

export type CategoricalSlot = 'phone' | 'prev' | 'next';
export type DenseFeature = 'position' | 'duration' | 'log_f0' | 'voicing' | 'log_energy';

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
  }
}

/** Width of the one-hot block (all categorical slots). */
export function oneHotWidth(layout: FeatureLayout): number {
  return layout.slots.length * layout.phoneCount;
}

/** Width of the dense feature vector the ONNX graphs take: one-hots, then dense features. */
export function featureWidth(layout: FeatureLayout): number {
  return oneHotWidth(layout) + layout.dense.length;
}

/** Phone durations enter as seconds times this (a 100 ms phone is 1.0). */
export const DURATION_SCALE_PER_SECOND = 10;
