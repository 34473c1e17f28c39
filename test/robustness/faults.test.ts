import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArrayFile } from '../../src/model/training/checkpoint-file.js';
import { randomBundle } from '../helpers/bundles.js';
import { tempDir, writeToneUtterance } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { toneCorpus } from '../helpers/tone-corpus.js';

const BIN = join(process.cwd(), 'bin', 'synth.js');
const small = ['--cell', 'rnn', '--hidden', '16', '--k', '8', '--head', 'mse', '--features', 'seed', '--batch', '4', '--bptt', '32', '--dev-fraction', '0'];

describe('training faults', () => {
  it('Ctrl-C writes a checkpoint, exits 130 with the resume command, and --resume finishes the run', async () => {
    const corpus = toneCorpus(3, 4);
    const out = join(tempDir(), 'model');
    const child = spawn(process.execPath, [BIN, 'train', '--data', corpus, '--out', out, ...small, '--epochs', '400', '--no-export']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT received: finishing the current step and writing a checkpoint/);
    expect(stderr).toMatch(/resume with: synth train .* --resume/);
    const { header } = readArrayFile<{ globalStep: number }>(join(out, 'checkpoint.bin'));
    expect(header.globalStep).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const resumed = await runCli(['train', '--data', corpus, '--out', out, ...small, '--epochs', '400', '--no-export', '--resume', '--max-minutes', '0.05'], { timeoutMs: 120000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resumed from .*checkpoint\\.bin at step ${header.globalStep}`));
  });

  it('a corrupt utterance among many is skipped with a warning and a count, or stops the run with --on-bad-utterance stop', async () => {
    const corpus = toneCorpus(3);
    writeFileSync(join(corpus, 'utt1.phn'), '0 100 aa\n50 200 s\n');
    const out = join(tempDir(), 'm');
    const skip = await runCli(['train', '--data', corpus, '--out', out, ...small, '--epochs', '1', '--no-export']);
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stderr).toMatch(/skipped utt1: .*inside the previous segment/);
    expect(skip.stderr).toMatch(/on 2 utterance\(s\), 1 skipped/);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).training.skippedUtterances).toHaveLength(1);
    const stop = await runCli(['train', '--data', corpus, '--out', join(tempDir(), 'm2'), ...small, '--epochs', '1', '--on-bad-utterance', 'stop']);
    expect(stop.code).toBe(4);
    expect(stop.stderr.trim().split('\n')).toHaveLength(1);
  });
});

const mountable = spawnSync('bash', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d && rmdir $d'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!mountable)('a full disk (a 1 MB tmpfs; skipped where mounting is not allowed)', () => {
  const mnt = tempDir('synth-full-');
  beforeAll(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  });
  afterAll(() => {
    spawnSync('umount', [mnt]);
  });

  it('synthesis: a clear error, no partial WAV left', async () => {
    const { dir: model } = await randomBundle({ cell: 'rnn', head: 'mse', hidden: 16, layers: 1, k: 12, featureSet: 'seed', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 }, 2, 1);
    const d = tempDir();
    const { phn } = writeToneUtterance(d, 'long', Array.from({ length: 40 }, (_, i) => [i % 2 ? 'aa' : 's', 16000] as [string, number]));
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(700 * 1024));
    const run = await runCli(['--phones', phn, '--seed', '0', '--model', model, '--out', join(mnt, 'x.wav')]);
    expect(run.code).toBe(7);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/x\.wav: cannot write the output file \(no space left on the device\)/);
    expect(readdirSync(mnt).filter((f) => f !== 'filler')).toEqual([]);
    rmSync(join(mnt, 'filler'));
  });

  it('training: the error is clear and the earlier checkpoint stays intact', async () => {
    const corpus = toneCorpus(2);
    const out = join(mnt, 'model');
    mkdirSync(out);
    const first = await runCli(['train', '--data', corpus, '--out', out, ...small, '--epochs', '1', '--no-export']);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(out, 'checkpoint.bin'));
    const free = Number(execFileSync('df', ['--output=avail', '-B1', mnt], { encoding: 'utf8' }).trim().split('\n')[1]);
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - 4096)));
    const second = await runCli(['train', '--data', corpus, '--out', out, ...small, '--epochs', '3', '--resume', '--no-export']);
    expect(second.code).toBe(7);
    expect(second.stderr).toMatch(/no space left on the device/);
    expect(Buffer.compare(readFileSync(join(out, 'checkpoint.bin')), before)).toBe(0);
    expect(existsSync(join(out, 'checkpoint.bin'))).toBe(true);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
