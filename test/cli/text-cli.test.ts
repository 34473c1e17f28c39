import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLabelText } from '../../src/data/labels/read-labels.js';
import { tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { vocoderFixture } from '../helpers/vocoder-bundle.js';

let model: string;
beforeAll(async () => {
  model = await vocoderFixture();
}, 60000);

const wavSamples = (path: string): number => (readFileSync(path).length - 44) / 2;

describe('synth --text and synth phones (black box, fixture bundle)', () => {
  it('speaks text to a WAV, sentence by sentence, and says what it could not read', async () => {
    const dir = tempDir();
    const out = join(dir, 'hello.wav');
    const run = await runCli(['--model', model, '--text', 'Hello world, this is synth. Dr. Smith paid $3.50 ✈ in 1999!', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: cannot read "✈" \(a symbol\)/);
    expect(run.stderr).toMatch(/done: 2 sentence\(s\), [\d.]+ s of audio/);
    expect(wavSamples(out)).toBeGreaterThan(16000);
  }, 60000);

  it('reads festvox prompts from a file, and refuses empty text, punctuation only and conflicting options in one line', async () => {
    const dir = tempDir();
    const prompts = join(dir, 'prompts.data');
    writeFileSync(prompts, '( a1 "First one." )\n( a2 "And the second." )\n');
    const run = await runCli(['--model', model, '--text-file', prompts, '--out', join(dir, 'p.wav')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/done: 2 sentence\(s\)/);
    const empty = await runCli(['--model', model, '--text', '   ', '--out', join(dir, 'e.wav')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim().split('\n')).toHaveLength(1);
    expect(empty.stderr).toMatch(/the text is empty/);
    const punctuation = await runCli(['--model', model, '--text', '...!?', '--out', join(dir, 'n.wav')]);
    expect(punctuation.code).toBe(4);
    expect(punctuation.stderr.trim().split('\n').pop()).toMatch(/the text has no words to speak/);
    const both = await runCli(['--model', model, '--text', 'Hi.', '--phones', 'x.lab']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--text and --phones exclude each other/);
  }, 60000);

  it('writes the timed phones of text in any label format, and retimes a label file', async () => {
    const dir = tempDir();
    for (const ext of ['lab', 'phn', 'TextGrid', 'json', 'segs']) {
      const out = join(dir, `hello.${ext}`);
      const run = await runCli(['phones', '--model', model, '--text', 'Hello world.', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const format = { lab: 'htk', phn: 'timit', TextGrid: 'textgrid', json: 'json', segs: 'segs' }[ext] as 'htk';
      const parsed = parseLabelText(readFileSync(out, 'utf8'), out, format);
      expect(parsed.segments.map((s) => s.phone).join(' ')).toBe('pau hh ax l ow w er l d pau');
    }
    const retimed = join(dir, 'retimed.lab');
    const run = await runCli(['phones', '--model', model, '--phones', join(dir, 'hello.phn'), '--durations', 'predict', '--out', retimed]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseLabelText(readFileSync(retimed, 'utf8'), retimed, 'htk').segments.map((s) => s.phone).join(' ')).toBe('pau hh ax l ow w er l d pau');
  }, 60000);
});
