import { describe, expect, it } from 'vitest';
import { createProsodyExtractor, interpolateLogF0 } from '../../src/data/features/prosody.js';

/** A vowel-like signal: harmonics of f0 with falling amplitude, then silence. */
function vowel(f0Hz: number, seconds: number, amp = 0.3, rateHz = 16000): Float32Array {
  const n = Math.round(seconds * rateHz);
  const out = new Float32Array(n + 8000);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin((2 * Math.PI * f0Hz * h * i) / rateHz) / h;
    out[i] = amp * v * 0.5;
  }
  return out;
}

describe('prosody features (pitchfinder YIN, frame energy)', () => {
  it('finds F0 within 2% on voiced frames, marks silence unvoiced, and tracks the level', () => {
    const signal = vowel(180, 0.5);
    const p = createProsodyExtractor().extract(signal, 16000);
    expect(p.hopSamples).toBe(160);
    const voicedFrames = Array.from(p.voicing.subarray(5, 45));
    expect(voicedFrames.every((v) => v === 1)).toBe(true);
    for (let i = 5; i < 45; i++) expect(Math.abs(100 * Math.exp(p.logF0[i]!) - 180)).toBeLessThan(180 * 0.02);
    expect(Array.from(p.voicing.subarray(60, 75)).every((v) => v === 0)).toBe(true);
    expect(p.logEnergy[20]!).toBeGreaterThan(p.logEnergy[70]! + 1.5);
  });

  it('interpolates log F0 across unvoiced frames and holds it at the ends', () => {
    const f0 = Float32Array.from([0, 100, 0, 0, 200, 0]);
    const v = Float32Array.from([0, 1, 0, 0, 1, 0]);
    const out = interpolateLogF0(f0, v);
    expect(out[0]).toBeCloseTo(0, 6);
    expect(out[2]).toBeCloseTo(Math.log(2) / 3, 5);
    expect(out[5]).toBeCloseTo(Math.log(2), 5);
  });
});
