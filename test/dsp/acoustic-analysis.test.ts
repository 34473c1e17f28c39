import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { BandEnvelope, ENVELOPE_BANDS } from '../../src/dsp/band-envelope.js';
import { levinson } from '../../src/dsp/lpc.js';
import { pitchContour, YinAnalyzer } from '../../src/dsp/yin.js';
import { excitationFrames, LOG_F0_COLUMN, measureAcousticFrames, PERIODICITY_COLUMN, pitchLag } from '../../src/data/features/acoustic-frames.js';
import { preEmphasize } from '../../src/dsp/emphasis.js';

const RATE = 16000;

/** A pulse train of `f0Hz` through a two-pole resonator at `formantHz` (bandwidth 100 Hz): a known source and filter. */
function pulseThroughResonator(lengthSamples: number, f0Hz: number, formantHz: number, gain = 0.05): Float32Array {
  const r = Math.exp((-Math.PI * 100) / RATE);
  const a1 = 2 * r * Math.cos((2 * Math.PI * formantHz) / RATE);
  const a2 = -r * r;
  const out = new Float32Array(lengthSamples);
  let y1 = 0;
  let y2 = 0;
  let phase = 0;
  for (let t = 0; t < lengthSamples; t++) {
    phase += f0Hz / RATE;
    const pulse = phase >= 1 ? 1 : 0;
    if (phase >= 1) phase -= 1;
    const y = gain * pulse + a1 * y1 + a2 * y2;
    out[t] = y;
    y2 = y1;
    y1 = y;
  }
  return out;
}

function whiteNoise(lengthSamples: number, rms: number, seed = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: lengthSamples }, () => rms * rng.normal());
}

describe('YIN (METRICS.md)', () => {
  it('finds the F0 of a pulse train through a resonator within 0.5 %, voiced and periodic', () => {
    for (const f0 of [80, 150, 220, 350]) {
      const x = pulseThroughResonator(8000, f0, 700);
      const frame = new YinAnalyzer(RATE).analyze(x, 2000);
      expect(frame.voiced).toBe(true);
      expect(Math.abs(frame.f0Hz - f0) / f0).toBeLessThan(0.005);
      expect(frame.periodicity).toBeGreaterThan(0.9);
    }
  });

  it('calls white noise unvoiced with low periodicity, and a quiet pulse train unvoiced (below -40 dBFS)', () => {
    const noise = new YinAnalyzer(RATE).analyze(whiteNoise(4000, 0.1), 1000);
    expect(noise.voiced).toBe(false);
    expect(noise.periodicity).toBeLessThan(0.5);
    const quiet = pulseThroughResonator(4000, 150, 700, 0.0005);
    const frame = new YinAnalyzer(RATE).analyze(quiet, 1000);
    expect(frame.rms).toBeLessThan(0.01);
    expect(frame.voiced).toBe(false);
  });

  it('makes a frame every 80 samples and drops frames that would read past the end', () => {
    const x = pulseThroughResonator(16000, 200, 900);
    const c = pitchContour(x);
    expect(c.f0Hz.length).toBe(Math.floor((16000 - 400 - 266) / 80) + 1);
    expect(pitchContour(new Float32Array(665)).f0Hz.length).toBe(0);
    expect(pitchContour(new Float32Array(666)).f0Hz.length).toBe(1);
    // Past the onset (frame 0 sees the first pulse only once in its window).
    const voiced = Array.from(c.f0Hz).filter((_, i) => i > 1 && c.voiced[i] === 1);
    expect(voiced.length).toBeGreaterThan(c.f0Hz.length * 0.9);
    for (const f of voiced) expect(f).toBeCloseTo(200, 0);
  });
});

