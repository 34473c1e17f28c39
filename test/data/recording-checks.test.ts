import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { BLOCK_SAMPLES, checkRecording, findByteSwappedRanges, levelProblems, swapInt16, swapSampleBytes } from '../../src/data/audio/recording-checks.js';

/** Speech-like: a few harmonics of a gliding F0 under a syllable-rate envelope, with a little noise, about -20 dBFS. */
function speechLike(lengthSamples: number, seed = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(lengthSamples);
  let phase = 0;
  for (let t = 0; t < lengthSamples; t++) {
    const f0 = 140 + 30 * Math.sin((2 * Math.PI * t) / 16000);
    phase += (2 * Math.PI * f0) / 16000;
    const envelope = 0.5 + 0.5 * Math.sin((2 * Math.PI * 4 * t) / 16000);
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(h * phase) / h;
    out[t] = Math.round((0.1 * envelope * v + 0.002 * rng.normal()) * 32768) / 32768;
  }
  return out;
}

const toInts = (x: Float32Array): Int16Array => Int16Array.from(x, (v) => Math.round(v * 32768));
const toFloats = (x: Int16Array): Float32Array => Float32Array.from(x, (v) => v / 32768);

describe('recording checks', () => {
  const clean = speechLike(40000);

  it('raise no problem on a clean recording', () => {
    expect(checkRecording(clean)).toEqual([]);
  });

  it('find a byte-swapped stretch within 64 samples of the truth, and swapping it back restores the clean samples', () => {
    for (const [start, end] of [[7000, 20000], [12345, 40000], [0, 9000]] as const) {
      const damaged = toInts(clean);
      swapSampleBytes(damaged, [[start, end]]);
      const ranges = findByteSwappedRanges(toFloats(damaged));
      expect(ranges).toHaveLength(1);
      const [found] = ranges as [[number, number]];
      expect(Math.abs(found[0] - start)).toBeLessThanOrEqual(BLOCK_SAMPLES);
      expect(Math.abs(found[1] - end)).toBeLessThanOrEqual(BLOCK_SAMPLES);
      swapSampleBytes(damaged, ranges);
      expect(Array.from(damaged)).toEqual(Array.from(toInts(clean)));
      const problems = checkRecording(toFloats(toInts(clean)));
      expect(problems).toEqual([]);
    }
  });

  it('name clipping, a DC offset and silence', () => {
    const clipped = Float32Array.from(clean, (v) => Math.max(-1, Math.min(32767 / 32768, v * 20)));
    expect(checkRecording(clipped).map((p) => p.kind)).toContain('clipping');
    const shifted = Float32Array.from(clean, (v) => v + 0.05);
    expect(checkRecording(shifted).map((p) => p.kind)).toEqual(['dc-offset']);
    const silent = Float32Array.from(clean, (v) => Math.round(v * 0.005 * 32768) / 32768);
    expect(checkRecording(silent).map((p) => p.kind)).toEqual(['silent']);
    expect(checkRecording(new Float32Array(1000)).map((p) => p.kind)).toEqual(['silent']);
  });

  it('flag a level far from the corpus median', () => {
    const levels = new Map([['a', -20], ['b', -22], ['c', -19], ['d', -48]]);
    const found = levelProblems(levels);
    expect([...found.keys()]).toEqual(['d']);
    expect(found.get('d')?.kind).toBe('level');
  });

  it('swap the two bytes of a 16-bit sample', () => {
    expect(swapInt16(0x0102)).toBe(0x0201);
    expect(swapInt16(-1)).toBe(-1);
    expect(swapInt16(0x00ff)).toBe(-256);
    expect(swapInt16(swapInt16(12345))).toBe(12345);
  });
});
