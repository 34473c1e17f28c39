import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { toneCorpus } from '../helpers/tone-corpus.js';

const small = ['--cell', 'gru', '--hidden', '16', '--k', '8', '--head', 'mulaw', '--features', 'rich', '--batch', '4', '--bptt', '32'];

describe('experiment, eval and tune (black box)', () => {
  it('synth experiment overfit writes three WAVs, the figures, report.json and report.html with every figure', async () => {
    const corpus = toneCorpus(2);
    const out = join(tempDir(), 'exp');
    const run = await runCli(['experiment', 'overfit', '--data', corpus, '--utterance', 'utt0', '--out', out, '--epochs', '3', '--bptt', '32', '--batch', '4', '--hidden', '16', '--k', '8'], { timeoutMs: 180000 });
    expect(run.code, run.stderr).toBe(0);
    for (const f of ['truth.wav', 'teacher-forced.wav', 'free-running.wav', 'waveform-full.svg', 'waveform-zoom.svg', 'spectrograms.svg', 'f0-contours.svg', 'drift.svg', 'loss.svg', 'report.json', 'report.html']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ kind: 'overfit-experiment', utterance: 'utt0', preset: '2014', spec: { cell: 'rnn', hidden: 16, head: 'mse', k: 8 } });
    for (const mode of ['teacherForced', 'freeRunning']) {
      for (const key of ['nmse', 'snr_db', 'seg_snr_db', 'lsd_db', 'mel_dist_db', 'level_err_db', 'drift_horizon', 'nonfinite', 'clipped']) expect(report[mode]).toHaveProperty(key);
    }
    expect(report.command).toMatch(/^synth experiment overfit/);
    expect(report.training.curve.length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<audio controls src="free-running\.wav">/);
    expect(readFileSync(join(out, 'spectrograms.svg'), 'utf8')).toMatch(/^<svg/);
    expect(run.stdout.toString()).toMatch(/utt0\s+-?\d+\.\d+/);
  });

  it('synth eval prints a row per utterance and the average; tune records a temperature chosen on training utterances', async () => {
    const corpus = toneCorpus(4);
    const model = join(tempDir(), 'm');
    const trained = await runCli(['train', '--data', corpus, '--out', model, ...small, '--epochs', '2', '--dev-fraction', '0.25'], { timeoutMs: 180000 });
    expect(trained.code, trained.stderr).toBe(0);
    const evaluated = await runCli(['eval', model, '--data', corpus, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const summary = JSON.parse(evaluated.stdout.toString());
    expect(summary.utterances.map((u: { id: string }) => u.id)).toEqual(['utt3']);
    expect(summary.average.teacherForced.mode).toBe('teacher-forced');
    const refused = await runCli(['tune', model, '--data', corpus, '--utterances', 'utt3']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/tuning on dev utterances would make the dev figures optimistic/);
    const tuned = await runCli(['tune', model, '--data', corpus, '--temperatures', '0.5,1']);
    expect(tuned.code, tuned.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'));
    expect([0.5, 1]).toContain(manifest.sampling.temperature);
    expect(manifest.sampling.temperatureChosenOn).not.toContain('utt3');
    // The bundle still loads after the manifest changed (graph hashes are unaffected).
    const again = await runCli(['eval', model, '--data', corpus]);
    expect(again.code, again.stderr).toBe(0);
  });
});
