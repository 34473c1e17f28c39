import { describe, expect, it } from 'vitest';
import { compareContours, pearson, pitchFidelity } from '../../src/metrics/pitch-fidelity.js';

const contour = (f0: number[]): { hopSamples: number; f0Hz: Float32Array; voiced: Uint8Array } => ({
  hopSamples: 80,
  f0Hz: Float32Array.from(f0),
  voiced: Uint8Array.from(f0, (f) => (f > 0 ? 1 : 0)),
});

describe('pitch figures (METRICS.md)', () => {
  it('scores F0 over frames voiced in both and voicing over all frames', () => {
    const r = compareContours(contour([100, 110, 120, 0, 0, 130]), contour([102, 108, 126, 0, 140, 0]));
    expect(r.frames).toBe(6);
    expect(r.bothVoiced).toBe(3);
    expect(r.vuv_error_pct).toBeCloseTo((100 * 2) / 6, 10);
    expect(r.f0_rmse_hz).toBeCloseTo(Math.sqrt((4 + 4 + 36) / 3), 10);
    expect(r.f0_corr).toBeCloseTo(pearson([100, 110, 120], [102, 108, 126]), 12);
  });

  it('gives a signal against itself 0 Hz, correlation 1 and 0 % voicing error', () => {
    const x = Float32Array.from({ length: 8000 }, (_, t) => 0.3 * Math.sin((2 * Math.PI * (150 + t / 200) * t) / 16000));
    const r = pitchFidelity(x, x, 0);
    expect(r.f0_rmse_hz).toBe(0);
    expect(r.f0_corr).toBeCloseTo(1, 10);
    expect(r.vuv_error_pct).toBe(0);
    expect(r.bothVoiced).toBeGreaterThan(50);
  });

  it('is NaN without support', () => {
    const r = compareContours(contour([0, 0]), contour([0, 0]));
    expect(Number.isNaN(r.f0_rmse_hz)).toBe(true);
    expect(r.vuv_error_pct).toBe(0);
  });
});
