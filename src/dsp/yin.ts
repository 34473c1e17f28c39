/**
 * The YIN pitch tracker exactly as ../shared/METRICS.md defines it (de Cheveigne and Kawahara 2002): the
 * difference function over an integration window, its cumulative mean normalization, an absolute
 * threshold, a step to the local minimum and parabolic refinement. One definition serves the pitch metrics
 * (frames every 5 ms) and the acoustic features (frames every 10 ms).
 */
export const YIN_WINDOW_SAMPLES = 400;
export const YIN_MIN_LAG = 40;
export const YIN_MAX_LAG = 266;
export const YIN_THRESHOLD = 0.15;
/** A frame quieter than this RMS (-40 dBFS) is unvoiced whatever its periodicity. */
export const YIN_VOICED_RMS = 0.01;

/** One analysed frame: F0 (0 where unvoiced), the normalized difference at the chosen lag, and the RMS. */
export interface YinFrame {
  f0Hz: number;
  voiced: boolean;
  /** 1 - d'(tau) at the chosen lag (or at the deepest minimum when none passes the threshold), in [0, 1]. */
  periodicity: number;
  rms: number;
}

/** Reusable buffers for frame analysis, so a loop over frames allocates nothing. */
export class YinAnalyzer {
  private readonly d = new Float64Array(YIN_MAX_LAG + 1);
  private readonly dPrime = new Float64Array(YIN_MAX_LAG + 1);

  constructor(readonly sampleRateHz = 16000) {}

  /**
   * Analyse the frame that starts at `start` (samples outside the signal read as 0, so callers may centre
   * frames near the edges).
   */
  analyze(x: Float32Array, start: number): YinFrame {
    const W = YIN_WINDOW_SAMPLES;
    const { d, dPrime } = this;
    const n = x.length;
    const at = (i: number): number => (i >= 0 && i < n ? (x[i] as number) : 0);
    const inside = start >= 0 && start + W + YIN_MAX_LAG <= n;
    for (let tau = 1; tau <= YIN_MAX_LAG; tau++) {
      let sum = 0;
      if (inside) {
        for (let j = 0; j < W; j++) {
          const diff = (x[start + j] as number) - (x[start + j + tau] as number);
          sum += diff * diff;
        }
      } else {
        for (let j = 0; j < W; j++) {
          const diff = at(start + j) - at(start + j + tau);
          sum += diff * diff;
        }
      }
      d[tau] = sum;
    }
    let running = 0;
    dPrime[0] = 1;
    for (let tau = 1; tau <= YIN_MAX_LAG; tau++) {
      running += d[tau] as number;
      dPrime[tau] = running > 0 ? ((d[tau] as number) * tau) / running : 1;
    }
    let energy = 0;
    for (let j = 0; j < W; j++) energy += at(start + j) ** 2;
    const rms = Math.sqrt(energy / W);
    let tau = -1;
    for (let t = YIN_MIN_LAG; t <= YIN_MAX_LAG; t++) {
      if ((dPrime[t] as number) < YIN_THRESHOLD) {
        tau = t;
        break;
      }
    }
    if (tau < 0) {
      let deepest = 1;
      for (let t = YIN_MIN_LAG; t <= YIN_MAX_LAG; t++) deepest = Math.min(deepest, dPrime[t] as number);
      return { f0Hz: 0, voiced: false, periodicity: clamp01(1 - deepest), rms };
    }
    while (tau < YIN_MAX_LAG && (dPrime[tau + 1] as number) < (dPrime[tau] as number)) tau++;
    const b = dPrime[tau] as number;
    let shift = 0;
    if (tau < YIN_MAX_LAG) {
      const a = dPrime[tau - 1] as number;
      const c = dPrime[tau + 1] as number;
      const curvature = a - 2 * b + c;
      if (curvature > 0) shift = (0.5 * (a - c)) / curvature;
    }
    const refined = tau + (Math.abs(shift) <= 1 ? shift : 0);
    const voiced = rms >= YIN_VOICED_RMS;
    return { f0Hz: voiced ? this.sampleRateHz / refined : 0, voiced, periodicity: clamp01(1 - b), rms };
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** A pitch contour: F0 per frame (0 where unvoiced), frames every `hopSamples`. */
export interface PitchContour {
  hopSamples: number;
  f0Hz: Float32Array;
  voiced: Uint8Array;
}

/**
 * The METRICS.md contour: frame t starts at sample 80 t; frames that would read past the end are dropped.
 */
export function pitchContour(x: Float32Array, sampleRateHz = 16000, hopSamples = 80): PitchContour {
  const count = x.length < YIN_WINDOW_SAMPLES + YIN_MAX_LAG ? 0 : Math.floor((x.length - YIN_WINDOW_SAMPLES - YIN_MAX_LAG) / hopSamples) + 1;
  const analyzer = new YinAnalyzer(sampleRateHz);
  const f0Hz = new Float32Array(count);
  const voiced = new Uint8Array(count);
  for (let t = 0; t < count; t++) {
    const frame = analyzer.analyze(x, t * hopSamples);
    f0Hz[t] = frame.f0Hz;
    voiced[t] = frame.voiced ? 1 : 0;
  }
  return { hopSamples, f0Hz, voiced };
}
