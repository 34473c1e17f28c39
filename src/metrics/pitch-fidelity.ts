import { pitchContour, type PitchContour } from '../dsp/yin.js';

/** The pitch figures of ../shared/METRICS.md for one utterance, over the samples after the seed. */
export interface PitchReport {
  f0_rmse_hz: number;
  f0_corr: number;
  vuv_error_pct: number;
  /** Frames compared, and those voiced in both (the F0 figures' support). */
  frames: number;
  bothVoiced: number;
}

/**
 * f0_rmse_hz, f0_corr and vuv_error_pct: both signals tracked by the same YIN (frames every 5 ms), the F0
 * figures over frames voiced in both, the voicing error over all frames. NaN where there is no support.
 */
export function pitchFidelity(truth: Float32Array, generated: Float32Array, seedSamples: number, sampleRateHz = 16000): PitchReport {
  const length = Math.min(truth.length, generated.length);
  const seed = Math.min(seedSamples, length);
  return compareContours(pitchContour(truth.subarray(seed, length), sampleRateHz), pitchContour(generated.subarray(seed, length), sampleRateHz));
}

/** Compare two contours frame by frame (the shorter one sets the length). */
export function compareContours(truth: PitchContour, generated: PitchContour): PitchReport {
  const n = Math.min(truth.f0Hz.length, generated.f0Hz.length);
  let disagree = 0;
  const a: number[] = [];
  const b: number[] = [];
  for (let t = 0; t < n; t++) {
    const vx = truth.voiced[t] === 1;
    const vy = generated.voiced[t] === 1;
    if (vx !== vy) disagree++;
    if (vx && vy) {
      a.push(truth.f0Hz[t] as number);
      b.push(generated.f0Hz[t] as number);
    }
  }
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += ((b[i] as number) - (a[i] as number)) ** 2;
  return {
    f0_rmse_hz: a.length > 0 ? Math.sqrt(squared / a.length) : Number.NaN,
    f0_corr: pearson(a, b),
    vuv_error_pct: n > 0 ? (100 * disagree) / n : Number.NaN,
    frames: n,
    bothVoiced: a.length,
  };
}

/** Pearson correlation; NaN with fewer than two points or no variance. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}
