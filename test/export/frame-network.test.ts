import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ACOUSTIC_HOP_SAMPLES, ACOUSTIC_WIDTH, acousticFrameCount, allocateExcitation } from '../../src/data/features/acoustic-frames.js';
import { frameInputs, frameInputWidth } from '../../src/data/features/frame-inputs.js';
import { buildPhoneTrack } from '../../src/data/features/phone-track.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';
import { exportBundle } from '../../src/export/export-bundle.js';
import { readManifestFile } from '../../src/export/read-bundle-weights.js';
import { FrameFiller, type FrameNetworkSession } from '../../src/engine/frame-filler.js';
import { OrtFrameNetwork } from '../../src/engine/ort-frame-network.js';
import { frameForward, frameParameterShapes, initFrameWeights, type FrameNetworkSpec } from '../../src/model/frame/frame-model.js';
import { writeFrameNetwork } from '../../src/model/frame/frame-bundle-writer.js';
import { mergeFrameEnsemble } from '../../src/model/frame/frame-ensemble.js';
import { loadTf, type Tf } from '../../src/model/tf-backend.js';
import { randomBundle } from '../helpers/bundles.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadTf('cpu'));
});

const set = PHONE_SETS.radio;
const spec: FrameNetworkSpec = { inputWidth: frameInputWidth(set.phones.length), hidden: 24, convChannels: 12, convWidth: 5, outputWidth: ACOUSTIC_WIDTH };

/** A phone track of `phones` segments of varied length, with pauses, over 2-3 s. */
function track(seed: number): ReturnType<typeof buildPhoneTrack> {
  const rng = new Rng(seed);
  const symbols = ['pau', 'dh', 'ax', 'k', 'ae', 't', 's', 'ae', 't', 'pau', 'aa', 'n', 'dh', 'ax', 'm', 'ae', 't', 'pau'];
  let at = 0;
  const segments = symbols.map((phone) => {
    const len = Math.round(800 + 1600 * rng.uniform());
    const s = { startSample: at, endSample: at + len, phone };
    at += len;
    return s;
  });
  return buildPhoneTrack(segments, set, 16000);
}

/** A vocoder bundle with a random frame network, exported (frame.onnx included). */
async function bundleWithFrameNetwork(members = 1): Promise<{ dir: string; spec: FrameNetworkSpec; weights: Map<string, Float32Array>; mean: Float32Array; std: Float32Array }> {
  const { dir } = await randomBundle({ cell: 'gru', hidden: 16, layers: 1, head: 'mulaw', k: 8, featureSet: 'acoustic', phoneSet: 'radio', sampleRateHz: 16000, levels: 256, preEmphasis: 0.85 }, 2, 0.3);
  const mean = Float32Array.from({ length: ACOUSTIC_WIDTH }, (_, c) => c - 10);
  const std = Float32Array.from({ length: ACOUSTIC_WIDTH }, (_, c) => 0.5 + c / 10);
  const trained = Array.from({ length: members }, (_, m) => {
    const weights = initFrameWeights(spec, new Rng(5 + m));
    for (const w of weights.values()) for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) + 0.01 * Math.sin(i + m);
    return { spec, weights, targetMean: mean, targetStd: std, epochsRun: 0, bestEpoch: 0, trainLoss: 0, devLoss: null, seconds: 0 };
  });
  const result = mergeFrameEnsemble(trained);
  await writeFrameNetwork(dir, readManifestFile(dir), result, 'radio', { data: '', utterances: [], validUtterances: [], config: {}, backend: 'cpu' });
  await exportBundle(dir);
  return { dir, spec: result.spec, weights: result.weights, mean, std };
}

