import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { featureLayout } from '../../src/data/features/feature-layout.js';
import { buildPhoneTrack } from '../../src/data/features/phone-track.js';
import { allocateBatch, StreamBatcher, type TrainingSequence } from '../../src/data/features/stream-batcher.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';
import { mulawEncode } from '../../src/dsp/mulaw.js';

const set = PHONE_SETS.radio;
function sequence(id: string, length: number, offset: number): TrainingSequence {
  const samples = Float32Array.from({ length }, (_, i) => ((i + offset) % 97) / 200);
  const half = Math.floor(length / 2);
  const track = buildPhoneTrack([{ startSample: 0, endSample: half, phone: 'aa' }, { startSample: half, endSample: length, phone: 'iy' }], set, 16000);
  return { id, samples, track };
}

describe('StreamBatcher', () => {
  const layout = featureLayout('rich', set.phones.length);
  const seqs = [sequence('u1', 1000, 0), sequence('u2', 700, 13)];
  const shape = { batch: 3, steps: 50, k: 8 };
  const silenceId = set.phones.indexOf('pau');

  it('covers every real sample exactly once per epoch, with the true k previous samples as input', () => {
    const batcher = new StreamBatcher(seqs, layout, shape, { inputScale: 0.5, silenceId });
    const batch = allocateBatch(shape, layout);
    let real = 0;
    const seen = new Map<string, number>();
    for (let s = 0; s < batcher.stepsPerEpoch; s++) {
      batcher.fill(s, batch);
      real += batch.realCount;
      for (let t = 0; t < shape.steps; t++) {
        for (let b = 0; b < shape.batch; b++) {
          const row = t * shape.batch + b;
          if (batch.mask[row] !== 1) continue;
          const key = `${batch.target[row]}:${batch.source[b * (shape.k + shape.steps) + shape.k + t]}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          // The target is the sample after the window; the window's newest input is the previous sample.
          const window = batch.source.subarray(b * (shape.k + shape.steps) + t, b * (shape.k + shape.steps) + t + shape.k);
          expect(window.length).toBe(shape.k);
          expect(batch.level[row]).toBe(mulawEncode(batch.target[row]! * 0.5));
        }
      }
    }
    expect(real).toBe(1700);
  });

  it('pads each utterance with k samples of silence, masked out of the loss', () => {
    const batcher = new StreamBatcher([seqs[0]!], layout, { batch: 1, steps: 1200, k: 8 }, { inputScale: 1, silenceId });
    const batch = allocateBatch({ batch: 1, steps: 1200, k: 8 }, layout);
    batcher.fill(0, batch);
    // The first row targets sample 0 (after the 8-sample pad); its window is all silence.
    expect(Array.from(batch.source.subarray(0, 16))).toEqual([...new Array(16).fill(0)]);
    expect(batch.mask.slice(0, 8).every((m) => m === 0)).toBe(true);
    expect(batch.target[8]).toBeCloseTo(seqs[0]!.samples[0]!, 6);
    expect(batch.source[16]).toBeCloseTo(seqs[0]!.samples[0]!, 6);
    // rich features: current phone, neighbours, position in the phone and duration.
    const S = layout.slots.length;
    const row = 8 + 10;
    expect(batch.ids[row * S]).toBe(set.phones.indexOf('aa'));
    expect(batch.ids[row * S + 2]).toBe(2 * set.phones.length + set.phones.indexOf('iy'));
    expect(batch.dense[row * 2]).toBeCloseTo(10 / 500, 6);
    expect(batch.dense[row * 2 + 1]).toBeCloseTo((500 / 16000) * 10, 6);
  });

  it('orders epochs from a seed, the same way every time', () => {
    const a = new StreamBatcher(seqs, layout, shape, { inputScale: 1, silenceId });
    const b = new StreamBatcher(seqs, layout, shape, { inputScale: 1, silenceId });
    expect(a.shuffle(new Rng(5))).toEqual(b.shuffle(new Rng(5)));
  });
});
