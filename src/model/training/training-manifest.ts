import { BUNDLE_FORMAT, BUNDLE_VERSION, type ManifestTraining, type ModelManifest } from '../../core/manifest.js';
import { ACOUSTIC_FEATURE_NAMES, ACOUSTIC_HOP_SAMPLES, ACOUSTIC_INPUT_MEAN, ACOUSTIC_INPUT_SCALE, ACOUSTIC_PRE_EMPHASIS } from '../../data/features/acoustic-frames.js';
import { DURATION_SCALE_PER_SECOND, featureLayout, featureWidth, isAcoustic, predictsExcitation, signalDense, usesRecording, type FeatureLayout } from '../../data/features/feature-layout.js';
import { signalHistorySamples } from '../../data/features/signal-inputs.js';
import { LPC_ORDER } from '../../dsp/lpc.js';
import type { ManifestAcoustic } from '../../core/manifest.js';
import { PHONE_SETS } from '../../data/phones/phone-sets.js';
import type { ModelSpec } from '../model-spec.js';

export interface ManifestInputs {
  spec: ModelSpec;
  inputScale: number;
  /** mse head's sampling sigma (normalized units), or null. */
  sigma: number | null;
  training: ManifestTraining;
  prosodyInfo?: { hopSamples: number; referenceHz: number; tracker: string };
  packageVersion?: string;
}

/** The manifest a trained bundle starts with (export adds its graphs). */
export function buildManifest(inputs: ManifestInputs): ModelManifest {
  const { spec } = inputs;
  const phoneSet = PHONE_SETS[spec.phoneSet];
  const layout = featureLayout(spec.featureSet, phoneSet.phones.length);
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdBy: `sample-rnn-synth ${inputs.packageVersion ?? ''}`.trim(),
    createdAt: new Date().toISOString(),
    spec,
    features: {
      phones: [...phoneSet.phones],
      silence: phoneSet.silence,
      slots: [...layout.slots],
      dense: [...layout.dense],
      width: featureWidth(layout),
      durationScalePerSecond: DURATION_SCALE_PER_SECOND,
      ...(inputs.prosodyInfo && usesRecording(spec.featureSet) ? { prosody: inputs.prosodyInfo } : {}),
      ...(isAcoustic(spec.featureSet) ? { acoustic: acousticManifest(spec.k, layout) } : {}),
    },
    normalization: { inputScale: inputs.inputScale },
    sampling: { sigma: inputs.sigma },
    training: inputs.training,
    weights: { manifest: 'weights.json', format: 'tfjs-weights' },
  };
}

/** The acoustic feature definition a bundle records (so a reader can check it computes the same). */
function acousticManifest(k: number, layout: FeatureLayout): ManifestAcoustic {
  const signal = signalDense(layout);
  return {
    hopSamples: ACOUSTIC_HOP_SAMPLES,
    names: [...ACOUSTIC_FEATURE_NAMES],
    preEmphasis: ACOUSTIC_PRE_EMPHASIS,
    inputMean: [...ACOUSTIC_INPUT_MEAN],
    inputScale: [...ACOUSTIC_INPUT_SCALE],
    signal: [...signal],
    lpcOrder: predictsExcitation(layout) ? LPC_ORDER : 0,
    historySamples: signal.length > 0 ? signalHistorySamples(k) : k,
  };
}
