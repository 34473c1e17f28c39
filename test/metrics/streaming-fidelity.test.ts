import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { fidelity } from '../../src/metrics/fidelity.js';
import { SlidingSignal } from '../../src/metrics/sliding-signal.js';
import { StreamingFidelity } from '../../src/metrics/streaming-fidelity.js';
import { sine } from '../helpers/fixtures.js';

/** Speech-like truth: tone bursts with silences; generated: a drifting, noisy copy. */
function signals(lengthSamples: number, rng: Rng): { truth: Float32Array; generated: Float32Array } {
  const truth = sine(lengthSamples, 180, 0.4);
  for (let i = 0; i < lengthSamples; i++) if (Math.floor(i / 2400) % 3 === 2) truth[i] = 0;
  const generated = new Float32Array(lengthSamples);
  for (let i = 0; i < lengthSamples; i++) generated[i] = (truth[i] as number) * (i < lengthSamples / 3 ? 1 : 0.5) + 0.05 * (rng.uniform() - 0.5) * (i / lengthSamples);
  return { truth, generated };
}

describe('StreamingFidelity (chunked, bounded memory) against fidelity() (whole signals)', () => {
  const rng = new Rng(7);
  const { truth, generated } = signals(20000, rng);
  const segments = [
    { startSample: 0, endSample: 3000 },
    { startSample: 3000, endSample: 9100 },
    { startSample: 9100, endSample: 15000 },
    { startSample: 15000, endSample: 20000 },
  ];

  for (const seedSamples of [0, 640, 3500]) {
    it(`gives identical figures for any chunking (seed ${seedSamples})`, () => {
      const reference = fidelity({ truth, generated, seedSamples, segments, mode: 'free-running', nonfinite: 2, clipped: 3 });
      for (const chunking of [[20000], [1], [7, 160, 513, 4096], [8192], [333, 1]]) {
        const streaming = new StreamingFidelity({ truth, seedSamples, segments, mode: 'free-running' });
        // The seed arrives as its own chunk first, as the engine emits it.
        if (seedSamples > 0) streaming.push(truth.subarray(0, seedSamples), 0);
        for (let at = seedSamples, c = 0; at < truth.length; c++) {
          const n = Math.min(chunking[c % chunking.length] as number, truth.length - at);
          streaming.push(generated.slice(at, at + n), at);
          at += n;
        }
        expect(streaming.report({ nonfinite: 2, clipped: 3 })).toEqual(reference);
      }
    });
  }

  it('a run stopped early equals fidelity() over what was produced', () => {
    const streaming = new StreamingFidelity({ truth, seedSamples: 640, segments, mode: 'teacher-forced' });
    streaming.push(generated.subarray(0, 11111), 0);
    const reference = fidelity({ truth: truth.subarray(0, 11111), generated: generated.subarray(0, 11111), seedSamples: 640, segments, mode: 'teacher-forced' });
    expect(streaming.report()).toEqual(reference);
    expect(streaming.samples).toBe(11111 - 640);
  });

  it('keeps a window of the signal, not all of it', () => {
    const streaming = new StreamingFidelity({ truth: new Float32Array(1_000_000).fill(0.1), seedSamples: 0, segments: [], mode: 'free-running' });
    for (let at = 0; at < 1_000_000; at += 1000) streaming.push(new Float32Array(1000).fill(0.1), at);
    expect(streaming.report().snr_db).toBe(Infinity);
    expect((streaming as unknown as { signal: SlidingSignal }).signal.data.length).toBeLessThanOrEqual(4096);
  });
});

describe('SlidingSignal', () => {
  it('holds samples at their absolute positions, drops what precedes keepFrom, refuses gaps', () => {
    const s = new SlidingSignal(10, 4);
    s.write(Float32Array.from([1, 2, 3]), 10, 0);
    s.write(Float32Array.from([3, 4, 5, 6]), 12, 12); // overlaps by one: ignored; drops 10, 11
    expect(s.offset).toBe(12);
    expect(s.end).toBe(16);
    expect(Array.from(s.data.subarray(0, s.end - s.offset))).toEqual([3, 4, 5, 6]);
    expect(() => s.write(new Float32Array(2), 20, 0)).toThrow(/gap/);
  });
});
