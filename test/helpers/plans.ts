import { buildPhoneTrack } from '../../src/data/features/phone-track.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';
import type { GenerationPlan } from '../../src/engine/generation-plan.js';
import { sine } from './fixtures.js';

/** A plan of `length` samples over a few radio phones, seeded from a sine "recording". */
export function tonePlan(length: number, seedSamples: number): GenerationPlan & { segments: Array<{ startSample: number; endSample: number; phone: string }> } {
  const truth = sine(length, 180, 0.3);
  const q = Math.floor(length / 4);
  const segments = [
    { startSample: 0, endSample: q, phone: 'pau' },
    { startSample: q, endSample: 2 * q, phone: 'aa' },
    { startSample: 2 * q, endSample: 3 * q, phone: 's' },
    { startSample: 3 * q, endSample: length, phone: 'iy' },
  ];
  return { lengthSamples: length, seed: truth.slice(0, seedSamples), truth, track: buildPhoneTrack(segments, PHONE_SETS.radio, 16000), segments };
}
