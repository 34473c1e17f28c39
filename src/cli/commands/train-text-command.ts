import type { Command } from 'commander';
import { ModelError, UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseNumberOption } from '../cli-errors.js';
import { formatDuration } from '../progress-line.js';

interface TrainTextFlags {
  data: string;
  prompts?: string;
  ltsEpochs?: string;
  durationEpochs?: string;
  durationEnsemble?: string;
  seed?: string;
}

/**
 * `synth train-text MODEL_DIR --data DIR`: the text front end of a bundle, trained on a labelled corpus with
 * its prompts: letter-to-sound on the dictionary (held-out words scored), the pause model and the duration
 * model on the training split (dev utterances never seen), both exported to ONNX into the bundle.
 */
export function registerTrainTextCommand(program: Command, context: CliContext): void {
  program
    .command('train-text')
    .description('train the text front end of a bundle: letter-to-sound (on the dictionary), pauses and phone durations (on a labelled corpus with its prompts)')
    .argument('<model-dir>', 'a bundle with a frame network (synth train-frames)')
    .requiredOption('--data <dir>', 'labelled corpus (CMU ARCTIC layout)')
    .option('--prompts <file>', 'festvox prompts `( id "text" )` (default: DIR/prompts.data, or DIR/etc/txt.done.data)')
    .option('--lts-epochs <n>', 'letter-to-sound training passes (default 4; 0 keeps the bundle\'s)')
    .option('--duration-epochs <n>', 'duration model full-batch steps (default 400)')
    .option('--duration-ensemble <n>', 'duration networks from consecutive seeds, averaged into one (default 3)')
    .option('--seed <s>', 'seed (default 1)')
    .action(async (dir: string, flags: TrainTextFlags) => {
      const ltsEpochs = parseNumberOption('--lts-epochs', flags.ltsEpochs, { min: 0, max: 100, integer: true }) ?? 4;
      const durationEpochs = parseNumberOption('--duration-epochs', flags.durationEpochs, { min: 1, max: 100000, integer: true }) ?? 400;
      const seed = parseNumberOption('--seed', flags.seed, { integer: true }) ?? 1;
      const durationEnsemble = parseNumberOption('--duration-ensemble', flags.durationEnsemble, { min: 1, max: 16, integer: true });
      const { existsSync, readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const promptsPath = flags.prompts ?? [join(flags.data, 'prompts.data'), join(flags.data, 'etc', 'txt.done.data')].find((p) => existsSync(p));
      if (!promptsPath) throw new UsageError({ code: 'E_OPTION_MISSING', where: '--prompts', message: `no prompts file in ${flags.data} (looked for prompts.data and etc/txt.done.data)`, hint: 'give --prompts FILE in the festvox format ( id "text" )' });
      const { parsePrompts } = await import('../../text/read-text.js');
      const prompts = parsePrompts(readFileSync(promptsPath, 'utf8'));
      if (!prompts) throw new UsageError({ code: 'E_OPTION_VALUE', where: promptsPath, message: 'the prompts file is not in the festvox format ( id "text" ), one per line' });
      const { readManifestFile } = await import('../../export/read-bundle-weights.js');
      const manifest = readManifestFile(dir);
      const { PHONE_SETS } = await import('../../data/phones/phone-sets.js');
      const set = PHONE_SETS[manifest.spec.phoneSet];
      const { scanCorpus } = await import('../../data/corpus/scan-corpus.js');
      const { splitByName } = await import('../../data/corpus/split-corpus.js');
      const corpus = await scanCorpus(flags.data);
      const split = splitByName(corpus.utterances, 0.1);
      // The last five training utterances pick the duration model's epoch; the dev split stays unseen.
      const valid = split.train.slice(-5);
      const train = split.train.slice(0, -5);
      const { loadTf } = await import('../../model/tf-backend.js');
      const { tf, backend } = await loadTf();
      const { loadDictionary, Lexicon } = await import('../../text/lexicon.js');
      const dictionary = await loadDictionary();
      const lexicon = new Lexicon(dictionary);
      const began = performance.now();
      const { writeTextModels } = await import('../../export/text-models.js');
      const { LetterToSound, ltsInputWidth } = await import('../../text/lts-model.js');
      let lts: InstanceType<typeof LetterToSound> | undefined;
      let ltsResult: Awaited<ReturnType<typeof import('../../model/text/train-lts.js').trainLetterToSound>> | undefined;
      if (ltsEpochs > 0) {
        const { trainLetterToSound } = await import('../../model/text/train-lts.js');
        context.stderr.write(`training letter-to-sound on ${Object.keys(dictionary).length} dictionary entries (5% held out), backend ${backend}\n`);
        ltsResult = await trainLetterToSound(tf, dictionary, { epochs: ltsEpochs, seed, onEpoch: (e, loss) => context.stderr.write(`  epoch ${e}/${ltsEpochs} loss ${loss.toFixed(4)}\n`) });
        lts = new LetterToSound(ltsResult.weights);
        context.stderr.write(`letter-to-sound on ${ltsResult.heldOutWords} held-out dictionary words: word accuracy ${ltsResult.wordAccuracyPct.toFixed(1)} %, phone error rate ${ltsResult.perPct.toFixed(2)} % (${formatDuration(ltsResult.seconds)})\n`);
      } else if (manifest.text?.lts) {
        // --lts-epochs 0 keeps the bundle's letter-to-sound; the sentences are read with it as before.
        const { letterToSoundOf } = await import('../../engine/text-plan.js');
        const ltsPath = join(dir, manifest.text.lts.file);
        if (!existsSync(ltsPath)) throw new ModelError({ code: 'E_MODEL_MISSING', where: ltsPath, message: 'the manifest names a letter-to-sound model that is not there', hint: 'train it again with --lts-epochs 4' });
        lts = letterToSoundOf(readFileSync(ltsPath), manifest.text.lts);
        context.stderr.write(`keeping the bundle's letter-to-sound (${manifest.text.lts.file})\n`);
      }
      const promptMap = new Map(prompts.map((p) => [p.id, p.text]));
      const { DURATION_ENSEMBLE, loadTextTrainingSentences, trainDurationModel, trainPauseModel } = await import('../../model/text/train-text-models.js');
      const trainSentences = await loadTextTrainingSentences(promptMap, train, set, lexicon, lts);
      const validSentences = await loadTextTrainingSentences(promptMap, valid, set, lexicon, lts);
      const duration = await trainDurationModel(tf, trainSentences, validSentences, set, { epochs: durationEpochs, seed, ...(durationEnsemble !== undefined ? { ensemble: durationEnsemble } : {}) });
      const pause = await trainPauseModel(tf, [...trainSentences, ...validSentences], { seed });
      const updated = await writeTextModels(dir, manifest, {
        phoneSet: manifest.spec.phoneSet,
        duration,
        pause,
        ...(ltsResult ? { lts: { ...ltsResult, inputs: ltsInputWidth() } } : {}),
        training: { data: flags.data, prompts: promptsPath, train: train.map((r) => r.id), valid: valid.map((r) => r.id), dev: split.dev.map((r) => r.id), durationEpochs, durationEnsemble: durationEnsemble ?? DURATION_ENSEMBLE, ltsEpochs, seed, backend },
      });
      context.stderr.write(`done in ${formatDuration((performance.now() - began) / 1000)}: ${updated.text?.duration.file}, ${updated.text?.pause.file}${updated.text?.lts ? `, ${updated.text.lts.file}` : ''} in ${dir}\n`);
    });
}
