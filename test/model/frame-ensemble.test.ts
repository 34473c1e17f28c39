import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { mergeFrameEnsemble } from '../../src/model/frame/frame-ensemble.js';
import { frameForward, frameParameterShapes, initFrameWeights, type FrameNetworkSpec } from '../../src/model/frame/frame-model.js';
import type { FrameTrainingResult } from '../../src/model/frame/train-frame-network.js';
import { loadTf, type Tf } from '../../src/model/tf-backend.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadTf('cpu'));
});

const spec: FrameNetworkSpec = { inputWidth: 7, hidden: 6, convChannels: 5, convWidth: 3, outputWidth: 4 };
const mean = Float32Array.from([1, -2, 0.5, 3]);
const std = Float32Array.from([0.5, 2, 1, 0.25]);

function member(seed: number): FrameTrainingResult {
  const weights = initFrameWeights(spec, new Rng(seed));
  // Glorot init leaves biases at zero; give them values so the merge of biases is tested too.
  for (const [name, w] of weights) if (name.endsWith('.b')) for (let i = 0; i < w.length; i++) w[i] = 0.1 * Math.sin(seed + i);
  return { spec, weights, targetMean: mean, targetStd: std, epochsRun: 10, bestEpoch: seed, trainLoss: 0.5, devLoss: 0.6, seconds: 1 };
}

function forward(result: FrameTrainingResult, inputs: Float32Array, frames: number): Float32Array {
  const shapes = new Map(frameParameterShapes(result.spec).map((p) => [p.name, p.shape]));
  return tf.tidy(() => {
    const variables = new Map([...result.weights].map(([n, v]) => [n, tf.tensor(v, shapes.get(n))]));
    return frameForward(tf, variables, tf.tensor2d(inputs, [frames, result.spec.inputWidth])).dataSync() as Float32Array;
  });
}

describe('a frame network ensemble merged into one network', () => {
  it('outputs the mean of its members in tfjs, frame by frame (convolution context included)', () => {
    const members = [member(1), member(2), member(3)];
    const merged = mergeFrameEnsemble(members);
    expect(merged.spec).toEqual({ ...spec, members: 3 });
    expect([...merged.weights.keys()].filter((k) => k.startsWith('m3.'))).toHaveLength(8);
    const frames = 11;
    const rng = new Rng(9);
    const inputs = Float32Array.from({ length: frames * spec.inputWidth }, () => 2 * rng.uniform() - 1);
    const outs = members.map((m) => forward(m, inputs, frames));
    const got = forward(merged, inputs, frames);
    let worst = 0;
    let spread = 0;
    for (let i = 0; i < got.length; i++) {
      const expected = outs.reduce((s, o) => s + (o[i] as number), 0) / outs.length;
      worst = Math.max(worst, Math.abs((got[i] as number) - expected));
      spread = Math.max(spread, Math.abs((outs[0]?.[i] as number) - (outs[1]?.[i] as number)));
    }
    expect(spread).toBeGreaterThan(0.05);
    expect(worst).toBeLessThan(1e-5);
  });

  it('one member is itself; members of different shapes or targets are refused', () => {
    const one = member(1);
    expect(mergeFrameEnsemble([one])).toBe(one);
    expect(() => mergeFrameEnsemble([])).toThrow(/at least one/);
    expect(() => mergeFrameEnsemble([one, { ...member(2), spec: { ...spec, hidden: 8 }, weights: initFrameWeights({ ...spec, hidden: 8 }, new Rng(2)) }])).toThrow(/same shape/);
    expect(() => mergeFrameEnsemble([one, { ...member(2), targetStd: Float32Array.from([1, 1, 1, 1]) }])).toThrow(/same targets/);
  });
});
