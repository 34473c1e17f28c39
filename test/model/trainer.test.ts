import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArrayFile, writeArrayFile } from '../../src/model/training/checkpoint-file.js';
import { DEFAULT_TRAINING, type TrainingConfig } from '../../src/model/training/training-config.js';
import { CHECKPOINT_FILE, train } from '../../src/model/training/trainer.js';
import { tempDir } from '../helpers/fixtures.js';
import { toneCorpus } from '../helpers/tone-corpus.js';

const corpus = toneCorpus(3);

function config(out: string, overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    ...DEFAULT_TRAINING,
    data: corpus,
    out,
    cell: 'rnn',
    hidden: 16,
    head: 'mse',
    k: 8,
    featureSet: 'seed',
    batch: 4,
    steps: 32,
    epochs: 3,
    devFraction: 0,
    learningRate: 3e-3,
    warmupSteps: 0,
    checkpointEvery: 1000,
    ...overrides,
  };
}

const weightsOf = (dir: string): Float32Array => new Float32Array(readFileSync(join(dir, 'weights.bin')).buffer.slice(0));

describe('trainer', () => {
  it('lowers the loss on a fixture and writes a complete bundle and log', async () => {
    const out = tempDir();
    const losses: number[] = [];
    const result = await train(config(out, { epochs: 8 }), { callbacks: { onEvaluation: (e) => losses.push(e.trainLoss) }, backend: 'cpu' });
    expect(result.status).toBe('completed');
    expect(losses.length).toBeGreaterThanOrEqual(8);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.8);
    for (const file of ['manifest.json', 'weights.json', 'weights.bin', CHECKPOINT_FILE, 'train-log.jsonl']) expect(existsSync(join(out, file)), file).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.spec).toMatchObject({ cell: 'rnn', hidden: 16, head: 'mse', k: 8 });
    expect(manifest.sampling.sigma).toBeGreaterThan(0);
    expect(manifest.training.backend).toBe('cpu');
    const log = readFileSync(join(out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log[0]).toHaveProperty('gradNorm');
    expect(log[0]).toHaveProperty('learningRate');
  });

  it('gives bit-identical weights for the same seed (noise, dropout and clipping included)', async () => {
    const extra = { inputNoise: 0.05, dropout: 0.1, clipNorm: 0.5, epochs: 2 };
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    await train(config(a, extra), { backend: 'cpu' });
    await train(config(b, extra), { backend: 'cpu' });
    await train(config(c, { ...extra, seed: 2 }), { backend: 'cpu' });
    expect(Buffer.compare(readFileSync(join(a, 'weights.bin')), readFileSync(join(b, 'weights.bin')))).toBe(0);
    expect(Buffer.compare(readFileSync(join(a, 'weights.bin')), readFileSync(join(c, 'weights.bin')))).not.toBe(0);
  });

  it('N steps equal N/2 steps, an interruption, --resume and N/2 more', async () => {
    const full = tempDir();
    await train(config(full, { epochs: 4, inputNoise: 0.02 }), { backend: 'cpu' });
    const split = tempDir();
    const controller = new AbortController();
    let steps = 0;
    const first = await train(config(split, { epochs: 4, inputNoise: 0.02 }), {
      backend: 'cpu',
      signal: controller.signal,
      callbacks: {
        onStep: (p) => {
          steps = p.step;
          if (p.step === Math.floor(p.totalSteps / 2)) controller.abort();
        },
      },
    });
    expect(first.status).toBe('interrupted');
    expect(steps).toBeGreaterThan(0);
    const resumed = await train(config(split, { epochs: 4, inputNoise: 0.02 }), { backend: 'cpu', resume: true });
    expect(resumed.status).toBe('completed');
    const x = weightsOf(full);
    const y = weightsOf(split);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it('stops on a non-finite loss with a clear message and leaves the last good checkpoint untouched', async () => {
    const out = tempDir();
    await train(config(out, { epochs: 1 }), { backend: 'cpu' });
    // Make the next step overflow: a finite but huge head weight in the checkpoint we resume from.
    const path = join(out, CHECKPOINT_FILE);
    const { header, arrays } = readArrayFile(path);
    arrays.get('w/head.w')![0] = 3e38;
    arrays.get('w/l0.w_win')![0] = 3e38;
    await writeArrayFile(path, header, arrays);
    const before = readFileSync(path);
    await expect(train(config(out, { epochs: 3 }), { backend: 'cpu', resume: true })).rejects.toMatchObject({
      code: 'E_DIVERGED',
      message: expect.stringMatching(/training diverged: the loss is (NaN|Infinity).*last good checkpoint is kept/),
      hint: expect.stringMatching(/--lr|--clip/),
    });
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
  });

  it('never leaves a half-written checkpoint: writes go to a temp file and are renamed', async () => {
    const out = tempDir();
    await train(config(out, { epochs: 2, checkpointEvery: 1 }), { backend: 'cpu' });
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(() => readArrayFile(join(out, CHECKPOINT_FILE))).not.toThrow();
  });

  it('trains through tfjs autodiff too, to the same loss as the kernel on the first step', async () => {
    const a: number[] = [];
    const b: number[] = [];
    await train(config(tempDir(), { epochs: 1, kernel: 'fused' }), { backend: 'cpu', callbacks: { onStep: (p) => a.push(p.loss) } });
    await train(config(tempDir(), { epochs: 1, kernel: 'tfjs' }), { backend: 'cpu', callbacks: { onStep: (p) => b.push(p.loss) } });
    expect(b[0]!).toBeCloseTo(a[0]!, 4);
    expect(Math.abs(b[b.length - 1]! - a[a.length - 1]!)).toBeLessThan(0.05 * a[a.length - 1]!);
  });
});
