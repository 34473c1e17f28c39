import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseNumberOption } from '../cli-errors.js';
import { formatDuration } from '../progress-line.js';

interface TrainFramesFlags {
  data: string;
  epochs?: string;
  hidden?: string;
  convWidth?: string;
  convChannels?: string;
  lr?: string;
  dropout?: string;
  weightDecay?: string;
  f0Weight?: string;
  seed?: string;
  devFraction?: string;
  ensemble?: string;
}

/**
 * `synth train-frames MODEL_DIR --data DIR`: train the frame network (phones to acoustic frame features) of
 * a vocoder bundle on a corpus's training split, add it to the bundle and export frame.onnx, so the bundle
 * speaks from labels alone (`--condition phones`).
 */
export function registerTrainFramesCommand(program: Command, context: CliContext): void {
  program
    .command('train-frames')
    .description('train the frame network (acoustic model) of a vocoder bundle: phones to spectral envelope, F0 and periodicity per 10 ms frame')
    .argument('<model-dir>', 'a bundle whose sample network uses an acoustic feature set')
    .requiredOption('--data <dir>', 'corpus folder (audio with phone labels)')
    .option('--epochs <n>', 'passes over the training utterances (default 60)')
    .option('--hidden <n>', 'units of the two dense layers (default 256)')
    .option('--conv-width <n>', 'frames the output convolution sees, odd (default 9)')
    .option('--conv-channels <n>', 'channels of the output convolution (default 128)')
    .option('--lr <rate>', 'Adam learning rate (default 1e-3)')
    .option('--dropout <p>', 'dropout on the dense layers (default 0.1)')
    .option('--weight-decay <l2>', 'L2 penalty on the weights (default 1e-5)')
    .option('--f0-weight <w>', 'loss weight of log F0 and periodicity against the envelope (default 1)')
    .option('--seed <s>', 'initialization and shuffling seed (default 1)')
    .option('--ensemble <n>', 'train n networks from consecutive seeds and ship their mean, merged into one wider network (default 1)')
    .option('--dev-fraction <f>', 'last fraction of utterances by name held out (default 0.1)')
    .action(async (dir: string, flags: TrainFramesFlags) => {
      const { DEFAULT_FRAME_TRAINING, loadFrameSequences, trainFrameNetwork } = await import('../../model/frame/train-frame-network.js');
      const d = DEFAULT_FRAME_TRAINING;
      const n = (flag: string, value: string | undefined, options: Parameters<typeof parseNumberOption>[2]): number | undefined => parseNumberOption(flag, value, options);
      const convWidth = n('--conv-width', flags.convWidth, { min: 1, max: 31, integer: true }) ?? d.spec.convWidth;
      if (convWidth % 2 === 0) throw new UsageError({ code: 'E_OPTION_RANGE', where: '--conv-width', message: `got ${convWidth}, allowed an odd integer in [1, 31]` });
      const f0Weight = n('--f0-weight', flags.f0Weight, { min: 0, max: 100 }) ?? 1;
      const config = {
        spec: {
          hidden: n('--hidden', flags.hidden, { min: 4, max: 2048, integer: true }) ?? d.spec.hidden,
          convChannels: n('--conv-channels', flags.convChannels, { min: 4, max: 2048, integer: true }) ?? d.spec.convChannels,
          convWidth,
        },
        epochs: n('--epochs', flags.epochs, { min: 1, max: 10000, integer: true }) ?? d.epochs,
        learningRate: n('--lr', flags.lr, { min: 0, max: 1, exclusiveMin: true }) ?? d.learningRate,
        dropout: n('--dropout', flags.dropout, { min: 0, max: 0.9 }) ?? d.dropout,
        weightDecay: n('--weight-decay', flags.weightDecay, { min: 0, max: 1 }) ?? d.weightDecay,
        seed: n('--seed', flags.seed, { integer: true }) ?? d.seed,
      };
      const devFraction = n('--dev-fraction', flags.devFraction, { min: 0, max: 0.9 }) ?? 0.1;
      const { readManifestFile } = await import('../../export/read-bundle-weights.js');
      const { isAcoustic } = await import('../../data/features/feature-layout.js');
      const { ACOUSTIC_WIDTH, LOG_F0_COLUMN, PERIODICITY_COLUMN } = await import('../../data/features/acoustic-frames.js');
      const manifest = readManifestFile(dir);
      if (!isAcoustic(manifest.spec.featureSet)) {
        throw new UsageError({ code: 'E_OPTION_VALUE', where: dir, message: `the bundle's sample network uses feature set ${manifest.spec.featureSet}; a frame network feeds acoustic feature sets only`, hint: 'train a vocoder first: synth train --features acoustic ...' });
      }
      const featureWeights = Array.from({ length: ACOUSTIC_WIDTH }, (_, c) => (c === LOG_F0_COLUMN || c === PERIODICITY_COLUMN ? f0Weight : 1));
      const { scanCorpus } = await import('../../data/corpus/scan-corpus.js');
      const { splitByName } = await import('../../data/corpus/split-corpus.js');
      const { PHONE_SETS } = await import('../../data/phones/phone-sets.js');
      const { loadTf } = await import('../../model/tf-backend.js');
      const corpus = await scanCorpus(flags.data);
      const split = splitByName(corpus.utterances, devFraction);
      const set = PHONE_SETS[manifest.spec.phoneSet];
      const rate = manifest.spec.sampleRateHz;
      // The last five training utterances pick the epoch; the dev split stays unseen until evaluation.
      const validRefs = split.train.length > 10 ? split.train.slice(-5) : [];
      const train = await loadFrameSequences(split.train.slice(0, split.train.length - validRefs.length), set, rate);
      const valid = await loadFrameSequences(validRefs, set, rate);
      for (const s of [...train.skipped, ...valid.skipped]) context.stderr.write(`  note: skipped ${s.id}: ${s.reason}\n`);
      const { tf, backend } = await loadTf();
      const ensemble = n('--ensemble', flags.ensemble, { min: 1, max: 16, integer: true }) ?? 1;
      const { frameLoss } = await import('../../model/frame/train-frame-network.js');
      const { mergeFrameEnsemble } = await import('../../model/frame/frame-ensemble.js');
      const members = [];
      for (let k = 0; k < ensemble; k++) {
        const seed = config.seed + k;
        const which = ensemble > 1 ? ` ${k + 1} of ${ensemble} (seed ${seed})` : '';
        context.stderr.write(`training the frame network${which} (${config.spec.hidden} units, convolution over ${convWidth} frames) on ${train.sequences.length} utterance(s), validation ${valid.sequences.length}; backend ${backend}\n`);
        const member = await trainFrameNetwork(tf, train.sequences, valid.sequences, { ...config, seed, featureWeights }, {
          onEpoch: (e) => {
            if (e.epoch % 5 === 0 || e.epoch === e.epochs) context.stderr.write(`epoch ${e.epoch}/${e.epochs} train ${e.trainLoss.toFixed(4)}${e.devLoss !== null ? ` validation ${e.devLoss.toFixed(4)}` : ''} ${formatDuration(e.seconds)}\n`);
          },
        });
        if (ensemble > 1) context.stderr.write(`  member ${k + 1}: best validation loss ${member.devLoss?.toFixed(4) ?? '-'} at epoch ${member.bestEpoch}\n`);
        members.push(member);
      }
      const merged = mergeFrameEnsemble(members);
      // The ensemble's own losses (the members' mean is what mergeFrameEnsemble can know without the data).
      const result = ensemble > 1 ? { ...merged, trainLoss: frameLoss(tf, merged, train.sequences, featureWeights) ?? merged.trainLoss, devLoss: frameLoss(tf, merged, valid.sequences, featureWeights) } : merged;
      const { writeFrameNetwork } = await import('../../model/frame/frame-bundle-writer.js');
      await writeFrameNetwork(dir, manifest, result, manifest.spec.phoneSet, {
        data: flags.data,
        utterances: train.sequences.map((s) => s.id),
        validUtterances: valid.sequences.map((s) => s.id),
        config: { ...config, featureWeights, devFraction, ensemble },
        backend,
      });
      const { exportBundle } = await import('../../export/export-bundle.js');
      const { PACKAGE_VERSION } = await import('../package-version.js');
      const unroll = manifest.graphs?.chunk.unroll;
      const exported = await exportBundle(dir, { producerVersion: PACKAGE_VERSION, ...(unroll ? { unroll } : {}) });
      context.stderr.write(
        `done in ${formatDuration(result.seconds)}: ${ensemble > 1 ? `an ensemble of ${ensemble} networks (${result.spec.hidden} units, ${result.spec.convChannels} channels each), averaged: validation loss ${result.devLoss?.toFixed(4) ?? '-'}` : `best validation loss ${result.devLoss?.toFixed(4) ?? '-'} at epoch ${result.bestEpoch}`}; exported ${exported.files.join(', ')} to ${dir}\n`,
      );
    });
}
