import { RealFft } from './fft.js';
import { melFilterBank } from './mel.js';
import { hannPeriodic } from './window.js';

/**
 * The spectral envelope of a frame as a few log band energies and their cepstrum (LPCNet's representation,
 * on the HTK mel scale that METRICS.md uses): a 400-sample periodic Hann window, a 512-point power spectrum,
 * ENVELOPE_BANDS triangular mel filters over 0-8 kHz, log10 of each band's mean power per bin (plus a floor),
 * then an orthonormal DCT-II. The inverse (cepstrum -> band powers -> a power spectrum per bin) is what
 * linear prediction is computed from, so a predicted cepstrum gives a predictor as a measured one does.
 */
export const ENVELOPE_BANDS = 20;
export const ENVELOPE_FRAME = 400;
export const ENVELOPE_FFT = 512;
/** Band power floor (mean power per bin): about -100 dB below a full-scale sine's. */
export const ENVELOPE_FLOOR = 1e-7;

export class BandEnvelope {
  readonly bins = ENVELOPE_FFT / 2 + 1;
  private readonly fft = new RealFft(ENVELOPE_FFT);
  private readonly window = hannPeriodic(ENVELOPE_FRAME);
  /** Filter weights per band, and their sums (to turn band energy into mean power per bin). */
  readonly filters: Float64Array[];
  private readonly filterSums: Float64Array;
  /** For the inverse: each bin's weights over bands, normalized to sum 1 (bins outside every band use the nearest). */
  private readonly binWeights: Float64Array;
  private readonly frame = new Float64Array(ENVELOPE_FRAME);
  private readonly power = new Float64Array(ENVELOPE_FFT / 2 + 1);
  private readonly dct: Float64Array;
  private readonly logBands = new Float64Array(ENVELOPE_BANDS);

  constructor(readonly sampleRateHz = 16000) {
    const B = ENVELOPE_BANDS;
    this.filters = melFilterBank(B, ENVELOPE_FFT, sampleRateHz, 0, sampleRateHz / 2);
    this.filterSums = Float64Array.from(this.filters, (f) => f.reduce((a, b) => a + b, 0));
    this.binWeights = new Float64Array(this.bins * B);
    for (let k = 0; k < this.bins; k++) {
      let total = 0;
      for (let m = 0; m < B; m++) total += (this.filters[m] as Float64Array)[k] as number;
      if (total > 0) {
        for (let m = 0; m < B; m++) this.binWeights[k * B + m] = ((this.filters[m] as Float64Array)[k] as number) / total;
      } else {
        // Below the first centre or above the last: the nearest band.
        this.binWeights[k * B + (k < this.bins / 2 ? 0 : B - 1)] = 1;
      }
    }
    this.dct = new Float64Array(B * B);
    for (let c = 0; c < B; c++) {
      const scale = Math.sqrt((c === 0 ? 1 : 2) / B);
      for (let m = 0; m < B; m++) this.dct[c * B + m] = scale * Math.cos((Math.PI * c * (m + 0.5)) / B);
    }
  }

  /**
   * Cepstrum (ENVELOPE_BANDS values) of the frame centred at `centre` (samples outside the signal read as 0).
   */
  analyze(x: Float32Array, centre: number, cepstrum: Float32Array | Float64Array, at = 0): void {
    const start = centre - ENVELOPE_FRAME / 2;
    const n = x.length;
    for (let i = 0; i < ENVELOPE_FRAME; i++) {
      const j = start + i;
      this.frame[i] = j >= 0 && j < n ? (x[j] as number) * (this.window[i] as number) : 0;
    }
    this.fft.powerSpectrum(this.frame, this.power);
    for (let m = 0; m < ENVELOPE_BANDS; m++) {
      const f = this.filters[m] as Float64Array;
      let e = 0;
      for (let k = 0; k < this.bins; k++) e += (f[k] as number) * (this.power[k] as number);
      this.logBands[m] = Math.log10(e / (this.filterSums[m] as number) + ENVELOPE_FLOOR);
    }
    this.toCepstrum(this.logBands, cepstrum, at);
  }

  /** Orthonormal DCT-II of log band powers. */
  toCepstrum(logBands: ArrayLike<number>, out: Float32Array | Float64Array, at = 0): void {
    const B = ENVELOPE_BANDS;
    for (let c = 0; c < B; c++) {
      let s = 0;
      for (let m = 0; m < B; m++) s += (this.dct[c * B + m] as number) * (logBands[m] as number);
      out[at + c] = s;
    }
  }

  /** Inverse of toCepstrum: log10 band powers. */
  toLogBands(cepstrum: ArrayLike<number>, at: number, out: Float64Array): Float64Array {
    const B = ENVELOPE_BANDS;
    for (let m = 0; m < B; m++) {
      let s = 0;
      for (let c = 0; c < B; c++) s += (this.dct[c * B + m] as number) * (cepstrum[at + c] as number);
      out[m] = s;
    }
    return out;
  }

  /** The envelope's power per FFT bin (bins 0..256), interpolated from band powers by the filter weights. */
  binPowers(logBands: Float64Array, out: Float64Array): Float64Array {
    const B = ENVELOPE_BANDS;
    for (let k = 0; k < this.bins; k++) {
      let p = 0;
      for (let m = 0; m < B; m++) {
        const w = this.binWeights[k * B + m] as number;
        if (w > 0) p += w * 10 ** (logBands[m] as number);
      }
      out[k] = p;
    }
    return out;
  }
}
