import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { EnginePool } from '../../src/engine/engine-pool.js';
import { audioChunks } from '../../src/engine/operators/audio-chunks.js';
import { randomBundle } from '../helpers/bundles.js';
import { tonePlan } from '../helpers/plans.js';

const spec = { cell: 'gru', head: 'mulaw', hidden: 16, layers: 1, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 } as const;

/** Each stream's whole signal, from a run's audio chunks. */
function join(chunks: ReadonlyArray<{ samples: Float32Array[] }>): Float32Array[] {
  const streams = chunks[0]!.samples.length;
  return Array.from({ length: streams }, (_, b) => Float32Array.from(chunks.flatMap((c) => Array.from(c.samples[b]!))));
}

describe('EnginePool', () => {
  it('splits streams into contiguous shares', () => {
    expect(EnginePool.shares(5, 2)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 3 }]);
    expect(EnginePool.shares(1, 2)).toEqual([{ first: 0, count: 1 }]);
  });

  it('gives the same audio per stream on two workers as on one, and frees every worker', async () => {
    const { dir } = await randomBundle(spec, 4, 1);
    const plan = tonePlan(6000, 64);
    const one = await Engine.load(dir);
    const single = join(await lastValueFrom(one.synthesize(plan, { streams: 5, rngSeed: 3, chunkSamples: 1024 }).pipe(audioChunks(), toArray())));
    await one.dispose();
    const pool = await EnginePool.load(dir, 2);
    expect(pool.engines).toHaveLength(2);
    const split = join(await lastValueFrom(pool.synthesize(plan, { streams: 5, rngSeed: 3, chunkSamples: 1024 }).pipe(audioChunks(), toArray())));
    await pool.dispose();
    expect(split).toHaveLength(5);
    for (let b = 0; b < 5; b++) expect(Array.from(split[b]!)).toEqual(Array.from(single[b]!));
    expect(Array.from(split[0]!)).not.toEqual(Array.from(split[4]!));
  });
});