describe('linear prediction', () => {
  it('Levinson recovers an AR(2) process from its autocorrelation', () => {
    // x[t] = 0.9 x[t-1] - 0.5 x[t-2] + e: r from the Yule-Walker equations (r0 = 1).
    const a1 = 0.9;
    const a2 = -0.5;
    const r1 = a1 / (1 - a2);
    const r2 = a1 * r1 + a2;
    const r = new Float64Array([1, r1, r2]);
    const c = new Float64Array(2);
    // The lag window and noise floor bias the result slightly; within 2 %.
    levinson(r, 2, c);
    expect(c[0]).toBeCloseTo(a1, 1);
    expect(c[1]).toBeCloseTo(a2, 1);
    expect(Math.abs((c[0]! - a1) / a1)).toBeLessThan(0.02);
  });

  it('derives from the frame envelope a predictor whose spectral peak is the known formant', () => {
    for (const formant of [500, 1200, 2500]) {
      const x = pulseThroughResonator(16000, 120, formant);
      const frames = measureAcousticFrames(x, RATE);
      const ex = excitationFrames(frames, RATE);
      const i = 50;
      // 1/|A(e^jw)| over 0..4 kHz; its peak.
      let best = 0;
      let bestHz = 0;
      for (let hz = 50; hz <= 4000; hz += 10) {
        const w = (2 * Math.PI * hz) / RATE;
        let re = 1;
        let im = 0;
        for (let j = 0; j < ex.order; j++) {
          re -= ex.lpc[i * ex.order + j]! * Math.cos(w * (j + 1));
          im += ex.lpc[i * ex.order + j]! * Math.sin(w * (j + 1));
        }
        const gain = 1 / Math.hypot(re, im);
        if (gain > best) {
          best = gain;
          bestHz = hz;
        }
      }
      // The pre-emphasis tilts the envelope up, and the 20 mel bands are wide high up: within a band's width.
      expect(Math.abs(bestHz - formant)).toBeLessThan(formant * 0.15 + 60);
      expect(frames.values[i * frames.width + LOG_F0_COLUMN]!).toBeCloseTo(Math.log(120 / 100), 2);
      // 120 Hz is 133.3 samples: the pulses alternate between 133 and 134 samples apart.
      expect(frames.values[i * frames.width + PERIODICITY_COLUMN]!).toBeGreaterThan(0.8);
      expect(ex.lag[i]).toBe(Math.round(RATE / 120));
    }
  });

  it('predicts a resonator well: the prediction removes most of its energy', () => {
    const x = pulseThroughResonator(16000, 150, 800);
    const ex = excitationFrames(measureAcousticFrames(x, RATE), RATE);
    const e = preEmphasize(x, 0.85);
    let signal = 0;
    let residual = 0;
    for (let t = 1600; t < 14400; t++) {
      const f = Math.floor(t / 160);
      let p = 0;
      for (let j = 0; j < ex.order; j++) p += ex.lpc[f * ex.order + j]! * e[t - 1 - j]!;
      signal += e[t]! ** 2;
      residual += (e[t]! - p) ** 2;
    }
    expect(10 * Math.log10(signal / residual)).toBeGreaterThan(10);
  });

  it('maps log F0 to whole-sample lags within the tracker range', () => {
    expect(pitchLag(Math.log(2))).toBe(80);
    expect(pitchLag(Math.log(10))).toBe(40);
    expect(pitchLag(Math.log(0.1))).toBe(266);
    expect(pitchLag(Number.NaN)).toBe(266);
  });
});

describe('band envelope', () => {
  it('turns log band powers into a cepstrum and back exactly', () => {
    const env = new BandEnvelope(RATE);
    const bands = Float64Array.from({ length: ENVELOPE_BANDS }, (_, i) => Math.sin(i) - 3);
    const cep = new Float64Array(ENVELOPE_BANDS);
    env.toCepstrum(bands, cep);
    const back = env.toLogBands(cep, 0, new Float64Array(ENVELOPE_BANDS));
    for (let i = 0; i < ENVELOPE_BANDS; i++) expect(back[i]).toBeCloseTo(bands[i]!, 10);
  });

  it("puts a sine's energy in the band around its frequency, 6 dB per doubling of amplitude", () => {
    const env = new BandEnvelope(RATE);
    const sine = (amp: number): Float32Array => Float32Array.from({ length: 1600 }, (_, t) => amp * Math.sin((2 * Math.PI * 1000 * t) / RATE));
    const bands = (x: Float32Array): Float64Array => {
      const cep = new Float64Array(ENVELOPE_BANDS);
      env.analyze(x, 800, cep);
      return env.toLogBands(cep, 0, new Float64Array(ENVELOPE_BANDS));
    };
    const loud = bands(sine(0.2));
    const soft = bands(sine(0.1));
    const peak = loud.indexOf(Math.max(...loud));
    const centreHz = (m: number): number => 700 * (10 ** (((m + 1) * 2840.02) / 21 / 2595) - 1);
    expect(Math.abs(centreHz(peak) - 1000)).toBeLessThan(200);
    expect(10 * (loud[peak]! - soft[peak]!)).toBeCloseTo(6.02, 1);
  });
});
