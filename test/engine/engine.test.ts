import { describe, expect, it } from 'vitest';
import { lastValueFrom, reduce, take, toArray } from 'rxjs';
import { Engine, synthesize$ } from '../../src/engine/engine.js';
import { audioChunks } from '../../src/engine/operators/audio-chunks.js';
import { randomBundle } from '../helpers/bundles.js';
import { tonePlan } from '../helpers/plans.js';

const spec = { cell: 'rnn', head: 'mse', hidden: 16, layers: 1, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 } as const;

describe('Engine', () => {
  it('a slow sink slows generation: never more than maxAhead chunks in flight', async () => {
    const { dir } = await randomBundle(spec, 1, 1);
    const engine = await Engine.load(dir);
    const plan = tonePlan(16000 * 4, 100);
    let outstanding = 0;
    let maxOutstanding = 0;
    let samples = 0;
    await new Promise<void>((resolve, reject) => {
      engine.synthesize(plan, { chunkSamples: 512, maxAhead: 3 }).subscribe({
        next: (e) => {
          if (e.type !== 'audio' || e.chunk.seed) return;
          samples += e.chunk.samples[0]!.length;
          const release = e.chunk.retain();
          outstanding++;
          maxOutstanding = Math.max(maxOutstanding, outstanding);
          setTimeout(() => {
            outstanding--;
            release();
          }, 15);
        },
        error: reject,
        complete: resolve,
      });
    });
    expect(samples).toBe(plan.lengthSamples - 100);
    expect(maxOutstanding).toBeLessThanOrEqual(3);
    await engine.dispose();
  });

  it('is cold: nothing runs before subscription, each subscription is one synthesis, unsubscribing stops it', async () => {
    const { dir } = await randomBundle(spec, 2, 1);
    const engine = await Engine.load(dir);
    const plan = tonePlan(16000 * 3, 0);
    const run$ = engine.synthesize(plan, { chunkSamples: 1024 });
    const a = await lastValueFrom(run$.pipe(audioChunks(), reduce((n, c) => n + c.samples[0]!.length, 0)));
    const b = await lastValueFrom(run$.pipe(audioChunks(), reduce((n, c) => n + c.samples[0]!.length, 0)));
    expect(a).toBe(plan.lengthSamples);
    expect(b).toBe(a);
    // Unsubscribe after two chunks; the engine is free again right away.
    const firstTwo = await lastValueFrom(run$.pipe(audioChunks(), take(2), toArray()));
    expect(firstTwo).toHaveLength(2);
    const again = await lastValueFrom(run$.pipe(audioChunks(), reduce((n) => n + 1, 0)));
    expect(again).toBeGreaterThan(2);
    await engine.dispose();
  });

  it('synthesize$ loads, runs and frees the worker; batches several streams in one call', async () => {
    const { dir } = await randomBundle({ ...spec, head: 'mulaw' }, 3, 1.5);
    const chunks = await lastValueFrom(synthesize$(dir, tonePlan(8000, 50), { streams: 3, rngSeed: 7 }).pipe(audioChunks(false), toArray()));
    expect(chunks.every((c) => c.samples.length === 3)).toBe(true);
    const total = chunks.reduce((n, c) => n + c.samples[0]!.length, 0);
    expect(total).toBe(8000 - 50);
    // Different random numbers per stream: the streams differ.
    expect(Array.from(chunks[1]!.samples[0]!)).not.toEqual(Array.from(chunks[1]!.samples[1]!));
  });

  it('refuses a plan without prosody for a model conditioned on F0, voicing and energy (it would run on zeros)', async () => {
    const { dir } = await randomBundle({ ...spec, featureSet: 'prosody-energy' }, 1, 1);
    const engine = await Engine.load(dir);
    const error = await lastValueFrom(engine.synthesize(tonePlan(1600, 0))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PLAN_PROSODY' });
    expect(String((error as Error).message)).toMatch(/log_f0, voicing, log_energy/);
    await engine.dispose();
  });
});