describe('the frame network', () => {
  for (const members of [1, 3]) {
    it(`frame.onnx equals the tfjs network (z-scores undone) within 1e-4${members > 1 ? `: an ensemble of ${members}, averaged` : ''}`, async () => {
      const { dir, spec: bundled, weights, mean, std } = await bundleWithFrameNetwork(members);
      const manifest = readManifestFile(dir);
      expect(manifest.frame?.graph?.file).toBe('frame.onnx');
      expect(manifest.frame?.spec.members ?? 1).toBe(members);
      const t = track(1);
      const count = acousticFrameCount(t.lengthSamples);
      const inputs = frameInputs(t, set, ACOUSTIC_HOP_SAMPLES, 0, count);
      const shapes = new Map(frameParameterShapes(bundled).map((p) => [p.name, p.shape]));
      const variables = new Map([...weights].map(([n, v]) => [n, tf.tensor(v, shapes.get(n))]));
      const z = frameForward(tf, variables, tf.tensor2d(inputs, [count, spec.inputWidth])).dataSync();
      const session = await OrtFrameNetwork.create(readFileSync(join(dir, 'frame.onnx')), spec.inputWidth);
      const out = await session.predict(inputs, count);
      let worst = 0;
      for (let i = 0; i < count; i++) for (let c = 0; c < ACOUSTIC_WIDTH; c++) worst = Math.max(worst, Math.abs((out[i * ACOUSTIC_WIDTH + c] as number) - ((z[i * ACOUSTIC_WIDTH + c] as number) * (std[c] as number) + (mean[c] as number))));
      expect(worst).toBeLessThan(1e-4);
      await session.dispose();
    });
  }

  it('predicted block by block ahead of the loop, the frames equal the whole utterance predicted at once', async () => {
    const { dir } = await bundleWithFrameNetwork();
    const session = await OrtFrameNetwork.create(readFileSync(join(dir, 'frame.onnx')), spec.inputWidth);
    const t = track(2);
    const count = acousticFrameCount(t.lengthSamples);
    const whole = await session.predict(frameInputs(t, set, ACOUSTIC_HOP_SAMPLES, 0, count), count);
    const calls: number[] = [];
    const counting: FrameNetworkSession = { predict: (inputs, rows) => (calls.push(rows), session.predict(inputs, rows)), dispose: () => session.dispose() };
    const filled = { ...t, frames: { hopSamples: ACOUSTIC_HOP_SAMPLES, count, width: ACOUSTIC_WIDTH, values: new Float32Array(count * ACOUSTIC_WIDTH) }, excitation: allocateExcitation(count, ACOUSTIC_HOP_SAMPLES) };
    const filler = new FrameFiller(counting, filled, set, 2);
    await filler.ensure(256);
    expect(filler.framesFilled).toBeLessThan(count);
    for (let end = 256; end <= t.lengthSamples; end += 4096) await filler.ensure(end);
    await filler.ensure(t.lengthSamples);
    expect(filler.framesFilled).toBe(count);
    expect(calls.length).toBeGreaterThan(2);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs((whole[i] as number) - (filled.frames.values[i] as number)));
    expect(worst).toBeLessThan(1e-5);
    expect(filled.excitation.lag.every((l) => l >= 40 && l <= 266)).toBe(true);
    await session.dispose();
  });
});

const haveChecker = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!haveChecker)('vocoder graphs pass the ONNX checker with full shape inference (python3-onnx)', () => {
  it('step.onnx, chunk.onnx and frame.onnx (single and ensemble) of every acoustic feature set', async () => {
    const files: string[] = [];
    const { dir } = await bundleWithFrameNetwork();
    files.push(join(dir, 'step.onnx'), join(dir, 'chunk.onnx'), join(dir, 'frame.onnx'));
    files.push(join((await bundleWithFrameNetwork(3)).dir, 'frame.onnx'));
    for (const featureSet of ['acoustic-taps', 'acoustic-plain'] as const) {
      const b = await randomBundle({ cell: 'lstm', hidden: 8, layers: 2, head: 'mulaw', k: 8, featureSet, phoneSet: 'radio', sampleRateHz: 16000, levels: 256, preEmphasis: 0.85 });
      files.push(join(b.dir, 'step.onnx'), join(b.dir, 'chunk.onnx'));
    }
    const output = execFileSync('/usr/bin/python3', [join(process.cwd(), 'tools', 'check-onnx.py'), ...files], { encoding: 'utf8' });
    expect(output.split('\n').filter((l) => l.startsWith('ok '))).toHaveLength(files.length);
  });
});
