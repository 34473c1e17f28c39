import type { ModelManifest } from '../core/manifest.js';
import { isAcoustic, usesRecording } from '../data/features/feature-layout.js';
import { buildPhoneTrack } from '../data/features/phone-track.js';
import { getPhoneSet } from '../data/phones/phone-sets.js';
import type { GenerationPlan } from './generation-plan.js';
import { allocatePredictedFrames } from './prepare-plan.js';

/** Length of the warm-up: a first chunk and a second, shorter one. */
const WARM_UP_SAMPLES = 1600;

/**
 * A 0.1 s plan (the model's silence, then another phone) that runs the whole synthesis path once at load, so
 * that the first real synthesis does not pay for first calls (the JIT, session allocations, the frame
 * network's first run: about 40 ms of first audio here). Undefined for models that need a recording's
 * prosody, which a plan without one cannot feed.
 */
export function warmUpPlan(manifest: ModelManifest): GenerationPlan | undefined {
  const { spec, features } = manifest;
  const acoustic = isAcoustic(spec.featureSet);
  if (!acoustic && usesRecording(spec.featureSet)) return undefined;
  if (acoustic && !manifest.frame?.graph) return undefined;
  const set = getPhoneSet(spec.phoneSet);
  if (!set) return undefined;
  const silence = set.phones.includes(features.silence) ? features.silence : (set.phones[0] as string);
  const other = set.phones.find((p) => p !== silence) ?? silence;
  const half = WARM_UP_SAMPLES / 2;
  const track = buildPhoneTrack([{ startSample: 0, endSample: half, phone: silence }, { startSample: half, endSample: WARM_UP_SAMPLES, phone: other }], set, spec.sampleRateHz);
  if (acoustic) allocatePredictedFrames(track, WARM_UP_SAMPLES);
  return { lengthSamples: WARM_UP_SAMPLES, seed: new Float32Array(0), track, ...(acoustic ? { framesFromNetwork: true } : {}) };
}
