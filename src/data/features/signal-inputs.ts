import { LPC_ORDER } from '../../dsp/lpc.js';
import { MAX_PITCH_LAG, type ExcitationFrames } from './acoustic-frames.js';

/**
 * The sample loop's own inputs, read off a signal: the frame's linear prediction of x[t] and the samples one
 * pitch period back. Training computes them on the recording (teacher forcing); the graphs and the kernel
 * compute the same on the generated signal. Samples before 0 read as 0 (the silence every utterance starts
 * with in training).
 */

/** Frame of sample t (frames hold their values over their hop; past the last frame, the last). */
export function frameOfSample(t: number, hopSamples: number, frameCount: number): number {
  return Math.min(frameCount - 1, Math.max(0, Math.floor(t / hopSamples)));
}

/** p[t] = sum_i c[i] x[t-1-i] with the predictor of `frame`. */
export function linearPrediction(x: Float32Array, t: number, excitation: ExcitationFrames, frame: number): number {
  const { order, lpc } = excitation;
  const base = frame * order;
  let p = 0;
  for (let i = 0; i < order; i++) {
    const at = t - 1 - i;
    if (at < 0) break;
    p += (lpc[base + i] as number) * (x[at] as number);
  }
  return p;
}

/** Offsets of the pitch taps from t - lag: one sample earlier, at the lag, one later. */
export const PITCH_TAP_OFFSETS: readonly number[] = [-1, 0, 1];

/** x[t - lag + offset], or 0 before the signal starts. */
export function pitchTap(x: Float32Array, t: number, lag: number, offset: number): number {
  const at = t - lag + offset;
  return at >= 0 ? (x[at] as number) : 0;
}

/**
 * LPCNet's voiced sharpening: in periodic frames the sampling distribution is raised to a power above 1
 * (p^s, renormalized; a lower temperature), which keeps the harmonics clean: s = 1 + max(0, slope (g - 1/3))
 * for periodicity g (LPCNet: slope 1.5, so s = 1 + max(0, 1.5 g - 0.5)). Slope 0 turns it off.
 */
export function voicedSharpness(periodicity: number, slope: number): number {
  return 1 + Math.max(0, slope * (periodicity - 1 / 3));
}

/** The default slope of voicedSharpness (LPCNet's). */
export const VOICED_SHARPENING = 1.5;

/**
 * Samples of history a loop with signal features carries: the model's window, the predictor's order and
 * the longest pitch lag plus its late tap, rounded up to 8 (SIMD lanes).
 */
export function signalHistorySamples(k: number): number {
  return Math.ceil(Math.max(k, LPC_ORDER, MAX_PITCH_LAG + 2) / 8) * 8;
}
