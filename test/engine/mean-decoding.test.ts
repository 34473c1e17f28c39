import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/engine/bundle-loader.js';
import { generatorModelOf } from '../../src/engine/generation-plan.js';
import { Generator } from '../../src/engine/generator.js';
import { OrtModelSessions } from '../../src/engine/ort-model-sessions.js';
import { randomBundle } from '../helpers/bundles.js';
import { tonePlan } from '../helpers/plans.js';

describe('temperature 0 decodes deterministically', () => {
  it('mulaw: the expected value; chunk and step agree, the random numbers do not matter', async () => {
    const { dir } = await randomBundle({ cell: 'gru', head: 'mulaw', hidden: 16, layers: 1, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 }, 5, 1.5);
    const bundle = loadBundle(dir);
    const run = async (mode: 'chunk' | 'step', rngSeed: number): Promise<Float32Array> => {
      const sessions = await OrtModelSessions.create(bundle.stepBytes, bundle.chunkBytes, bundle.manifest.spec, bundle.manifest.features.width);
      const g = new Generator(sessions, generatorModelOf(bundle.manifest), tonePlan(1200, 100), { mode, chunkSamples: 256, firstChunkSamples: 64, streams: 1, temperature: 0, rngSeed, teacherForced: false });
      const out = new Float32Array(1200);
      for (let c = await g.next(); c; c = await g.next()) out.set(c.samples[0]!, c.startSample);
      await sessions.dispose();
      return out;
    };
    const a = await run('chunk', 1);
    const b = await run('step', 1);
    const c = await run('chunk', 99);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(Array.from(c)).toEqual(Array.from(a));
  });
});
