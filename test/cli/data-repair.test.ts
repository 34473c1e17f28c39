import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { swapSampleBytes } from '../../src/data/audio/recording-checks.js';
import { tempDir, writeToneUtterance, writeWav } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const PHONES: Array<[string, number]> = [['h#', 1600], ['aa', 6400], ['s', 4800], ['iy', 6400], ['h#', 1600]];
const SWAPPED: [number, number] = [5000, 15000];

/** A corpus of three tone utterances, `two` with a byte-swapped stretch; returns the clean samples of `two`. */
function damagedCorpus(): { root: string; cleanTwo: Int16Array } {
  const root = tempDir('synth-damaged-');
  writeToneUtterance(root, 'one', PHONES);
  const two = writeToneUtterance(root, 'two', PHONES);
  writeToneUtterance(root, 'three', PHONES);
  // The fixture writer scales by 32767; read back, the stored integers are these.
  const cleanTwo = Int16Array.from(two.samples, (v) => Math.round(v * 32767));
  const damaged = cleanTwo.slice();
  swapSampleBytes(damaged, [SWAPPED]);
  writeWav(join(root, 'two.wav'), Float32Array.from(damaged, (v) => v / 32767));
  return { root, cleanTwo };
}

function int16Data(path: string): Int16Array {
  const bytes = readFileSync(path);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.byteLength));
}

describe('damaged recordings (black box)', () => {
  it('data stats names the kind and the swapped range; data repair restores the clean recording and never writes the source', async () => {
    const { root, cleanTwo } = damagedCorpus();
    const stats = await runCli(['data', 'stats', root, '--json']);
    expect(stats.code).toBe(0);
    const problems = JSON.parse(stats.stdout.toString()).problems as Array<{ utterance: string; kind: string; ranges?: Array<[number, number]> }>;
    const recording = problems.filter((p) => p.kind !== 'label');
    expect(recording).toHaveLength(1);
    expect(recording[0]).toMatchObject({ utterance: 'two', kind: 'byte-order' });
    const [[start, end]] = recording[0]!.ranges as [[number, number]];
    expect(Math.abs(start - SWAPPED[0])).toBeLessThanOrEqual(64);
    expect(Math.abs(end - SWAPPED[1])).toBeLessThanOrEqual(64);
    const text = await runCli(['data', 'stats', root]);
    expect(text.stdout.toString()).toMatch(/1 damaged recording\(s\)/);
    expect(text.stdout.toString()).toMatch(/recording two: byte-order: \d+ samples stored big-endian/);

    const before = readFileSync(join(root, 'two.wav'));
    const out = join(tempDir(), 'repaired');
    const repair = await runCli(['data', 'repair', root, '--out', out]);
    expect(repair.code).toBe(0);
    expect(readFileSync(join(root, 'two.wav')).equals(before)).toBe(true);
    expect(Array.from(int16Data(join(out, 'two.wav')))).toEqual(Array.from(cleanTwo));
    expect(readFileSync(join(out, 'one.wav')).equals(readFileSync(join(root, 'one.wav')))).toBe(true);
    expect(readFileSync(join(out, 'two.phn'), 'utf8')).toBe(readFileSync(join(root, 'two.phn'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, 'repairs.json'), 'utf8'));
    expect(report.repaired).toEqual([{ utterance: 'two', file: 'two.wav', kind: 'byte-order', ranges: [[start, end]] }]);
    const restats = await runCli(['data', 'stats', out, '--json']);
    expect(JSON.parse(restats.stdout.toString()).problems.filter((p: { kind: string }) => p.kind !== 'label')).toEqual([]);

    const inside = await runCli(['data', 'repair', root, '--out', join(root, 'copy')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/the source is never written/);
  });

  it('judges levels within each corpus: a quiet extra corpus (other speakers) is not skipped for being quieter than the main one', async () => {
    const main = damagedCorpus().root;
    const quiet = tempDir('synth-quiet-');
    for (const name of ['q1', 'q2', 'q3']) {
      const u = writeToneUtterance(quiet, name, PHONES);
      writeWav(join(quiet, `${name}.wav`), Float32Array.from(u.samples, (v) => v * 0.02));
    }
    const out = join(tempDir(), 'model');
    const run = await runCli(['train', '--data', main, '--add-data', quiet, '--hidden', '8', '--k', '8', '--epochs', '1', '--batch', '2', '--bptt', '50', '--dev-fraction', '0', '--features', 'seed', '--phone-set', 'timit61', '--out', out, '--no-export'], { timeoutMs: 120000 });
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.training.utterances.sort()).toEqual(['one', 'q1', 'q2', 'q3', 'three']);
    expect(manifest.training.skippedUtterances.map((s: { id: string }) => s.id)).toEqual(['two']);
  });

  it('training skips a damaged recording with a note naming it and the kind, and lists it in the manifest; --on-bad-utterance stop stops', async () => {
    const { root } = damagedCorpus();
    const out = join(tempDir(), 'model');
    const run = await runCli(['train', '--data', root, '--hidden', '8', '--k', '8', '--epochs', '1', '--batch', '2', '--bptt', '50', '--dev-fraction', '0', '--features', 'seed', '--phone-set', 'timit61', '--out', out, '--no-export'], { timeoutMs: 120000 });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/note: skipped two: damaged recording \(byte-order: /);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.training.utterances.sort()).toEqual(['one', 'three']);
    expect(manifest.training.skippedUtterances).toEqual([{ id: 'two', reason: expect.stringMatching(/byte-order/) }]);
    const stop = await runCli(['train', '--data', root, '--hidden', '8', '--k', '8', '--epochs', '1', '--batch', '2', '--bptt', '50', '--dev-fraction', '0', '--features', 'seed', '--phone-set', 'timit61', '--out', join(tempDir(), 'm2'), '--on-bad-utterance', 'stop'], { timeoutMs: 120000 });
    expect(stop.code).toBe(4);
    expect(stop.stderr.trim().split('\n').pop()).toMatch(/two.wav: damaged recording \(byte-order: .*\[E_RECORDING_DAMAGED\]/);
  });
});
