import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { featureLayout, featureWidth } from '../../src/data/features/feature-layout.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';
import type { CellType, HeadType, ModelSpec } from '../../src/model/model-spec.js';

import { ReferenceNetwork } from '../../src/model/reference-network.js';
import { loadTf, type Tf } from '../../src/model/tf-backend.js';
import { readBundleWeights, readManifestFile } from '../../src/export/read-bundle-weights.js';
import { DEFAULT_TRAINING } from '../../src/model/training/training-config.js';
import { train } from '../../src/model/training/trainer.js';
import { exportBundle } from '../../src/export/export-bundle.js';
import { randomBatch } from '../helpers/random-batch.js';
import { randomBundle } from '../helpers/bundles.js';
import { tempDir } from '../helpers/fixtures.js';
import { toneCorpus } from '../helpers/tone-corpus.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadTf('cpu'));
});

const STEPS = 1000;
const B = 2;

/**
 * Run step.onnx teacher-forced for STEPS samples and the tfjs reference over the same window; return the
 * largest difference of predictions (mse, audio units) or probabilities (mulaw) and the argmax agreement.
 */
async function stepAgainstReference(dir: string): Promise<{ maxDiff: number; argmaxAgree: number }> {
  const manifest = readManifestFile(dir);
  const spec = manifest.spec as ModelSpec;
  const layout = featureLayout(spec.featureSet, PHONE_SETS[spec.phoneSet].phones.length);
  const F = featureWidth(layout);
  const shape = { batch: B, steps: STEPS, k: spec.k };
  const batch = randomBatch(shape, layout, 21);
  const stored = readBundleWeights(dir, manifest);
  const weights = new Map([...stored].map(([n, w]) => [n, tf.tensor(w.values, w.shape)]));
  const reference = new ReferenceNetwork(tf, spec, layout, shape);
  const out = reference.head(weights, reference.forward(weights, batch).top);
  const expected = out.dataSync() as Float32Array;
  const s = manifest.normalization.inputScale;
  const session = await ort.InferenceSession.create(join(dir, 'step.onnx'));
  const stateWidth = spec.layers * (spec.cell === 'lstm' ? 2 : 1) * spec.hidden;
  let state = new Float32Array(B * stateWidth);
  const O = spec.head === 'mse' ? 1 : spec.levels;
  let maxDiff = 0;
  let agree = 0;
  const S = layout.slots.length;
  for (let t = 0; t < STEPS; t++) {
    const window = new Float32Array(B * spec.k);
    const features = new Float32Array(B * F);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < spec.k; i++) window[b * spec.k + i] = batch.source[b * (spec.k + STEPS) + t + i]! * s;
      const row = t * B + b;
      for (let sl = 0; sl < S; sl++) features[b * F + batch.ids[row * S + sl]!] = 1;
      for (let d = 0; d < layout.dense.length; d++) features[b * F + S * layout.phoneCount + d] = batch.dense[row * layout.dense.length + d]!;
    }
    const feeds: Record<string, ort.Tensor> = {
      window: new ort.Tensor('float32', window, [B, spec.k]),
      features: new ort.Tensor('float32', features, [B, F]),
      state: new ort.Tensor('float32', state, [B, stateWidth]),
    };
    if (spec.head === 'mse') feeds['noise'] = new ort.Tensor('float32', new Float32Array(B), [B, 1]);
    else {
      feeds['uniform'] = new ort.Tensor('float32', new Float32Array(B).fill(0.5), [B, 1]);
      feeds['temperature'] = new ort.Tensor('float32', new Float32Array([1]), []);
    }
    const r = await session.run(feeds);
    state = r['state_out']!.data as Float32Array;
    const pred = r['prediction']!.data as Float32Array;
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      if (spec.head === 'mse') {
        maxDiff = Math.max(maxDiff, Math.abs(pred[b]! - expected[row]! * s));
      } else {
        const p = softmax(pred.subarray(b * O, (b + 1) * O));
        const q = softmax(expected.subarray(row * O, (row + 1) * O));
        for (let c = 0; c < O; c++) maxDiff = Math.max(maxDiff, Math.abs(p[c]! - q[c]!));
        if (argmax(p) === argmax(q)) agree++;
      }
    }
  }
  await session.release();
  return { maxDiff, argmaxAgree: spec.head === 'mse' ? 1 : agree / (STEPS * B) };
}

function softmax(x: Float32Array): Float64Array {
  const m = Math.max(...x);
  const e = Float64Array.from(x, (v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const argmax = (x: Float64Array): number => x.indexOf(Math.max(...x));

const cells: CellType[] = ['rnn', 'gru', 'lstm'];
const heads: HeadType[] = ['mse', 'mulaw'];
const specOf = (cell: CellType, head: HeadType, layers = 1): ModelSpec => ({ cell, head, hidden: 16, layers, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 });

describe('step.onnx against the tfjs model, teacher-forced, 1000 steps', () => {
  for (const cell of cells) {
    for (const head of heads) {
      it(`${cell} ${head}, random weights`, async () => {
        const { dir } = await randomBundle(specOf(cell, head));
        const r = await stepAgainstReference(dir);
        expect(r.maxDiff).toBeLessThanOrEqual(1e-5);
        expect(r.argmaxAgree).toBe(1);
      });
    }
  }
  it('gru mulaw with 2 layers, random weights', async () => {
    const { dir } = await randomBundle(specOf('gru', 'mulaw', 2));
    const r = await stepAgainstReference(dir);
    expect(r.maxDiff).toBeLessThanOrEqual(1e-5);
    expect(r.argmaxAgree).toBe(1);
  });

  for (const cell of cells) {
    it(`${cell}, trained weights (mse and mulaw)`, async () => {
      const corpus = toneCorpus(2, 0.5);
      for (const head of heads) {
        const out = tempDir();
        await train({ ...DEFAULT_TRAINING, data: corpus, out, cell, head, hidden: 16, k: 12, featureSet: 'rich', batch: 4, steps: 32, epochs: 2, devFraction: 0 }, { backend: 'cpu' });
        await exportBundle(out);
        const r = await stepAgainstReference(out);
        expect(r.maxDiff, `${cell} ${head}`).toBeLessThanOrEqual(1e-5);
        expect(r.argmaxAgree).toBe(1);
      }
    });
  }
});

const haveChecker = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!haveChecker)('exported files pass the ONNX checker with full shape inference (python3-onnx)', () => {
  it('every cell and head', async () => {
    const files: string[] = [];
    for (const cell of cells) {
      for (const head of heads) {
        const { dir } = await randomBundle({ ...specOf(cell, head), layers: cell === 'lstm' ? 2 : 1 });
        files.push(join(dir, 'step.onnx'), join(dir, 'chunk.onnx'));
      }
    }
    const output = execFileSync('/usr/bin/python3', [join(process.cwd(), 'tools', 'check-onnx.py'), ...files], { encoding: 'utf8' });
    expect(output.split('\n').filter((l) => l.startsWith('ok '))).toHaveLength(files.length);
  });
});

