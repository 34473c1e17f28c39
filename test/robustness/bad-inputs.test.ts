import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBundle } from '../helpers/bundles.js';
import { sine, tempDir, writeToneUtterance, writeWav } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

let model: string;
let dir: string;
let phn: string;
let wav: string;

beforeAll(async () => {
  ({ dir: model } = await randomBundle({ cell: 'rnn', head: 'mse', hidden: 16, layers: 1, k: 12, featureSet: 'seed', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 }, 2, 1));
  dir = tempDir();
  ({ phn, wav } = writeToneUtterance(dir, 'utt', [['h#', 1600], ['aa', 3200], ['h#', 1600]]));
});

/** Write a case's files into its own folder (labels beside a copy of the recording unless told). */
function caseDir(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

interface Expect {
  code: number;
  message: RegExp;
}

/** The contract for every bad input: the exit code, one line naming the problem, no trace, no output. */
async function expectFailure(args: string[], want: Expect, out?: string): Promise<string> {
  const run = await runCli(args);
  const lines = run.stderr.trim().split('\n');
  expect(run.code, run.stderr).toBe(want.code);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^synth: error: /);
  expect(lines[0]).toMatch(want.message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  if (out) {
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }
  return lines[0] as string;
}

const synthArgs = (phones: string, extra: string[] = [], out = join(dir, 'never.wav')): string[] => ['--phones', phones, '--seed', '0', '--model', model, '--out', out, ...extra];

describe('bad phone files', () => {
  const cases: Array<[string, string, string, Expect]> = [
    ['empty', 'x.phn', '', { code: 4, message: /x\.phn: the label file is empty/ }],
    ['binary', 'x.phn', '\u0000\u0001\u0002garbage\u00ff\u0000', { code: 4, message: /binary content, not a text label file/ }],
    ['nonnumeric', 'x.phn', '0 100 h#\n100 abc aa\n', { code: 4, message: /x\.phn:2: end "abc" is not a number/ }],
    ['negative', 'x.phn', '-5 100 h#\n', { code: 4, message: /x\.phn:1: start -5 is negative/ }],
    ['reversed', 'x.phn', '0 100 h#\n300 200 aa\n', { code: 4, message: /x\.phn:2: segment "aa" ends before it starts/ }],
    ['overlap', 'x.phn', '0 100 h#\n50 200 aa\n', { code: 4, message: /x\.phn:2: .*inside the previous segment/ }],
    ['unsorted', 'x.phn', '100 200 h#\n0 100 aa\n', { code: 4, message: /x\.phn:2: .*not in time order/ }],
    ['unknownformat', 'x.xyz', '0 100 h#\n', { code: 4, message: /unknown label format for extension "\.xyz"/ }],
    ['mismatch', 'x.phn', '{"segments": []}', { code: 4, message: /the extension says timit labels but the content looks like json/ }],
  ];
  for (const [name, file, content, want] of cases) {
    it(`${name}: ${want.message.source}`, async () => {
      const d = caseDir(name);
      const path = join(d, file);
      writeFileSync(path, content);
      await expectFailure(synthArgs(path, [], join(d, 'out.wav')), want, join(d, 'out.wav'));
    });
  }

  it('missing, or a folder: exit 3 with the path', async () => {
    await expectFailure(synthArgs(join(dir, 'nope.phn')), { code: 3, message: /nope\.phn: cannot read the label file \(no such file or folder\)/ });
    await expectFailure(synthArgs(dir), { code: 3, message: /the label path is not a regular file/ });
    // The path is printed as given, dots and all.
    const line = await expectFailure(synthArgs(`${dir}/sub/../nope.phn`), { code: 3, message: /cannot read the label file/ });
    expect(line).toContain(`${dir}/sub/../nope.phn: `);
  });

  it('times past the end of the audio', async () => {
    const d = caseDir('pastend');
    copyFileSync(wav, join(d, 'x.wav'));
    writeFileSync(join(d, 'x.phn'), '0 1600 h#\n1600 90000 aa\n');
    await expectFailure(synthArgs(join(d, 'x.phn')), { code: 4, message: /x\.phn:2: labels end at sample 90000 .* but the audio has only 6400 samples/ });
  });

  it('unknown phone symbols: every one listed, with the model set and the mapping option', async () => {
    const d = caseDir('unknown');
    writeFileSync(join(d, 'x.phn'), '0 100 h#\n100 200 xx\n200 300 yy\n300 400 xx\n');
    const line = await expectFailure(synthArgs(join(d, 'x.phn')), { code: 6, message: /2 phone symbol\(s\) not in the model's set radio/ });
    expect(line).toMatch(/"xx" \(line 2\), "yy" \(line 3\)/);
    expect(line).toMatch(/model's set is: aa ae ah/);
    expect(line).toMatch(/--phone-map FILE\.json/);
  });
});

describe('bad seeds', () => {
  it('K larger than the recording, negative, not an integer, or without a recording', async () => {
    await expectFailure(['--phones', phn, '--seed', '99999', '--model', model, '--out', join(dir, 'n.wav')], { code: 6, message: /--seed 99999 is longer than the recording \(6400 samples/ });
    await expectFailure(['--phones', phn, '--seed', '-3', '--model', model], { code: 2, message: /--seed: got "-3", allowed an integer in \[0, inf\)/ });
    await expectFailure(['--phones', phn, '--seed', '1.5', '--model', model], { code: 2, message: /--seed: got "1.5", allowed an integer/ });
    const d = caseDir('nowav');
    writeFileSync(join(d, 'solo.phn'), '0 1600 h#\n');
    await expectFailure(['--phones', join(d, 'solo.phn'), '--seed', '100', '--model', model], { code: 6, message: /--seed 100 needs a recording to take 100 samples from, and none was found .*--wav FILE, or use --seed 0/ });
  });

  it('K smaller than the model window is allowed: the window starts with silence (documented)', async () => {
    const out = join(dir, 'short-seed.wav');
    const run = await runCli(['--phones', phn, '--seed', '5', '--model', model, '--out', out]);
    expect(run.code).toBe(0);
    expect(readFileSync(out).length).toBe(44 + 6400 * 2);
  });
});

describe('bad recordings', () => {
  const bad = (name: string, bytes: Uint8Array | Buffer): string => {
    const d = caseDir(`wav-${name}`);
    writeFileSync(join(d, 'x.phn'), readFileSync(phn));
    writeFileSync(join(d, 'x.wav'), bytes);
    return join(d, 'x.phn');
  };
  it('missing, truncated header, wrong magic, zero samples, or a header claiming more samples than the file holds', async () => {
    const good = readFileSync(wav);
    await expectFailure(['--phones', phn, '--seed', '10', '--wav', join(dir, 'nope.wav'), '--model', model], { code: 3, message: /nope\.wav: cannot read the audio file/ });
    await expectFailure(synthArgs(bad('trunc', good.subarray(0, 20)), ['--seed', '10']), { code: 4, message: /truncated header/ });
    const magic = Buffer.from(good);
    magic.write('JUNK', 0);
    await expectFailure(synthArgs(bad('magic', magic), ['--seed', '10']), { code: 4, message: /wrong magic: the file starts with "JUNK"/ });
    const empty = Buffer.from(good.subarray(0, 44));
    empty.writeUInt32LE(0, 40);
    empty.writeUInt32LE(36, 4);
    await expectFailure(synthArgs(bad('empty', empty), ['--seed', '10']), { code: 4, message: /the recording has zero samples/ });
    const claims = Buffer.from(good);
    claims.writeUInt32LE(0x7ffffff0, 40);
    await expectFailure(synthArgs(bad('claims', claims), ['--seed', '10']), { code: 4, message: /the header claims \d+ samples .* but the file holds only 6400/ });
  });

  it('another sample rate: both rates named, and how to resample', async () => {
    const d = caseDir('rate');
    writeFileSync(join(d, 'x.phn'), '0 3200 h#\n');
    writeWav(join(d, 'x.wav'), sine(3200), 8000);
    const line = await expectFailure(synthArgs(join(d, 'x.phn'), ['--seed', '10']), { code: 6, message: /sample rate is 8000 Hz, but 16000 Hz is needed/ });
    expect(line).toMatch(/sox IN\.wav -r 16000 OUT\.wav/);
  });

  it('multi-channel: refused unless --channel N; 8/24/32-bit and float recordings are read', async () => {
    const d = caseDir('stereo');
    writeFileSync(join(d, 'x.phn'), readFileSync(phn));
    writeWav(join(d, 'x.wav'), new Float32Array(6400).map((_, i) => Math.sin(i / 9) * 0.3), 16000, '16', 2);
    await expectFailure(synthArgs(join(d, 'x.phn'), ['--seed', '10']), { code: 4, message: /the audio has 2 channels.*--channel N \(1 to 2\)/ });
    expect((await runCli([...synthArgs(join(d, 'x.phn'), ['--seed', '10', '--channel', '1'], join(d, 'ok.wav'))])).code).toBe(0);
    for (const depth of ['8', '24', '32', '32f'] as const) {
      const e = caseDir(`depth${depth}`);
      writeFileSync(join(e, 'x.phn'), readFileSync(phn));
      writeWav(join(e, 'x.wav'), sine(6400, 300, 0.4), 16000, depth);
      const run = await runCli(synthArgs(join(e, 'x.phn'), ['--seed', '100'], join(e, 'ok.wav')));
      expect(run.code, `${depth}: ${run.stderr}`).toBe(0);
    }
  });
});

describe('bad models', () => {
  const copyModel = (name: string): string => {
    const d = caseDir(`model-${name}`);
    for (const f of readdirSync(model)) copyFileSync(join(model, f), join(d, f));
    return d;
  };

  it('missing folder, missing or malformed manifest, a newer bundle version', async () => {
    await expectFailure(['--phones', phn, '--model', join(dir, 'no-model')], { code: 5, message: /the model folder cannot be read \(no such file or folder\)/ });
    const noManifest = copyModel('nomanifest');
    writeFileSync(join(noManifest, 'manifest.json'), '{ not json');
    await expectFailure(['--phones', phn, '--model', noManifest], { code: 5, message: /manifest\.json is not valid JSON/ });
    const newer = copyModel('newer');
    const m = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'));
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify({ ...m, version: 99 }));
    await expectFailure(['--phones', phn, '--model', newer], { code: 5, message: /made by a newer version of synth \(bundle version 99; this synth reads up to 1\)/ });
    const incomplete = copyModel('incomplete');
    writeFileSync(join(incomplete, 'manifest.json'), JSON.stringify({ ...m, spec: { ...m.spec, k: 'forty' }, graphs: undefined }));
    await expectFailure(['--phones', phn, '--model', incomplete], { code: 5, message: /the manifest has 4 problem\(s\): spec\.k should be a positive integer.*graphs\.step\.file/ });
  });

  it('a manifest that does not match its graphs lists every mismatch at once', async () => {
    const d = copyModel('mismatch');
    const m = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'));
    m.graphs.step.inputs[0].name = 'samples_window';
    m.graphs.chunk.inputs[1].shape = ['B', 99];
    m.graphs.chunk.opset = 16;
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    const line = await expectFailure(['--phones', phn, '--model', d], { code: 5, message: /the bundle does not match its manifest \(4 problem\(s\)\)/ });
    expect(line).toMatch(/no input "samples_window"/);
    expect(line).toMatch(/input "window" is not in the manifest/);
    expect(line).toMatch(/input "window" has shape \[B, 12\], the manifest says \[B, 99\]/);
    expect(line).toMatch(/opset is 17, the manifest says 16/);
  });

  it('truncated or corrupt .onnx', async () => {
    const truncated = copyModel('truncated');
    writeFileSync(join(truncated, 'chunk.onnx'), readFileSync(join(model, 'chunk.onnx')).subarray(0, 500));
    await expectFailure(['--phones', phn, '--model', truncated], { code: 5, message: /chunk\.onnx does not match its recorded sha256.*not a readable ONNX file|not a readable ONNX file|sha256/ });
    const corrupt = copyModel('corrupt');
    const bytes = readFileSync(join(model, 'step.onnx'));
    for (let i = 100; i < bytes.length; i += 97) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(join(corrupt, 'step.onnx'), bytes);
    await expectFailure(['--phones', phn, '--model', corrupt], { code: 5, message: /step\.onnx does not match its recorded sha256/ });
  });
});

describe('bad options', () => {
  it('unknown flags, out-of-range values and conflicts name the option and the allowed range', async () => {
    await expectFailure(['--phones', phn, '--bogus'], { code: 2, message: /unknown option '--bogus'/ });
    await expectFailure(['--phones', phn, '--model', model, '--chunk', '0'], { code: 2, message: /--chunk: got "0", allowed an integer in \[1, 1048576\]/ });
    await expectFailure(['--phones', phn, '--model', model, '--temperature', '0'], { code: 2, message: /--temperature: got "0", allowed a number in \(0, 100\]/ });
    await expectFailure(['--phones', phn, '--model', model, '--temperature', '-1'], { code: 2, message: /--temperature/ });
    await expectFailure(['--phones', phn, '--model', model, '--streams', '0'], { code: 2, message: /--streams: got "0", allowed an integer in \[1, 256\]/ });
    await expectFailure(['--phones', phn, '--model', model, '--mode', 'fast'], { code: 2, message: /--mode: got "fast", allowed: chunk, step/ });
    await expectFailure(['--phones', phn, '--model', model, '--format', 'f32le', '--out', 'x.wav'], { code: 2, message: /--format sets the raw PCM format of --out -, and no --out - was given/ });
    await expectFailure(['--phones', phn, '--model', model, '--out', '-', '--out', '-'], { code: 2, message: /"-" \(stdout\) is given more than once/ });
    await expectFailure(['--phones', phn, '--model', model, '--out', 'x.mp3'], { code: 2, message: /--out: got "x\.mp3", allowed: a \.wav path/ });
    const d = caseDir('tfnowav');
    writeFileSync(join(d, 'solo.phn'), '0 1600 h#\n');
    await expectFailure(['--phones', join(d, 'solo.phn'), '--model', model, '--teacher-forced'], { code: 2, message: /--teacher-forced: teacher forcing feeds the recording back, and there is no recording/ });
    await expectFailure(['train', '--data', dir, '--hidden', '10'], { code: 2, message: /--hidden: got 10, allowed a multiple of 4/ });
    await expectFailure(['train', '--data', dir, '--epochs', '0'], { code: 2, message: /--epochs: got "0"/ });
  });
});

describe('outputs that cannot be written', () => {
  it('an unwritable output path or metrics file: exit 7, nothing left behind', async () => {
    await expectFailure(['--phones', phn, '--seed', '0', '--model', model, '--out', '/nonexistent/dir/x.wav'], { code: 7, message: /\/nonexistent\/dir\/x\.wav: cannot create the output file \(no such file or folder\)/ });
    await expectFailure(['--phones', phn, '--seed', '0', '--model', model, '--out', join(dir, 'm.wav'), '--metrics', 'json=/nonexistent/m.jsonl'], { code: 7, message: /cannot write the metrics file/ }, join(dir, 'm.wav'));
  });
});
