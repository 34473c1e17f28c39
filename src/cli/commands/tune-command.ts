import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseChoice, parseNumberOption } from '../cli-errors.js';
import { usableUtterances } from '../usable-utterances.js';

/**
 * `synth tune MODEL_DIR --data DIR`: choose the model's default sampling temperature by free-running
 * reconstructions of training utterances (never the dev split, so dev figures stay honest), minimizing
 * mel_dist_db + level_err_db, and record it in the manifest.
 */
export function registerTuneCommand(program: Command, context: CliContext): void {
  program
    .command('tune')
    .description('choose the default sampling temperature on training utterances and record it in the manifest')
    .argument('<model-dir>', 'model bundle')
    .requiredOption('--data <dir>', 'corpus folder')
    .option('--utterances <ids>', 'comma-separated utterance ids (default: the last 5 the model trained on)')
    .option('--temperatures <list>', 'candidates (default 0.5,0.6,0.7,0.8,0.9,1)')
    .option('--rng-seed <s>', 'sampling seed (default 1)')
    .option('--dry-run', 'print the table without writing the manifest')
    .option('--condition <c>', 'vocoder bundles: phones (default when the bundle has a frame network) | recording')
    .option('--on-bad-utterance <policy>', 'skip (default: a damaged recording is left out with a note) | stop')
    .action(async (modelDir: string, flags: { data: string; utterances?: string; temperatures?: string; rngSeed?: string; dryRun?: boolean; condition?: string; onBadUtterance?: string }) => {
      const condition = parseChoice('--condition', flags.condition, ['phones', 'recording'] as const);
      parseChoice('--on-bad-utterance', flags.onBadUtterance, ['skip', 'stop'] as const);
      const candidates = flags.temperatures?.split(',').map((t) => parseNumberOption('--temperatures', t, { min: 0, max: 100, exclusiveMin: true }) as number);
      const rngSeed = parseNumberOption('--rng-seed', flags.rngSeed, { min: 0, integer: true }) ?? 1;
      const { scanCorpus, selectUtterances } = await import('../../data/corpus/scan-corpus.js');
      const { Engine } = await import('../../engine/engine.js');
      const { readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { writeFileAtomic } = await import('../../core/atomic-write.js');
      const corpus = await scanCorpus(flags.data);
      const engine = await Engine.load(modelDir);
      try {
        const manifest = engine.manifest;
        const ids = flags.utterances ? flags.utterances.split(',').filter(Boolean) : manifest.training.utterances.slice(-5);
        if (ids.length === 0) throw new UsageError({ code: 'E_OPTION_MISSING', where: '--utterances', message: 'the model lists no training utterances', hint: 'give --utterances' });
        const dev = new Set(manifest.training.devUtterances);
        if (ids.some((id) => dev.has(id))) throw new UsageError({ code: 'E_OPTION_VALUE', where: '--utterances', message: 'tuning on dev utterances would make the dev figures optimistic', hint: 'pick training utterances' });
        const refs = await usableUtterances(selectUtterances(corpus, ids), context, flags.onBadUtterance === 'stop' ? 'stop' : 'skip');
        const prosody = await (await import('../../data/features/feature-layout.js')).prosodyExtractorFor(manifest.spec.featureSet, manifest.spec.sampleRateHz);
        const { chooseTemperature } = await import('../../report/choose-temperature.js');
        const { best } = await chooseTemperature(engine, refs, { rngSeed, ...(candidates ? { candidates } : {}), ...(prosody ? { prosodyOf: prosody.extract } : {}), ...(condition ? { condition } : {}) }, (t) =>
          context.stderr.write(`  temperature ${t.temperature}: mel_dist ${t.mel_dist_db.toFixed(2)} dB, level_err ${t.level_err_db.toFixed(2)} dB\n`),
        );
        context.stdout.write(`best temperature ${best.temperature} on ${ids.join(', ')}: free-running mel_dist ${best.mel_dist_db.toFixed(2)} dB, level_err ${best.level_err_db.toFixed(2)} dB\n`);
        if (!flags.dryRun) {
          const path = join(modelDir, 'manifest.json');
          const onDisk = JSON.parse(readFileSync(path, 'utf8'));
          onDisk.sampling = { ...onDisk.sampling, temperature: best.temperature, temperatureChosenOn: ids };
          await writeFileAtomic(path, `${JSON.stringify(onDisk, null, 2)}\n`);
        }
      } finally {
        await engine.dispose();
      }
    });
}
