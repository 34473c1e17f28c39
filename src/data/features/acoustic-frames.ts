import { BandEnvelope, ENVELOPE_BANDS } from '../../dsp/band-envelope.js';
import { preEmphasize } from '../../dsp/emphasis.js';
import { autocorrelationFromPower, levinson, LPC_ORDER } from '../../dsp/lpc.js';
import { YIN_MAX_LAG, YIN_MIN_LAG, YIN_WINDOW_SAMPLES, YinAnalyzer } from '../../dsp/yin.js';
import { F0_REFERENCE_HZ, interpolateLogF0 } from './log-f0.js';

/**
 * The acoustic frame features (one definition for training, the frame network's targets, copy synthesis
 * and the vocoder): per 10 ms frame, the spectral envelope of the pre-emphasized signal as ENVELOPE_BANDS
 * cepstral coefficients, log F0 (YIN as METRICS.md defines it; interpolated across unvoiced frames) and the
 * periodicity (1 - YIN's normalized difference at the period: near 1 voiced, near 0 noise).
 * Frame i describes samples [i*hop, (i+1)*hop) and is analysed centred on the middle of that span.
 */
export const ACOUSTIC_HOP_SAMPLES = 160;
/** The pre-emphasis the envelope is measured on; models that use these features work on that signal. */
export const ACOUSTIC_PRE_EMPHASIS = 0.85;
export const ACOUSTIC_FEATURE_NAMES: readonly string[] = [...Array.from({ length: ENVELOPE_BANDS }, (_, i) => `c${i}`), 'log_f0', 'periodicity'];
export const ACOUSTIC_WIDTH = ACOUSTIC_FEATURE_NAMES.length;
export const LOG_F0_COLUMN = ENVELOPE_BANDS;
export const PERIODICITY_COLUMN = ENVELOPE_BANDS + 1;
/** Pitch periods the long-term taps may reach (the tracker's lag range). */
export const MIN_PITCH_LAG = YIN_MIN_LAG;
export const MAX_PITCH_LAG = YIN_MAX_LAG;

/**
 * A fixed affine map that brings each feature near zero mean and unit scale at the network's input
 * (measured on ARCTIC SLT; any fixed map works, this one keeps the inputs well scaled).
 */
export const ACOUSTIC_INPUT_MEAN: readonly number[] = [-10.7, 1.54, 0.83, 0.74, -0.22, 0.19, -0.19, 0.01, -0.13, 0.13, -0.33, -0.02, -0.16, -0.11, -0.29, 0.05, -0.05, -0.08, 0.02, -0.12, 0.6, 0.5];
export const ACOUSTIC_INPUT_SCALE: readonly number[] = [6.3, 3.2, 1.5, 1.2, 1.2, 0.83, 0.74, 0.62, 0.6, 0.48, 0.55, 0.35, 0.37, 0.32, 0.36, 0.26, 0.24, 0.22, 0.21, 0.18, 0.2, 0.4];

/** Frame features of an utterance: `count` rows of `width` values. */
export interface AcousticFrames {
  hopSamples: number;
  count: number;
  width: number;
  values: Float32Array;
}

/** Frames covering `lengthSamples`. */
export function acousticFrameCount(lengthSamples: number, hopSamples = ACOUSTIC_HOP_SAMPLES): number {
  return Math.ceil(lengthSamples / hopSamples);
}

