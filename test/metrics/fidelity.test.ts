import { describe, expect, it } from 'vitest';
import { driftHorizon, fidelity, levelErrorDb, nmse, segmentalSnrDb } from '../../src/metrics/fidelity.js';
import { logSpectralDistanceDb, melDistanceDb } from '../../src/metrics/spectral-frames.js';
import { Rng } from '../../src/core/rng.js';
import { sine } from '../helpers/fixtures.js';

const db = (ratio: number): number => 10 * Math.log10(ratio);

describe('fidelity figures against values computed by hand', () => {
  const truth = sine(16000, 440, 0.5);
  const half = truth.map((v) => v / 2);

  it('half amplitude: nmse 1/4, snr 6.02 dB, seg_snr 6.02, level error 6.02 dB, mel distance 6.02 dB', () => {
    expect(nmse(truth, half)).toBeCloseTo(0.25, 6);
    const r = fidelity({ truth, generated: half, seedSamples: 0, segments: [{ startSample: 0, endSample: 16000 }], mode: 'free-running' });
    expect(r.snr_db).toBeCloseTo(db(4), 4);
    expect(r.seg_snr_db).toBeCloseTo(db(4), 4);
    expect(r.level_err_db).toBeCloseTo(20 * Math.log10(2), 3);
  });

  it('half amplitude of a broadband signal: mel distance and lsd 6.02 dB (every band drops by 4 in power)', () => {
    const rng = new Rng(8);
    const noise = Float32Array.from({ length: 16000 }, () => rng.normal() * 0.2);
    const halved = noise.map((v) => v / 2);
    expect(melDistanceDb(noise, halved)).toBeCloseTo(db(4), 3);
    expect(logSpectralDistanceDb(noise, halved)).toBeCloseTo(db(4), 3);
  });

  it('silence: nmse 1, snr 0 dB, seg_snr clamped at 0 dB per frame, horizon 0', () => {
    const silence = new Float32Array(16000);
    expect(nmse(truth, silence)).toBeCloseTo(1, 9);
    expect(segmentalSnrDb(truth, silence)).toBeCloseTo(0, 9);
    expect(driftHorizon(truth, silence)).toBe(0);
  });

  it('identical signals: seg_snr at its 35 dB clamp, mel and lsd 0, horizon the full length', () => {
    expect(segmentalSnrDb(truth, truth)).toBe(35);
    expect(melDistanceDb(truth, truth)).toBe(0);
    expect(logSpectralDistanceDb(truth, truth)).toBe(0);
    expect(driftHorizon(truth, truth)).toBe(16000);
  });

  it('drift horizon: the first non-silent 320-sample window (hop 160) below 3 dB', () => {
    const drifted = truth.slice();
    for (let i = 5000; i < drifted.length; i++) drifted[i] = 0;
    // Windows start every 160 samples; the first one reaching into the zeroed part with SNR < 3 dB:
    // a window [s, s+320) with z zeroed samples has SNR = 10 log10(320 / z) (sine energy spread evenly).
    const h = driftHorizon(truth, drifted);
    expect(h % 160).toBe(0);
    expect(h).toBeGreaterThan(4680);
    expect(h).toBeLessThanOrEqual(5000);
  });

  it('skips frames whose truth is quieter than -60 dBFS, and counts the seed out', () => {
    const quiet = new Float32Array(3200);
    quiet.set(sine(1600, 300, 0.5), 1600);
    const gen = quiet.slice();
    const r = fidelity({ truth: quiet, generated: gen, seedSamples: 1600, segments: [{ startSample: 0, endSample: 3200 }], mode: 'teacher-forced' });
    expect(r.samples).toBe(1600);
    expect(r.seg_snr_db).toBe(35);
  });

  it('level error averages per phone segment', () => {
    const g = truth.slice();
    for (let i = 8000; i < 16000; i++) g[i] = g[i]! * 0.1; // second phone 20 dB down
    expect(levelErrorDb(truth, g, [{ startSample: 0, endSample: 8000 }, { startSample: 8000, endSample: 16000 }])).toBeCloseTo(10, 3);
  });

  it('white noise at the truth RMS is far worse than half amplitude (the METRICS.md reference points)', () => {
    const rng = new Rng(3);
    const rms = Math.sqrt(truth.reduce((a, v) => a + v * v, 0) / truth.length);
    const noise = Float32Array.from(truth, () => rng.normal() * rms);
    expect(melDistanceDb(truth, noise)).toBeGreaterThan(melDistanceDb(truth, half) + 5);
  });
});
