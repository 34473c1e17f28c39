import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/engine/bundle-loader.js';
import { generatorModelOf, type GenerationSettings } from '../../src/engine/generation-plan.js';
import { Generator } from '../../src/engine/generator.js';
import { OrtModelSessions } from '../../src/engine/ort-model-sessions.js';
import type { CellType, HeadType, ModelSpec } from '../../src/model/model-spec.js';
import { randomBundle } from '../helpers/bundles.js';
import { tonePlan } from '../helpers/plans.js';

const spec = (cell: CellType, head: HeadType): ModelSpec => ({ cell, head, hidden: 16, layers: 1, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 });

async function generate(dir: string, settings: Partial<GenerationSettings>, length = 1500, seed = 100, publicApiOnly = false): Promise<Float32Array[]> {
  const bundle = loadBundle(dir);
  const sessions = await OrtModelSessions.create(bundle.stepBytes, bundle.chunkBytes, bundle.manifest.spec, bundle.manifest.features.width, { publicApiOnly });
  const full: GenerationSettings = { mode: 'chunk', chunkSamples: 256, firstChunkSamples: 64, streams: 2, temperature: bundle.manifest.spec.head === 'mse' ? 0 : 1, rngSeed: 5, teacherForced: false, ...settings };
  const plan = tonePlan(length, seed);
  const generator = new Generator(sessions, generatorModelOf(bundle.manifest), plan, full);
  const out = Array.from({ length: full.streams }, () => new Float32Array(length));
  for (let b = 0; b < full.streams; b++) out[b]!.set(plan.seed);
  for (let c = await generator.next(); c; c = await generator.next()) c.samples.forEach((s, b) => out[b]!.set(s, c!.startSample));
  await sessions.dispose();
  return out;
}

const maxDiff = (a: Float32Array, b: Float32Array, from = 0, to = a.length): number => {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('chunk.onnx against step.onnx run one sample at a time', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as CellType[]) {
    it(`${cell} mulaw: identical samples for the same random numbers, across chunk boundaries`, async () => {
      const { dir } = await randomBundle(spec(cell, 'mulaw'), 3, 1.5);
      const chunk = await generate(dir, { mode: 'chunk' });
      const step = await generate(dir, { mode: 'step' });
      for (let b = 0; b < 2; b++) expect(Array.from(chunk[b]!)).toEqual(Array.from(step[b]!));
      expect(maxDiff(chunk[0]!, chunk[1]!)).toBeGreaterThan(0); // the two streams sample differently
    });

    it(`${cell} mse: within 1e-5 free-running and teacher-forced, with Gaussian sampling`, async () => {
      const { dir } = await randomBundle(spec(cell, 'mse'), 4, 1);
      for (const teacherForced of [false, true]) {
        const settings = { teacherForced, temperature: 0.5 };
        const chunk = await generate(dir, { ...settings, mode: 'chunk' });
        const step = await generate(dir, { ...settings, mode: 'step' });
        expect(maxDiff(chunk[0]!, step[0]!), `teacherForced ${teacherForced}`).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  it('gives the same audio whatever the chunk size, and different audio for another rng seed', async () => {
    const { dir } = await randomBundle(spec('gru', 'mulaw'), 6, 1.5);
    const a = await generate(dir, { chunkSamples: 64, firstChunkSamples: 8 });
    const b = await generate(dir, { chunkSamples: 1024, firstChunkSamples: 256 });
    const c = await generate(dir, { rngSeed: 99 });
    expect(Array.from(a[0]!)).toEqual(Array.from(b[0]!));
    expect(maxDiff(a[0]!, c[0]!)).toBeGreaterThan(0);
  });

  it('takes the seed samples from the recording and fills a short seed window with silence', async () => {
    const { dir } = await randomBundle(spec('rnn', 'mse'), 7, 1);
    const plan = tonePlan(400, 5);
    const out = await generate(dir, {}, 400, 5);
    expect(Array.from(out[0]!.subarray(0, 5))).toEqual(Array.from(plan.seed));
    const silent = await generate(dir, {}, 400, 0);
    expect(silent[0]!.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('the native synchronous path and the public onnxruntime API give the same audio', async () => {
    const { dir } = await randomBundle(spec('lstm', 'mulaw'), 8, 1.5);
    const fast = await generate(dir, { mode: 'step' }, 500);
    const slow = await generate(dir, { mode: 'step' }, 500, 100, true);
    expect(Array.from(fast[0]!)).toEqual(Array.from(slow[0]!));
  });
});

describe('the guard', () => {
  it('clamps exploding predictions before feedback and playback, counts them and says where they began', async () => {
    // A model whose linear head is huge: every prediction is far beyond full scale.
    const { dir } = await randomBundle(spec('rnn', 'mse'), 9, 40, 8, 5);
    const bundle = loadBundle(dir);
    const sessions = await OrtModelSessions.create(bundle.stepBytes, bundle.chunkBytes, bundle.manifest.spec, bundle.manifest.features.width);
    const plan = tonePlan(800, 50);
    const generator = new Generator(sessions, generatorModelOf(bundle.manifest), plan, { mode: 'chunk', chunkSamples: 256, firstChunkSamples: 64, streams: 1, temperature: 0, rngSeed: 1, teacherForced: false });
    let max = 0;
    for (let c = await generator.next(); c; c = await generator.next()) for (const v of c.samples[0]!) max = Math.max(max, Math.abs(v));
    expect(max).toBeLessThanOrEqual(1);
    expect(generator.state.guard.clipped).toBeGreaterThan(100);
    expect(generator.state.guard.firstGuardedSample).toBeGreaterThanOrEqual(50);
    expect(generator.state.guard.firstGuardedKind).toBe('clipped');
    await sessions.dispose();
  });
});

describe('pre-emphasis models', () => {
  it('play de-emphasized audio; chunk and step agree; teacher forcing uses the true previous sample', async () => {
    const { writeBundle } = await import('../../src/model/bundle-writer.js');
    const { exportBundle } = await import('../../src/export/export-bundle.js');
    const { initWeights } = await import('../../src/model/init-weights.js');
    const { featureLayout } = await import('../../src/data/features/feature-layout.js');
    const { parameterShapes } = await import('../../src/model/model-spec.js');
    const { Rng } = await import('../../src/core/rng.js');
    const { manifestFor } = await import('../helpers/bundles.js');
    const { tempDir } = await import('../helpers/fixtures.js');
    const s = { ...spec('gru', 'mulaw'), preEmphasis: 0.85 };
    const layout = featureLayout('rich', 49);
    const dir = tempDir();
    await writeBundle(dir, manifestFor(s, 0.1, null), initWeights(s, layout, new Rng(4)), parameterShapes(s, layout));
    await exportBundle(dir);
    const chunk = await generate(dir, { mode: 'chunk' });
    const step = await generate(dir, { mode: 'step' });
    expect(Array.from(chunk[0]!)).toEqual(Array.from(step[0]!));
    expect(chunk[0]!.every((v) => Math.abs(v) <= 1)).toBe(true);
  });
});
