import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { FidelityReport } from '../../metrics/fidelity.js';
import type { PitchReport } from '../../metrics/pitch-fidelity.js';
import type { CliContext } from '../cli-context.js';
import { parseChoice, parseNumberOption } from '../cli-errors.js';
import { usableUtterances } from '../usable-utterances.js';

interface EvalFlags {
  data: string;
  split?: string;
  utterances?: string;
  seed?: string;
  rngSeed?: string;
  temperature?: string;
  tfTemperature?: string;
  report?: string;
  json?: boolean;
  condition?: string;
  sharpening?: string;
  onBadUtterance?: string;
  backend?: string;
  kernelWeights?: string;
  fromText?: boolean;
  prompts?: string;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const num = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

export interface EvaluationRow {
  id: string;
  teacherForced: FidelityReport;
  freeRunning: FidelityReport;
  /** Free-running pitch figures (absent in reports made before they existed). */
  freeRunningPitch?: PitchReport;
}

/** One line per utterance: the headline figures of both modes, and the free-running pitch figures. */
export function evaluationTable(rows: readonly EvaluationRow[]): string {
  const header = `${pad('utterance', 16)} ${['tf snr', 'tf seg_snr', 'tf mel', 'fr mel', 'fr lsd', 'fr level', 'fr snr', 'fr horizon', 'nf/clip', 'fr f0 rmse', 'fr f0 corr', 'fr vuv %'].map((h) => h.padStart(10)).join(' ')}`;
  const line = ({ id, teacherForced: tf, freeRunning: fr, freeRunningPitch: p }: EvaluationRow): string =>
    `${pad(id, 16)} ${[num(tf.snr_db), num(tf.seg_snr_db), num(tf.mel_dist_db), num(fr.mel_dist_db), num(fr.lsd_db), num(fr.level_err_db), num(fr.snr_db), String(Math.round(fr.drift_horizon)), `${fr.nonfinite}/${fr.clipped}`, num(p?.f0_rmse_hz ?? Number.NaN), num(p?.f0_corr ?? Number.NaN), num(p?.vuv_error_pct ?? Number.NaN)].map((c) => c.padStart(10)).join(' ')}`;
  return [header, ...rows.map(line)].join('\n');
}

/** Mean of each pitch figure over utterances (NaN entries left out). */
export function averagePitch(reports: readonly PitchReport[]): PitchReport {
  const mean = (key: keyof PitchReport): number => {
    const values = reports.map((r) => r[key]).filter((v) => Number.isFinite(v));
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
  };
  return { f0_rmse_hz: mean('f0_rmse_hz'), f0_corr: mean('f0_corr'), vuv_error_pct: mean('vuv_error_pct'), frames: reports.reduce((n, r) => n + r.frames, 0), bothVoiced: reports.reduce((n, r) => n + r.bothVoiced, 0) };
}

/** `synth eval MODEL_DIR --data DIR`. */
export function registerEvalCommand(program: Command, context: CliContext): void {
  program
    .command('eval')
    .description('teacher-forced and free-running reconstructions of a set of utterances, with every fidelity figure')
    .argument('<model-dir>', 'model bundle')
    .requiredOption('--data <dir>', 'corpus folder')
    .option('--split <name>', 'dev (the model\'s dev utterances, else the last 10% by name) | train | all (default dev)')
    .option('--utterances <ids>', 'comma-separated utterance ids (instead of --split)')
    .option('--seed <K>', 'seed samples from each recording (default: the model\'s k)')
    .option('--rng-seed <s>', 'sampling seed (default 1)')
    .option('--temperature <t>', 'free-running sampling temperature (default: the one `synth tune` stored in the model, else 1 for mu-law and the mean for mse)')
    .option('--tf-temperature <t>', 'sample the teacher-forced run at this temperature (default: the expected value, the model\'s point prediction)')
    .option('--report <dir>', 'also write WAVs, figures, report.json and report.html there')
    .option('--json', 'print JSON instead of the table')
    .option('--condition <c>', 'vocoder bundles: phones (frame features predicted from the labels; default) | recording (measured on each recording)')
    .option('--backend <name>', 'wasm (the engine\'s kernel) | ort (onnxruntime); default: wasm where it loads')
    .option('--kernel-weights <w>', 'f32 (default) | int8 (8-bit recurrent and head weights)')
    .option('--from-text', 'speak each utterance from its prompt text (the bundle\'s text front end) and report per_pct, dur_rmse_ms, dur_corr and mel_dist_dtw_db')
    .option('--prompts <file>', 'with --from-text: festvox prompts (default: DIR/prompts.data)')
    .option('--on-bad-utterance <policy>', 'skip (default: a damaged recording is left out with a note) | stop')
    .option('--sharpening <slope>', 'vocoder bundles: voiced sharpening of free-running sampling (0 = off; default: the model\'s, else 1.5)')
    .action(async (modelDir: string, flags: EvalFlags) => {
      const sharpening = parseNumberOption('--sharpening', flags.sharpening, { min: 0, max: 10 });
      const condition = parseChoice('--condition', flags.condition, ['phones', 'recording'] as const);
      const onBad = parseChoice('--on-bad-utterance', flags.onBadUtterance, ['skip', 'stop'] as const) ?? 'skip';
      const split = parseChoice('--split', flags.split, ['dev', 'train', 'all'] as const) ?? 'dev';
      const seedSamples = parseNumberOption('--seed', flags.seed, { min: 0, integer: true });
      const rngSeed = parseNumberOption('--rng-seed', flags.rngSeed, { min: 0, integer: true }) ?? 1;
      const temperature = parseNumberOption('--temperature', flags.temperature, { min: 0, max: 100, exclusiveMin: true });
      const tfTemperature = parseNumberOption('--tf-temperature', flags.tfTemperature, { min: 0, max: 100, exclusiveMin: true });
      const { scanCorpus, selectUtterances } = await import('../../data/corpus/scan-corpus.js');
      const { splitByName } = await import('../../data/corpus/split-corpus.js');
      const { Engine } = await import('../../engine/engine.js');
      const { evaluateUtterance, averageReports } = await import('../../report/evaluate-utterance.js');
      const corpus = await scanCorpus(flags.data);
      const backend = parseChoice('--backend', flags.backend, ['wasm', 'ort'] as const);
      const kernelWeights = parseChoice('--kernel-weights', flags.kernelWeights, ['f32', 'int8'] as const);
      const engine = await Engine.load(modelDir, { ...(backend ? { backend } : {}), ...(kernelWeights ? { kernelWeights } : {}) });
      try {
        const manifest = engine.manifest;
        let refs = corpus.utterances;
        if (flags.utterances) refs = selectUtterances(corpus, flags.utterances.split(',').filter(Boolean));
        else if (split !== 'all') {
          const devIds = new Set(manifest.training.devUtterances);
          const known = refs.filter((r) => devIds.has(r.id));
          const dev = known.length > 0 ? known : splitByName(refs, 0.1).dev;
          refs = split === 'dev' ? dev : refs.filter((r) => !dev.includes(r));
        }
        refs = await usableUtterances(refs, context, onBad);
        if (flags.fromText) {
          const { evaluateTextCommand } = await import('./eval-text.js');
          await evaluateTextCommand(engine, refs, { data: flags.data, ...(flags.prompts ? { prompts: flags.prompts } : {}), rngSeed, ...(temperature !== undefined ? { temperature } : {}), json: Boolean(flags.json), ...(flags.report ? { report: flags.report } : {}) }, context);
          return;
        }
        const prosody = await (await import('../../data/features/feature-layout.js')).prosodyExtractorFor(manifest.spec.featureSet, manifest.spec.sampleRateHz);
        const settings = {
          rngSeed,
          ...(seedSamples !== undefined ? { seedSamples } : {}),
          ...(temperature !== undefined ? { temperature } : {}),
          ...(tfTemperature !== undefined ? { teacherForcedTemperature: tfTemperature } : {}),
          ...(prosody ? { prosodyOf: prosody.extract } : {}),
          ...(condition ? { condition } : {}),
          ...(sharpening !== undefined ? { voicedSharpening: sharpening } : {}),
        };
        const results = [];
        for (const ref of refs) {
          const r = await evaluateUtterance(engine, ref, settings);
          results.push(r);
          if (!flags.json) context.stderr.write(`  ${r.id}: tf snr ${num(r.teacherForced.snr_db)} dB, fr mel ${num(r.freeRunning.mel_dist_db)} dB\n`);
        }
        const rows: EvaluationRow[] = results.map((r) => ({ id: r.id, teacherForced: r.teacherForced, freeRunning: r.freeRunning, freeRunningPitch: r.freeRunningPitch }));
        const average: EvaluationRow | undefined =
          results.length > 0
            ? { id: 'average', teacherForced: averageReports(results.map((r) => r.teacherForced)), freeRunning: averageReports(results.map((r) => r.freeRunning)), freeRunningPitch: averagePitch(results.map((r) => r.freeRunningPitch)) }
            : undefined;
        const summary = { model: modelDir, data: flags.data, split: flags.utterances ? 'utterances' : split, settings: { rngSeed, seedSamples: seedSamples ?? manifest.spec.k, temperature: temperature ?? manifest.sampling.temperature ?? null, tfTemperature: tfTemperature ?? null, condition: condition ?? null }, utterances: rows, average };
        if (flags.report) {
          const { writeUtteranceFiles, writeHtmlReport, writeJson, figuresTable, mediaHtml } = await import('../../report/report-writer.js');
          const sections = [{ heading: 'average', html: average ? figuresTable([['average', average.teacherForced], ['average', average.freeRunning]]) : '' }];
          for (const r of results) {
            const sub = r.id.replace(/[^\w.-]+/g, '_');
            const files = await writeUtteranceFiles(join(flags.report, sub), r, manifest.spec.sampleRateHz);
            sections.push({ heading: r.id, html: `${figuresTable([[r.id, r.teacherForced], [r.id, r.freeRunning]])}\n${mediaHtml(`${sub}/`, files)}` });
          }
          writeJson(join(flags.report, 'report.json'), summary);
          await writeHtmlReport(join(flags.report, 'report.html'), `synth eval: ${modelDir}`, sections);
        }
        if (flags.json) context.stdout.write(`${JSON.stringify(summary)}\n`);
        else context.stdout.write(`${evaluationTable(average ? [...rows, average] : rows)}\n`);
      } finally {
        await engine.dispose();
      }
    });
}

/** The training log of a bundle (train-log.jsonl), if it has one. */
export function readTrainLog(dir: string): Array<{ step: number; trainLoss: number; devLoss: number | null }> {
  try {
    return readFileSync(join(dir, 'train-log.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}
