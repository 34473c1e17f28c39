/**
 * Linear prediction from a power spectrum: the autocorrelation is the spectrum's inverse transform, a
 * Gaussian lag window and a little white noise keep the filter stable and smooth (as speech coders do),
 * and Levinson-Durbin gives the predictor. Convention: p[t] = sum_{i=1..order} c[i-1] x[t-i].
 */
export const LPC_ORDER = 16;
/** Gaussian lag window bandwidth: smooths the envelope over about this many Hz. */
const LAG_WINDOW_HZ = 60;
/** White-noise correction: r[0] is raised by this fraction (-40 dB). */
const NOISE_FLOOR = 1e-4;

/** Autocorrelation r[0..order] of a one-sided power spectrum over bins 0..N/2 of an N-point DFT. */
export function autocorrelationFromPower(power: ArrayLike<number>, order: number, out: Float64Array): Float64Array {
  const half = power.length - 1;
  const N = 2 * half;
  for (let lag = 0; lag <= order; lag++) {
    // Bins 0 and N/2 appear once in the full spectrum, the others twice.
    let s = (power[0] as number) + (power[half] as number) * (lag % 2 === 0 ? 1 : -1);
    for (let k = 1; k < half; k++) s += 2 * (power[k] as number) * Math.cos((2 * Math.PI * k * lag) / N);
    out[lag] = s / N;
  }
  return out;
}

/**
 * Predictor coefficients of `order` from r[0..order] (lag-windowed and noise-corrected here), into
 * out[at..at+order). A silent frame (r[0] = 0) gives zeros. Returns the prediction gain's residual
 * fraction (error power / r[0]).
 */
export function levinson(r: Float64Array, order: number, out: Float32Array | Float64Array, at = 0, sampleRateHz = 16000): number {
  const w = new Float64Array(order + 1);
  for (let i = 0; i <= order; i++) {
    const x = (2 * Math.PI * LAG_WINDOW_HZ * i) / sampleRateHz;
    w[i] = (r[i] as number) * Math.exp(-0.5 * x * x);
  }
  w[0] = (w[0] as number) * (1 + NOISE_FLOOR);
  const a = new Float64Array(order + 1);
  const previous = new Float64Array(order + 1);
  let error = w[0] as number;
  if (!(error > 0)) {
    for (let i = 0; i < order; i++) out[at + i] = 0;
    return 1;
  }
  for (let i = 1; i <= order; i++) {
    let acc = w[i] as number;
    for (let j = 1; j < i; j++) acc -= (a[j] as number) * (w[i - j] as number);
    const k = acc / error;
    previous.set(a);
    a[i] = k;
    for (let j = 1; j < i; j++) a[j] = (previous[j] as number) - k * (previous[i - j] as number);
    error *= 1 - k * k;
  }
  for (let i = 0; i < order; i++) out[at + i] = a[i + 1] as number;
  return error / (w[0] as number);
}
