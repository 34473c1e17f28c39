import { frameCount, meanSquare } from '../dsp/window.js';
import { LogMelAnalyzer, MEL_BANDS, MEL_FRAME, melFrameDistance, SILENT_MEAN_SQUARE, SPECTRAL_HOP } from './spectral-frames.js';

/** Log-mel frames (dB, MEL_BANDS each) of a whole signal, as mel_dist_db computes them. */
function logMelFrames(signal: Float32Array, sampleRateHz: number): Float64Array[] {
  const analyzer = new LogMelAnalyzer(sampleRateHz);
  const n = frameCount(signal.length, MEL_FRAME, SPECTRAL_HOP);
  return Array.from({ length: n }, (_, f) => analyzer.analyze(signal, f * SPECTRAL_HOP, new Float64Array(MEL_BANDS)));
}

/**
 * mel_dist_dtw_db of METRICS.md, for audio whose timing differs from the truth: the generated signal is
 * scaled to the truth's RMS (gain-matched), both whole signals become log-mel frames, and dynamic time
 * warping (steps (1,0), (0,1), (1,1), each adding the frame cost) finds the cheapest path from the first
 * frames to the last; the figure is the mean cost over the path cells whose truth frame is not silent.
 */
export function melDistanceDtwDb(truth: Float32Array, generated: Float32Array, sampleRateHz = 16000): number {
  const rms = (s: Float32Array): number => Math.sqrt(meanSquare(s, 0, s.length));
  const gain = rms(generated) > 0 ? rms(truth) / rms(generated) : 1;
  const scaled = Float32Array.from(generated, (v) => v * gain);
  const a = logMelFrames(truth, sampleRateHz);
  const b = logMelFrames(scaled, sampleRateHz);
  const I = a.length;
  const J = b.length;
  if (I === 0 || J === 0) return Number.NaN;
  const C = new Float64Array(I * J);
  const D = new Float64Array(I * J);
  for (let i = 0; i < I; i++) {
    for (let j = 0; j < J; j++) {
      const c = melFrameDistance(a[i] as Float64Array, b[j] as Float64Array);
      C[i * J + j] = c;
      let best = i === 0 && j === 0 ? 0 : Number.POSITIVE_INFINITY;
      if (i > 0) best = Math.min(best, D[(i - 1) * J + j] as number);
      if (j > 0) best = Math.min(best, D[i * J + j - 1] as number);
      if (i > 0 && j > 0) best = Math.min(best, D[(i - 1) * J + j - 1] as number);
      D[i * J + j] = best + c;
    }
  }
  const silent = a.map((_, i) => meanSquare(truth, i * SPECTRAL_HOP, MEL_FRAME) <= SILENT_MEAN_SQUARE);
  let i = I - 1;
  let j = J - 1;
  let sum = 0;
  let count = 0;
  for (;;) {
    if (!silent[i]) {
      sum += C[i * J + j] as number;
      count++;
    }
    if (i === 0 && j === 0) break;
    // Step back along the cheapest predecessor (ties: the diagonal first).
    const diag = i > 0 && j > 0 ? (D[(i - 1) * J + j - 1] as number) : Number.POSITIVE_INFINITY;
    const up = i > 0 ? (D[(i - 1) * J + j] as number) : Number.POSITIVE_INFINITY;
    const left = j > 0 ? (D[i * J + j - 1] as number) : Number.POSITIVE_INFINITY;
    if (diag <= up && diag <= left) {
      i--;
      j--;
    } else if (up <= left) i--;
    else j--;
  }
  return count > 0 ? sum / count : Number.NaN;
}
