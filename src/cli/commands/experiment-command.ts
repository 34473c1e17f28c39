import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseNumberOption } from '../cli-errors.js';
import type { TemperatureTrial } from '../../report/choose-temperature.js';
import { formatDuration } from '../progress-line.js';
import { evaluationTable, readTrainLog } from './eval-command.js';
import { addTrainingOptions, runTraining, trainingConfigFromFlags } from './train-command.js';

/** `synth experiment overfit`: the 2014 experiment in one command. */
export function registerExperimentCommand(program: Command, context: CliContext): void {
  const experiment = program.command('experiment').description('reproducible experiments with reports');
  const overfit = experiment
    .command('overfit')
    .description('train on one utterance (the 2014 preset by default), export, and reconstruct it teacher-forced and free-running, with a report')
    .requiredOption('--data <dir>', 'corpus folder')
    .option('--out <dir>', 'experiment folder (default runs/overfit-<utterance>-<preset>)')
    .option('--rng-seed <s>', 'sampling seed for the reconstructions (default 1)')
    .option('--temperature <t>', 'free-running sampling temperature');
  addTrainingOptions(overfit).action(async (flags: Record<string, string | string[] | boolean | undefined>) => {
    const utterances = flags['utterance'] as string[] | undefined;
    if (!utterances || utterances.length !== 1) {
      throw new UsageError({ code: 'E_OPTION_MISSING', where: '--utterance', message: 'the overfit experiment trains on exactly one utterance', hint: 'e.g. --utterance arctic_a0001' });
    }
    const preset = (flags['preset'] as string | undefined) ?? '2014';
    const utterance = utterances[0] as string;
    const out = (flags['out'] as string | undefined) ?? join('runs', `overfit-${utterance.replace(/[^\w.-]+/g, '_')}-${preset}`);
    const modelDir = join(out, 'model');
    const config = await trainingConfigFromFlags({ ...(flags as object), data: flags['data'] as string, preset } as Parameters<typeof trainingConfigFromFlags>[0], modelDir);
    config.devFraction = 0;
    const command = `synth ${process.argv.slice(2).join(' ')}`;
    const { result, interrupted } = await runTraining(config, flags as { backend?: string }, context, command);
    if (interrupted) {
      const { InterruptedRun } = await import('./train-command.js');
      throw new InterruptedRun(130);
    }
    const { exportBundle } = await import('../../export/export-bundle.js');
    await exportBundle(modelDir);
    const { Engine } = await import('../../engine/engine.js');
    const { scanCorpus, selectUtterances } = await import('../../data/corpus/scan-corpus.js');
    const { evaluateUtterance } = await import('../../report/evaluate-utterance.js');
    const { chooseTemperature } = await import('../../report/choose-temperature.js');
    const { writeUtteranceFiles, writeHtmlReport, writeJson, figuresTable, mediaHtml, preHtml } = await import('../../report/report-writer.js');
    const [ref] = selectUtterances(await scanCorpus(config.data), [utterance]);
    const engine = await Engine.load(modelDir);
    try {
      const rngSeed = parseNumberOption('--rng-seed', flags['rngSeed'] as string | undefined, { min: 0, integer: true }) ?? 1;
      const temperature = parseNumberOption('--temperature', flags['temperature'] as string | undefined, { min: 0, max: 100, exclusiveMin: true });
      const prosody = await (await import('../../data/features/feature-layout.js')).prosodyExtractorFor(config.featureSet);
      // mulaw models: the free-running temperature is chosen on this utterance (it is the training data);
      // every candidate is reported.
      let tried: TemperatureTrial[] = [];
      let chosen = temperature;
      if (chosen === undefined && engine.manifest.spec.head === 'mulaw') {
        const choice = await chooseTemperature(engine, [ref!], { rngSeed, ...(prosody ? { prosodyOf: prosody.extract } : {}) });
        tried = choice.tried;
        chosen = choice.best.temperature;
        context.stderr.write(`free-running temperature ${chosen} (of ${tried.map((t) => t.temperature).join(', ')}, by mel_dist + level_err)\n`);
      }
      const evaluation = await evaluateUtterance(engine, ref!, { rngSeed, ...(chosen !== undefined ? { temperature: chosen } : {}), ...(prosody ? { prosodyOf: prosody.extract } : {}) });
      const log = readTrainLog(modelDir);
      const files = await writeUtteranceFiles(out, evaluation, engine.manifest.spec.sampleRateHz, log);
      const t = result.manifest.training;
      const report = {
        kind: 'overfit-experiment',
        command,
        utterance: evaluation.id,
        preset,
        spec: result.manifest.spec,
        training: { seconds: t.seconds, steps: t.steps, epochs: t.epochsRun, finalTrainLoss: t.finalTrainLoss, trainSamplesPerSecond: t.trainSamplesPerSecond, backend: t.backend, kernel: t.kernel, config: t.config, curve: log },
        seedSamples: evaluation.seedSamples,
        rngSeed,
        temperature: chosen ?? (engine.manifest.spec.head === 'mse' ? 0 : 1),
        temperaturesTried: tried,
        teacherForced: evaluation.teacherForced,
        freeRunning: evaluation.freeRunning,
        files,
      };
      writeJson(join(out, 'report.json'), report);
      await writeHtmlReport(join(out, 'report.html'), `overfit experiment: ${evaluation.id} (${preset})`, [
        { heading: 'command', html: preHtml(command) },
        { heading: 'fidelity', html: figuresTable([['reconstruction', evaluation.teacherForced], ['reconstruction', evaluation.freeRunning]]) },
        { heading: 'training', html: preHtml(`${t.steps} steps, ${formatDuration(t.seconds)} (${t.seconds.toFixed(1)} s), ${Math.round(t.trainSamplesPerSecond)} samples/s on ${t.backend} (${t.kernel} kernel); final train loss ${t.finalTrainLoss}`) },
        { heading: 'signals and figures', html: mediaHtml('', files) },
      ]);
      context.stdout.write(`${evaluationTable([{ id: evaluation.id, teacherForced: evaluation.teacherForced, freeRunning: evaluation.freeRunning, freeRunningPitch: evaluation.freeRunningPitch }])}\n`);
      context.stderr.write(`report: ${join(out, 'report.html')} (training ${formatDuration(t.seconds)})\n`);
    } finally {
      await engine.dispose();
    }
  });
}
