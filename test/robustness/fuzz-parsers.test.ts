import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSynthError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { decodeAudio } from '../../src/data/audio/read-audio.js';
import { completeSegmentation } from '../../src/data/labels/complete-segmentation.js';
import { decodeLabels } from '../../src/data/labels/read-labels.js';
import { graphMismatches, manifestProblems } from '../../src/engine/bundle-loader.js';
import { decodeArrayFile, encodeArrayFile } from '../../src/model/training/checkpoint-file.js';
import { randomBundle } from '../helpers/bundles.js';
import { sine, tempDir, writeWav } from '../helpers/fixtures.js';

const ROUNDS = 500;

/** Seeded mutations: flips, truncation, insertion, duplication, and numbers swapped for extreme ones. */
function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input);
  const kind = rng.int(6);
  if (kind === 0) for (let i = 0, n = 1 + rng.int(8); i < n && bytes.length; i++) bytes[rng.int(bytes.length)] = rng.int(256);
  else if (kind === 1) bytes.length = rng.int(bytes.length + 1);
  else if (kind === 2) bytes.splice(rng.int(bytes.length + 1), 0, ...Array.from({ length: 1 + rng.int(16) }, () => rng.int(256)));
  else if (kind === 3 && bytes.length > 4) {
    const a = rng.int(bytes.length);
    bytes.splice(a, 0, ...bytes.slice(a, a + 1 + rng.int(64)));
  } else if (kind === 4) {
    const text = new TextDecoder('latin1').decode(new Uint8Array(bytes));
    const extreme = ['4294967295', '-1', '1e308', 'NaN', '99999999999999999999', '0', '-0.5', '"', '<exists>'][rng.int(9)] as string;
    return new TextEncoder().encode(text.replace(/-?\d+(\.\d+)?/g, (m) => (rng.uniform() < 0.3 ? extreme : m)));
  } else {
    // Binary headers: overwrite a 32-bit field with an extreme value.
    const at = rng.int(Math.max(1, bytes.length - 4));
    const value = [0xffffffff, 0x7fffffff, 0, 1, 0x80000000][rng.int(5)] as number;
    for (let i = 0; i < 4 && at + i < bytes.length; i++) bytes[at + i] = (value >>> (8 * i)) & 255;
  }
  return Uint8Array.from(bytes);
}

function randomInput(rng: Rng): Uint8Array {
  return Uint8Array.from({ length: rng.int(300) }, () => (rng.uniform() < 0.7 ? 32 + rng.int(95) : rng.int(256)));
}

/** Run `parse` on mutated and random inputs: only our typed errors, each call quick, outputs bounded. */
function fuzz(name: string, seeds: Uint8Array[], parse: (bytes: Uint8Array) => unknown, bound?: (bytes: Uint8Array, result: unknown) => void): void {
  it(`${name}: ${ROUNDS} mutated and random inputs give a result or a typed one-line error, quickly`, () => {
    const rng = new Rng(name.length * 7919 + Number(process.env['FUZZ_SEED'] ?? 0));
    let errors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const input = round % 5 === 4 ? randomInput(rng) : mutate(rng, seeds[round % seeds.length] as Uint8Array);
      const began = performance.now();
      try {
        const result = parse(input);
        bound?.(input, result);
      } catch (error) {
        if (!isSynthError(error)) throw new Error(`${name} threw ${String(error)} on input ${Buffer.from(input).toString('base64').slice(0, 200)}`);
        expect(error.toLine()).not.toMatch(/\n/);
        errors++;
      }
      expect(performance.now() - began).toBeLessThan(500);
    }
    expect(errors).toBeGreaterThan(0);
  });
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const labels = (path: string) => (bytes: Uint8Array) => {
  const l = decodeLabels(bytes, path, { sampleRateHz: 16000 });
  return completeSegmentation(l.segments, { path, sampleRateHz: 16000, silencePhone: 'pau', lengthSamples: 8000 });
};
const boundedSegments = (bytes: Uint8Array, result: unknown): void => {
  expect((result as { segments: unknown[] }).segments.length).toBeLessThanOrEqual(bytes.length + 3);
};

