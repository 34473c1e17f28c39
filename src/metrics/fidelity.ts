import { meanSquare } from '../dsp/window.js';
import { logSpectralDistanceDb, melDistanceDb, SILENT_MEAN_SQUARE } from './spectral-frames.js';

/** Every fidelity figure of ../shared/METRICS.md, over the samples after the seed. */
export interface FidelityReport {
  mode: 'teacher-forced' | 'free-running';
  samples: number;
  seedSamples: number;
  nmse: number;
  snr_db: number;
  seg_snr_db: number;
  lsd_db: number;
  mel_dist_db: number;
  level_err_db: number;
  drift_horizon: number;
  nonfinite: number;
  clipped: number;
}

export const SEG_FRAME = 320;
export const SEG_SNR_MIN_DB = -10;
export const SEG_SNR_MAX_DB = 35;
export const DRIFT_HOP = 160;
export const DRIFT_SNR_DB = 3;

/** A phone segment in samples, for level_err_db. */
export interface SampleRange {
  startSample: number;
  endSample: number;
}

export function nmse(truth: Float32Array, generated: Float32Array): number {
  let err = 0;
  let energy = 0;
  for (let i = 0; i < truth.length; i++) {
    const x = truth[i] as number;
    err += ((generated[i] as number) - x) ** 2;
    energy += x * x;
  }
  return energy > 0 ? err / energy : Number.NaN;
}

/**
 * SNR of one frame in dB (35 when the error is 0), not clamped. `generatedStart` is where the same frame
 * starts in `generated` (a streaming caller keeps only a window of it).
 */
export function frameSnrDb(truth: Float32Array, generated: Float32Array, start: number, length: number, generatedStart = start): number {
  let err = 0;
  let energy = 0;
  const shift = generatedStart - start;
  for (let i = start; i < start + length; i++) {
    const x = truth[i] as number;
    err += ((generated[i + shift] as number) - x) ** 2;
    energy += x * x;
  }
  if (err === 0) return SEG_SNR_MAX_DB;
  return 10 * Math.log10(energy / err);
}

export function segmentalSnrDb(truth: Float32Array, generated: Float32Array): number {
  let sum = 0;
  let count = 0;
  for (let start = 0; start + SEG_FRAME <= truth.length; start += SEG_FRAME) {
    if (meanSquare(truth, start, SEG_FRAME) < SILENT_MEAN_SQUARE) continue;
    sum += Math.min(SEG_SNR_MAX_DB, Math.max(SEG_SNR_MIN_DB, frameSnrDb(truth, generated, start, SEG_FRAME)));
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

const rms = (s: Float32Array, start: number, end: number): number => (end > start ? Math.sqrt(meanSquare(s, start, end - start)) : 0);

/** level_err_db: mean over phone segments of |20 log10((rms(y)+1e-6)/(rms(x)+1e-6))|; ranges in after-seed samples. */
export function levelErrorDb(truth: Float32Array, generated: Float32Array, segments: readonly SampleRange[]): number {
  let sum = 0;
  let count = 0;
  for (const seg of segments) {
    const start = Math.max(0, seg.startSample);
    const end = Math.min(truth.length, seg.endSample);
    if (end <= start) continue;
    sum += Math.abs(20 * Math.log10((rms(generated, start, end) + 1e-6) / (rms(truth, start, end) + 1e-6)));
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** drift_horizon: start of the first non-silent 320-sample window (hop 160) with SNR below 3 dB; else the length. */
export function driftHorizon(truth: Float32Array, generated: Float32Array): number {
  for (let start = 0; start + SEG_FRAME <= truth.length; start += DRIFT_HOP) {
    if (meanSquare(truth, start, SEG_FRAME) <= SILENT_MEAN_SQUARE) continue;
    if (frameSnrDb(truth, generated, start, SEG_FRAME) < DRIFT_SNR_DB) return start;
  }
  return truth.length;
}

export interface FidelityInput {
  truth: Float32Array;
  generated: Float32Array;
  seedSamples: number;
  /** Phone segments in absolute samples (they are shifted to after-seed positions here). */
  segments: readonly SampleRange[];
  mode: FidelityReport['mode'];
  nonfinite?: number;
  clipped?: number;
  sampleRateHz?: number;
}

/** All fidelity figures of METRICS.md for one utterance. */
export function fidelity(input: FidelityInput): FidelityReport {
  const length = Math.min(input.truth.length, input.generated.length);
  const seed = Math.min(input.seedSamples, length);
  const x = input.truth.subarray(seed, length);
  const y = input.generated.subarray(seed, length);
  const e = nmse(x, y);
  return {
    mode: input.mode,
    samples: x.length,
    seedSamples: seed,
    nmse: e,
    snr_db: -10 * Math.log10(e),
    seg_snr_db: segmentalSnrDb(x, y),
    lsd_db: logSpectralDistanceDb(x, y),
    mel_dist_db: melDistanceDb(x, y, input.sampleRateHz ?? 16000),
    level_err_db: levelErrorDb(x, y, input.segments.map((s) => ({ startSample: s.startSample - seed, endSample: s.endSample - seed }))),
    drift_horizon: driftHorizon(x, y),
    nonfinite: input.nonfinite ?? 0,
    clipped: input.clipped ?? 0,
  };
}