/** Measure the frame features of a recording (float samples of the plain signal, at 16 kHz). */
export function measureAcousticFrames(samples: Float32Array, sampleRateHz = 16000): AcousticFrames {
  const hop = ACOUSTIC_HOP_SAMPLES;
  const count = acousticFrameCount(samples.length, hop);
  const width = ACOUSTIC_WIDTH;
  const values = new Float32Array(count * width);
  const emphasized = preEmphasize(samples, ACOUSTIC_PRE_EMPHASIS);
  const envelope = new BandEnvelope(sampleRateHz);
  const yin = new YinAnalyzer(sampleRateHz);
  const f0 = new Float32Array(count);
  const voiced = new Float32Array(count);
  // YIN reads W + max lag samples from its start: centre that span on the frame.
  const yinOffset = Math.floor((YIN_WINDOW_SAMPLES + YIN_MAX_LAG) / 2);
  for (let i = 0; i < count; i++) {
    const centre = i * hop + hop / 2;
    envelope.analyze(emphasized, centre, values, i * width);
    const frame = yin.analyze(samples, centre - yinOffset);
    f0[i] = frame.f0Hz;
    voiced[i] = frame.voiced ? 1 : 0;
    values[i * width + PERIODICITY_COLUMN] = frame.periodicity;
  }
  const logF0 = interpolateLogF0(f0, voiced);
  for (let i = 0; i < count; i++) values[i * width + LOG_F0_COLUMN] = logF0[i] as number;
  return { hopSamples: hop, count, width, values };
}

/**
 * What the sample loop needs per frame, derived from the features alone (so predicted features work as
 * measured ones do): the linear predictor of the pre-emphasized signal (LPC_ORDER coefficients,
 * p[t] = sum c[i] x[t-1-i]) and the pitch period in samples.
 */
export interface ExcitationFrames {
  hopSamples: number;
  order: number;
  lpc: Float32Array;
  lag: Int32Array;
  /** The frame's periodicity (it sharpens sampling in voiced frames). */
  periodicity: Float32Array;
}

/** Per-frame predictors and pitch lags of `frames` (the frame network's output or measured features). */
export function excitationFrames(frames: AcousticFrames, sampleRateHz = 16000, order = LPC_ORDER): ExcitationFrames {
  const out = allocateExcitation(frames.count, frames.hopSamples, order);
  new ExcitationAnalyzer(sampleRateHz, order).write(frames, out, 0, frames.count);
  return out;
}

export function allocateExcitation(count: number, hopSamples: number, order = LPC_ORDER): ExcitationFrames {
  return { hopSamples, order, lpc: new Float32Array(count * order), lag: new Int32Array(count), periodicity: new Float32Array(count) };
}

/** Derives predictors, lags and periodicities frame by frame (frames can arrive block by block). */
export class ExcitationAnalyzer {
  private readonly envelope: BandEnvelope;
  private readonly logBands = new Float64Array(ENVELOPE_BANDS);
  private readonly power: Float64Array;
  private readonly r: Float64Array;
  private readonly a: Float64Array;

  constructor(
    private readonly sampleRateHz = 16000,
    private readonly order = LPC_ORDER,
  ) {
    this.envelope = new BandEnvelope(sampleRateHz);
    this.power = new Float64Array(this.envelope.bins);
    this.r = new Float64Array(order + 1);
    this.a = new Float64Array(order);
  }

  /** Fill frames [first, first + count) of `out` from the same frames of `frames`. */
  write(frames: AcousticFrames, out: ExcitationFrames, first: number, count: number): void {
    const { order } = this;
    for (let i = first; i < first + count; i++) {
      const row = i * frames.width;
      this.envelope.toLogBands(frames.values, row, this.logBands);
      this.envelope.binPowers(this.logBands, this.power);
      autocorrelationFromPower(this.power, order, this.r);
      levinson(this.r, order, this.a, 0, this.sampleRateHz);
      // levinson's a[] are predictor coefficients: the prediction is sum a_i x[t-i].
      for (let j = 0; j < order; j++) out.lpc[i * order + j] = this.a[j] as number;
      out.lag[i] = pitchLag(frames.values[row + LOG_F0_COLUMN] as number, this.sampleRateHz);
      out.periodicity[i] = frames.values[row + PERIODICITY_COLUMN] as number;
    }
  }
}

/** Pitch period in whole samples for a log F0 feature, within the tracker's lag range. */
export function pitchLag(logF0: number, sampleRateHz = 16000): number {
  const hz = F0_REFERENCE_HZ * Math.exp(logF0);
  const lag = Math.round(sampleRateHz / hz);
  return Number.isFinite(lag) ? Math.min(MAX_PITCH_LAG, Math.max(MIN_PITCH_LAG, lag)) : MAX_PITCH_LAG;
}