describe('parser fuzzing (seeded, deterministic)', () => {
  fuzz('TIMIT .phn', [text('0 3050 h#\n3050 4559 sh\n4559 5723 iy\n')], labels('x.phn'), boundedSegments);
  fuzz('HTK .lab', [text('0 2050000 sil\n2050000 3400000 ao\n'), text('0 2050000 x^x-sil+ao=th@x\n')], labels('x.lab'), boundedSegments);
  fuzz('xlabel .segs', [text('separator ;\n#\n0.1750 100 pau\n0.3350 100 sh\n')], labels('x.segs'), boundedSegments);
  fuzz(
    'Praat TextGrid',
    [
      text('File type = "ooTextFile"\nObject class = "TextGrid"\n\nxmin = 0\nxmax = 0.5\ntiers? <exists>\nsize = 1\nitem []:\n    item [1]:\n        class = "IntervalTier"\n        name = "phones"\n        xmin = 0\n        xmax = 0.5\n        intervals: size = 2\n        intervals [1]:\n            xmin = 0\n            xmax = 0.2\n            text = "sh"\n        intervals [2]:\n            xmin = 0.2\n            xmax = 0.5\n            text = "iy"\n'),
      text('File type = "ooTextFile"\nObject class = "TextGrid"\n0\n0.5\n<exists>\n1\n"IntervalTier"\n"phones"\n0\n0.5\n1\n0\n0.5\n"aa"\n'),
    ],
    labels('x.TextGrid'),
    boundedSegments,
  );
  fuzz('JSON labels', [text('{"units":"seconds","segments":[{"phone":"sil","start":0,"end":0.2},{"phone":"aa","start":0.2,"end":0.4}]}')], labels('x.json'), boundedSegments);

  const dir = tempDir();
  const wavs = [
    new Uint8Array(readFileSync(writeWav(join(dir, 'a.wav'), sine(200)))),
    new Uint8Array(readFileSync(writeWav(join(dir, 'b.wav'), sine(100), 16000, '32f'))),
    new Uint8Array(readFileSync(writeWav(join(dir, 'c.wav'), sine(100), 16000, '24', 2))),
  ];
  const sphereHeader = text(`NIST_1A\n   1024\nsample_count -i 100\nsample_rate -i 16000\nchannel_count -i 1\nsample_n_bytes -i 2\nsample_byte_format -s2 01\nsample_coding -s3 pcm\nend_head\n`);
  const sphere = new Uint8Array(1024 + 200);
  sphere.fill(32, 0, 1024);
  sphere.set(sphereHeader);
  const audio = (bytes: Uint8Array) => decodeAudio(bytes, 'x.wav', { channel: 1 });
  // No allocation from a header field: at most one sample per input byte.
  const boundedAudio = (bytes: Uint8Array, result: unknown): void => {
    expect((result as { samples: Float32Array }).samples.length).toBeLessThanOrEqual(bytes.length);
  };
  fuzz('RIFF WAV', wavs, audio, boundedAudio);
  fuzz('NIST SPHERE', [sphere], audio, boundedAudio);

  const checkpoint = encodeArrayFile({ kind: 'checkpoint', step: 3 }, new Map([['w', new Float32Array([1, 2, 3])], ['v', new Float32Array(10)]]));
  fuzz('checkpoint file', [checkpoint], (bytes) => decodeArrayFile(bytes, 'c.bin'), (bytes, result) => {
    for (const a of (result as { arrays: Map<string, Float32Array> }).arrays.values()) expect(a.length * 4).toBeLessThanOrEqual(bytes.length);
  });

  it(`manifest checks: ${ROUNDS} mutated manifests and graph files give a list of problems, never a crash`, async () => {
    const { dir: model } = await randomBundle({ cell: 'gru', head: 'mulaw', hidden: 8, layers: 1, k: 4, featureSet: 'seed', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 }, 1, 1);
    const manifestBytes = new Uint8Array(readFileSync(join(model, 'manifest.json')));
    const stepBytes = new Uint8Array(readFileSync(join(model, 'step.onnx')));
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
    const rng = new Rng(11);
    for (let round = 0; round < ROUNDS; round++) {
      const mutated = mutate(rng, manifestBytes);
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(mutated));
      } catch {
        continue;
      }
      expect(Array.isArray(manifestProblems(parsed))).toBe(true);
      const graph = mutate(rng, stepBytes);
      const began = performance.now();
      expect(Array.isArray(graphMismatches('step graph', manifest.graphs.step, graph))).toBe(true);
      expect(performance.now() - began).toBeLessThan(500);
    }
  });
});
