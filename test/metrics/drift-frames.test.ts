import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { EngineEvent } from '../../src/engine/engine-events.js';
import { frameSnrDb, SEG_FRAME, SEG_SNR_MAX_DB, SEG_SNR_MIN_DB } from '../../src/metrics/fidelity.js';
import { driftFrames } from '../../src/metrics/operators/drift-frames.js';
import { LogMelAnalyzer, MEL_FRAME, SILENT_MEAN_SQUARE } from '../../src/metrics/spectral-frames.js';
import { meanSquare } from '../../src/dsp/window.js';
import { sine } from '../helpers/fixtures.js';

function audioEvents(signal: Float32Array, seedSamples: number, chunkSamples: number): EngineEvent[] {
  const events: EngineEvent[] = [];
  const chunk = (startSample: number, samples: Float32Array, seed: boolean): EngineEvent => ({
    type: 'audio',
    chunk: { index: events.length, startSample, samples: [samples], seed, computeUs: 0, latencyUs: 0, retain: () => () => undefined },
  });
  if (seedSamples > 0) events.push(chunk(0, signal.slice(0, seedSamples), true));
  for (let at = seedSamples; at < signal.length; at += chunkSamples) events.push(chunk(at, signal.slice(at, Math.min(signal.length, at + chunkSamples)), false));
  return events;
}

describe('driftFrames', () => {
  const truth = sine(9000, 200, 0.3);
  for (let i = 4000; i < 5000; i++) truth[i] = 0;
  const rng = new Rng(3);
  const generated = truth.map((v, i) => v * (i < 3000 ? 1 : 0.25) + 0.01 * (rng.uniform() - 0.5));

  it('gives, per 20 ms frame after the seed, the frame SNR and mel distance of the whole signals, for any chunk size', async () => {
    const analyzer = new LogMelAnalyzer(16000);
    const seed = 640;
    const expected = [];
    for (let f = 0; seed + (f + 1) * SEG_FRAME <= truth.length; f++) {
      const start = seed + f * SEG_FRAME;
      const melStart = start + SEG_FRAME - MEL_FRAME;
      expected.push({
        frame: f,
        timeSeconds: (start + SEG_FRAME) / 16000,
        snrDb: meanSquare(truth, start, SEG_FRAME) < SILENT_MEAN_SQUARE ? null : Math.min(SEG_SNR_MAX_DB, Math.max(SEG_SNR_MIN_DB, frameSnrDb(truth, generated, start, SEG_FRAME))),
        melDistDb: melStart < seed || meanSquare(truth, melStart, MEL_FRAME) <= SILENT_MEAN_SQUARE ? null : analyzer.frameDistance(truth, generated, melStart),
      });
    }
    expect(expected.some((e) => e.snrDb === null)).toBe(true);
    for (const chunkSamples of [1, 97, 320, 8192]) {
      const frames = await lastValueFrom(from(audioEvents(generated, seed, chunkSamples)).pipe(driftFrames({ truth, seedSamples: seed, sampleRateHz: 16000 }), toArray()));
      expect(frames).toEqual(expected);
    }
  });
});
