import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/data/audio/read-audio.js';
import { tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const DEMO = join(process.cwd(), 'models', 'default', 'demo');

function rmsDb(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return 10 * Math.log10(s / x.length + 1e-20);
}

function summaryOf(path: string): { length_samples: number; produced_samples: number; condition: string; guard: { nonfinite: number; clipped: number }; fidelity: { mel_dist_db: number; clipped: number } | null } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string);
}

/** The shipped default model as a user meets it (the README's first commands), black box. */
describe('the shipped default model', () => {
  it('speaks a label file alone in an empty folder with --seed 0: full length, audible, nothing clipped, the same audio for the same rng seed', async () => {
    const dir = tempDir();
    copyFileSync(join(DEMO, 'hello.lab'), join(dir, 'hello.lab'));
    const outs = [join(dir, 'a.wav'), join(dir, 'b.wav')];
    for (const [i, out] of outs.entries()) {
      const run = await runCli(['--phones', join(dir, 'hello.lab'), '--seed', '0', '--out', out, '--rng-seed', '3', '--metrics', `json=${join(dir, `m${i}.json`)}`]);
      expect(run.code, run.stderr).toBe(0);
    }
    const summary = summaryOf(join(dir, 'm0.json'));
    expect(summary.condition).toBe('phones');
    expect(summary.produced_samples).toBe(summary.length_samples);
    expect(summary.guard).toMatchObject({ nonfinite: 0, clipped: 0 });
    const audio = await readAudioFile(outs[0] as string);
    // hello.lab ends at 1.7965 s.
    expect(audio.samples.length).toBe(28744);
    expect(rmsDb(audio.samples)).toBeGreaterThan(-40);
    expect(rmsDb(audio.samples)).toBeLessThan(-6);
    expect(readFileSync(outs[0] as string).equals(readFileSync(outs[1] as string))).toBe(true);
  }, 60000);

  it('re-renders a recording with --condition recording (a vocoder) and measures its drift; with no recording it fails in one line', async () => {
    const dir = tempDir();
    const run = await runCli(['--phones', join(DEMO, 'festival.segs'), '--condition', 'recording', '--seed', '0', '--out', join(dir, 'v.wav'), '--metrics', `json=${join(dir, 'm.json')}`]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(join(dir, 'm.json'));
    expect(summary.condition).toBe('recording');
    expect(summary.guard).toMatchObject({ nonfinite: 0 });
    // Measured 5.4 dB on this Festival sentence (an unseen speaker's synthetic voice); phones alone give about 9.
    expect(summary.fidelity?.mel_dist_db).toBeLessThan(7.5);
    expect(summary.fidelity?.clipped).toBe(0);
    copyFileSync(join(DEMO, 'hello.lab'), join(dir, 'hello.lab'));
    const refused = await runCli(['--phones', join(dir, 'hello.lab'), '--condition', 'recording', '--out', join(dir, 'r.wav')]);
    expect(refused.code).toBe(6);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/--condition recording .* none was found .* --wav FILE/);
  }, 60000);

  it('speaks text: `synth --text` writes the sentence, with the word it did not know by letter-to-sound', async () => {
    const dir = tempDir();
    const run = await runCli(['--text', 'Hello world, this is synth.', '--out', join(dir, 't.wav'), '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/1 sentence\(s\)/);
    expect(run.stderr).toMatch(/spoken by letter-to-sound: synth/);
    const audio = await readAudioFile(join(dir, 't.wav'));
    expect(audio.samples.length / 16000).toBeGreaterThan(1.2);
    expect(audio.samples.length / 16000).toBeLessThan(2.6);
    expect(rmsDb(audio.samples)).toBeGreaterThan(-40);
  }, 60000);
});
