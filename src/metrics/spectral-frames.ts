import { RealFft } from '../dsp/fft.js';
import { melFilterBank } from '../dsp/mel.js';
import { frameCount, hannPeriodic, meanSquare } from '../dsp/window.js';

/** The STFT settings of ../shared/METRICS.md. */
export const LSD_FRAME = 512;
export const MEL_FRAME = 400;
export const SPECTRAL_HOP = 160;
export const MEL_FFT = 512;
export const MEL_BANDS = 40;
/** Frames whose ground-truth mean square is at or below this are not scored. */
export const SILENT_MEAN_SQUARE = 1e-6;

/** Log-mel frames (dB) of a signal, as METRICS.md defines them for mel_dist_db. */
export class LogMelAnalyzer {
  private readonly fft = new RealFft(MEL_FFT);
  private readonly window = hannPeriodic(MEL_FRAME);
  private readonly filters: Float64Array[];
  private readonly frame = new Float64Array(MEL_FRAME);
  private readonly power = new Float64Array(MEL_FFT / 2 + 1);

  constructor(sampleRateHz = 16000) {
    this.filters = melFilterBank(MEL_BANDS, MEL_FFT, sampleRateHz, 0, sampleRateHz / 2);
  }

  /** 40 log-mel values (dB) of the frame starting at `start`, into `out`. */
  analyze(signal: Float32Array, start: number, out: Float64Array): Float64Array {
    for (let i = 0; i < MEL_FRAME; i++) this.frame[i] = (signal[start + i] as number) * (this.window[i] as number);
    this.fft.powerSpectrum(this.frame, this.power);
    for (let m = 0; m < MEL_BANDS; m++) {
      const f = this.filters[m] as Float64Array;
      let e = 0;
      for (let k = 0; k < f.length; k++) e += (f[k] as number) * (this.power[k] as number);
      out[m] = 10 * Math.log10(Math.max(e, 1e-8));
    }
    return out;
  }

  private readonly melTruth = new Float64Array(MEL_BANDS);
  private readonly melGenerated = new Float64Array(MEL_BANDS);

  /** RMS over bands of the log-mel difference of two frames (the generated one at `generatedStart`). */
  frameDistance(truth: Float32Array, generated: Float32Array, start: number, generatedStart = start): number {
    const a = this.analyze(truth, start, this.melTruth);
    const b = this.analyze(generated, generatedStart, this.melGenerated);
    return melFrameDistance(a, b);
  }
}

/** RMS over bands of the difference of two log-mel frames (dB): the per-frame cost of both mel distances. */
export function melFrameDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let m = 0; m < MEL_BANDS; m++) sum += ((a[m] as number) - (b[m] as number)) ** 2;
  return Math.sqrt(sum / MEL_BANDS);
}

/** mel_dist_db of METRICS.md: mean over non-silent 400-sample frames (hop 160) of the log-mel RMS difference. */
export function melDistanceDb(truth: Float32Array, generated: Float32Array, sampleRateHz = 16000): number {
  const analyzer = new LogMelAnalyzer(sampleRateHz);
  const n = frameCount(Math.min(truth.length, generated.length), MEL_FRAME, SPECTRAL_HOP);
  let sum = 0;
  let count = 0;
  for (let f = 0; f < n; f++) {
    const start = f * SPECTRAL_HOP;
    if (meanSquare(truth, start, MEL_FRAME) <= SILENT_MEAN_SQUARE) continue;
    sum += analyzer.frameDistance(truth, generated, start);
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** The log-spectral distance of single 512-sample Hann frames (lsd_db's per-frame term). */
export class LogSpectralAnalyzer {
  private readonly fft = new RealFft(LSD_FRAME);
  private readonly window = hannPeriodic(LSD_FRAME);
  private readonly fa = new Float64Array(LSD_FRAME);
  private readonly fb = new Float64Array(LSD_FRAME);
  private readonly pa = new Float64Array(LSD_FRAME / 2 + 1);
  private readonly pb = new Float64Array(LSD_FRAME / 2 + 1);

  /** RMS over bins of the log power-spectrum difference (dB); the generated frame starts at `generatedStart`. */
  frameDistance(truth: Float32Array, generated: Float32Array, start: number, generatedStart = start): number {
    const { fa, fb, pa, pb, window } = this;
    for (let i = 0; i < LSD_FRAME; i++) {
      fa[i] = (truth[start + i] as number) * (window[i] as number);
      fb[i] = (generated[generatedStart + i] as number) * (window[i] as number);
    }
    this.fft.powerSpectrum(fa, pa);
    this.fft.powerSpectrum(fb, pb);
    let acc = 0;
    for (let k = 0; k < pa.length; k++) acc += (10 * Math.log10(((pa[k] as number) + 1e-10) / ((pb[k] as number) + 1e-10))) ** 2;
    return Math.sqrt(acc / pa.length);
  }
}

/** lsd_db of METRICS.md: log-spectral distance over non-silent 512-sample Hann frames, hop 160. */
export function logSpectralDistanceDb(truth: Float32Array, generated: Float32Array): number {
  const analyzer = new LogSpectralAnalyzer();
  const n = frameCount(Math.min(truth.length, generated.length), LSD_FRAME, SPECTRAL_HOP);
  let sum = 0;
  let count = 0;
  for (let f = 0; f < n; f++) {
    const start = f * SPECTRAL_HOP;
    if (meanSquare(truth, start, LSD_FRAME) <= SILENT_MEAN_SQUARE) continue;
    sum += analyzer.frameDistance(truth, generated, start);
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}
