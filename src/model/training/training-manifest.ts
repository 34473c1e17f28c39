import { BUNDLE_FORMAT, BUNDLE_VERSION, type ManifestTraining, type ModelManifest } from '../../core/manifest.js';
import { DURATION_SCALE_PER_SECOND, featureLayout, featureWidth, usesRecording } from '../../data/features/feature-layout.js';
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
    },
    normalization: { inputScale: inputs.inputScale },
    sampling: { sigma: inputs.sigma },
    training: inputs.training,
    weights: { manifest: 'weights.json', format: 'tfjs-weights' },
  };
}
