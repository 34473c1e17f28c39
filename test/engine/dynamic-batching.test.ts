import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { audioChunks } from '../../src/engine/operators/audio-chunks.js';
import { randomBundle } from '../helpers/bundles.js';
import { tonePlan } from '../helpers/plans.js';

const spec = { cell: 'gru', head: 'mulaw', hidden: 16, layers: 1, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 } as const;

const signal = (chunks: ReadonlyArray<{ samples: Float32Array[] }>): number[] => chunks.flatMap((c) => Array.from(c.samples[0] as Float32Array));

describe('dynamic batching', () => {
  it('several syntheses at once on one engine give each the audio it gets alone', async () => {
    const { dir } = await randomBundle(spec, 5, 1);
    const engine = await Engine.load(dir);
    try {
      const plans = [tonePlan(9000, 40), tonePlan(5000, 0), tonePlan(12000, 100)];
      const options = (i: number): { rngSeed: number; chunkSamples: number } => ({ rngSeed: 11 + i, chunkSamples: 1024 });
      const alone: number[][] = [];
      for (const [i, plan] of plans.entries()) alone.push(signal(await lastValueFrom(engine.synthesize(plan, options(i)).pipe(audioChunks(), toArray()))));
      const together = await Promise.all(plans.map((plan, i) => lastValueFrom(engine.synthesize(plan, options(i)).pipe(audioChunks(), toArray()))));
      together.forEach((chunks, i) => expect(signal(chunks)).toEqual(alone[i]));
    } finally {
      await engine.dispose();
    }
  });

  it('twenty syntheses at once on one engine all complete, with no listener-leak warning', async () => {
    const { dir } = await randomBundle(spec, 5, 1);
    const engine = await Engine.load(dir);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => lastValueFrom(engine.synthesize(tonePlan(3000, 0), { rngSeed: i, chunkSamples: 512 }).pipe(audioChunks(), toArray()))));
      for (const chunks of runs) expect(signal(chunks)).toHaveLength(3000);
      // Node reports the warning on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await engine.dispose();
    }
  });
});
