import type { Command } from 'commander';
import { EXIT_CODES, UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseChoice, parseNumberOption } from '../cli-errors.js';
import { formatDuration, formatRate, ProgressLine } from '../progress-line.js';
import type { TrainingConfig } from '../../model/training/training-config.js';
import { FEATURE_SET_NAMES } from '../../data/features/feature-layout.js';

interface TrainFlags {
  data: string;
  utterance?: string[];
  devFraction?: string;
  out?: string;
  preset?: string;
  cell?: string;
  hidden?: string;
  layers?: string;
  k?: string;
  head?: string;
  features?: string;
  phoneSet?: string;
  epochs?: string;
  batch?: string;
  bptt?: string;
  lr?: string;
  lrSchedule?: string;
  warmup?: string;
  clip?: string;
  weightDecay?: string;
  dropout?: string;
  inputNoise?: string;
  signalNoise?: string;
  addData?: string[];
  exclude?: string[];
  scheduledSampling?: string;
  preEmphasis?: string;
  patience?: string;
  evalEvery?: string;
  checkpointEvery?: string;
  maxMinutes?: string;
  seed?: string;
  kernel?: string;
  threads?: string;
  backend?: string;
  onBadUtterance?: string;
  resume?: boolean;
  export?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

/** Add the training options to a command (shared by `train` and `experiment overfit`). */
export function addTrainingOptions(command: Command): Command {
  return command
    .option('--utterance <id>', 'train on this utterance only (repeat or comma-separate for several)', collect)
    .option('--add-data <dir>', 'another corpus whose utterances are added to the training split (repeat for several; the dev split stays --data\'s)', collect)
    .option('--exclude <prefix>', 'leave out utterances of --add-data corpora whose id starts with this (a held-out speaker, e.g. dr2-marc0/)', collect)
    .option('--dev-fraction <f>', 'fraction of utterances (last by name) kept out as the dev split (default 0.1)')
    .option('--preset <name>', 'a named setup: 2014 (tanh RNN-100, k=40, one-hot phone, MSE, no clipping) | default (the shipped sample network\'s recipe) | prosody (the previous default: phones and a recording\'s prosody) | best-overfit (the best one-utterance setup)')
    .option('--cell <type>', 'rnn | gru | lstm')
    .option('--hidden <n>', 'hidden units (multiple of 4)')
    .option('--layers <n>', '1 or 2')
    .option('--k <n>', 'previous samples in the input window')
    .option('--head <type>', 'mse (linear, the 2014 head) | mulaw (256-level softmax)')
    .option('--features <set>', 'seed (one-hot phone) | rich (+ position, duration, neighbours) | prosody (+ F0, voicing from the recording) | prosody-energy (+ frame energy) | acoustic (a vocoder: frame features, linear prediction and pitch taps) | acoustic-taps | acoustic-plain')
    .option('--phone-set <name>', 'timit61 | timit39 | radio (labels are mapped onto it)')
    .option('--epochs <n>', 'passes over the training data')
    .option('--batch <n>', 'B: streams trained in parallel')
    .option('--bptt <n>', 'T: steps per truncated-BPTT window')
    .option('--lr <rate>', 'Adam learning rate')
    .option('--lr-schedule <name>', 'constant | cosine')
    .option('--warmup <steps>', 'linear learning-rate warm-up steps')
    .option('--clip <norm>', 'clip the global gradient norm (0 = off; default 1)')
    .option('--weight-decay <l2>', 'L2 weight decay on weight matrices')
    .option('--dropout <p>', 'dropout on the top layer output')
    .option('--input-noise <std>', 'Gaussian noise on input samples, in units of the signal RMS')
    .option('--signal-noise <levels>', 'acoustic models: noise in the signal the network reads (window, prediction, pitch taps), std in mu-law levels; the target is the clean sample (LPCNet\'s noise injection)')
    .option('--scheduled-sampling <p>', 'probability of feeding the model its own prediction (parallel scheduled sampling)')
    .option('--pre-emphasis <a>', 'model s[n] - a s[n-1] (LPCNet uses 0.85); the engine de-emphasizes (default 0: off)')
    .option('--patience <evals>', 'early stopping: evaluations without dev improvement (0 = off)')
    .option('--eval-every <steps>', 'evaluate and log every N steps (default: every epoch)')
    .option('--checkpoint-every <steps>', 'write a checkpoint every N steps')
    .option('--max-minutes <m>', 'stop (and save) after this much training time')
    .option('--seed <n>', 'seed for initialization, batching, noise and dropout')
    .option('--kernel <name>', 'auto | fused (WebAssembly kernel) | tfjs (autodiff)')
    .option('--threads <n>', 'threads for the fused kernel, data-parallel over the streams (default: one per core, up to 2)')
    .option('--backend <name>', 'tfjs backend: tensorflow | wasm | cpu (default: best that loads)')
    .option('--on-bad-utterance <policy>', 'skip (with a warning) | stop');
}

/** Build a TrainingConfig from flags: defaults, then the preset, then explicit flags. */
export async function trainingConfigFromFlags(flags: TrainFlags, out: string): Promise<TrainingConfig> {
  const { DEFAULT_TRAINING, TRAINING_PRESETS } = await import('../../model/training/training-config.js');
  const preset = flags.preset !== undefined ? TRAINING_PRESETS[flags.preset] : {};
  if (!preset) {
    throw new UsageError({ code: 'E_OPTION_VALUE', where: '--preset', message: `unknown preset "${flags.preset}"; allowed: ${Object.keys(TRAINING_PRESETS).join(', ')}` });
  }
  const n = (flag: string, v: string | undefined, range: Parameters<typeof parseNumberOption>[2]) => parseNumberOption(flag, v, range);
  const explicit: Partial<TrainingConfig> = {};
  const set = <K extends keyof TrainingConfig>(key: K, value: TrainingConfig[K] | undefined): void => {
    if (value !== undefined) explicit[key] = value;
  };
  set('utterances', flags.utterance);
  set('devFraction', n('--dev-fraction', flags.devFraction, { min: 0, max: 0.9 }));
  set('cell', parseChoice('--cell', flags.cell, ['rnn', 'gru', 'lstm'] as const));
  set('hidden', n('--hidden', flags.hidden, { min: 4, max: 2048, integer: true }));
  set('layers', n('--layers', flags.layers, { min: 1, max: 2, integer: true }));
  set('k', n('--k', flags.k, { min: 1, max: 4096, integer: true }));
  set('head', parseChoice('--head', flags.head, ['mse', 'mulaw'] as const));
  set('featureSet', parseChoice('--features', flags.features, FEATURE_SET_NAMES));
  set('phoneSet', parseChoice('--phone-set', flags.phoneSet, ['timit61', 'timit39', 'radio'] as const));
  set('epochs', n('--epochs', flags.epochs, { min: 1, max: 100000, integer: true }));
  set('batch', n('--batch', flags.batch, { min: 1, max: 4096, integer: true }));
  set('steps', n('--bptt', flags.bptt, { min: 1, max: 10000, integer: true }));
  set('learningRate', n('--lr', flags.lr, { min: 0, max: 1, exclusiveMin: true }));
  set('lrSchedule', parseChoice('--lr-schedule', flags.lrSchedule, ['constant', 'cosine'] as const));
  set('warmupSteps', n('--warmup', flags.warmup, { min: 0, integer: true }));
  set('clipNorm', n('--clip', flags.clip, { min: 0 }));
  set('weightDecay', n('--weight-decay', flags.weightDecay, { min: 0, max: 0.999 }));
  set('dropout', n('--dropout', flags.dropout, { min: 0, max: 0.95 }));
  set('inputNoise', n('--input-noise', flags.inputNoise, { min: 0, max: 10 }));
  set('signalNoise', n('--signal-noise', flags.signalNoise, { min: 0, max: 16 }));
  set('scheduledSampling', n('--scheduled-sampling', flags.scheduledSampling, { min: 0, max: 1 }));
  set('preEmphasis', n('--pre-emphasis', flags.preEmphasis, { min: 0, max: 0.99 }));
  set('patience', n('--patience', flags.patience, { min: 0, integer: true }));
  set('evalEvery', n('--eval-every', flags.evalEvery, { min: 0, integer: true }));
  set('checkpointEvery', n('--checkpoint-every', flags.checkpointEvery, { min: 1, integer: true }));
  set('maxMinutes', n('--max-minutes', flags.maxMinutes, { min: 0 }));
  set('seed', n('--seed', flags.seed, { integer: true }));
  set('kernel', parseChoice('--kernel', flags.kernel, ['auto', 'fused', 'tfjs'] as const));
  set('threads', n('--threads', flags.threads, { min: 0, max: 64, integer: true }));
  set('onBadUtterance', parseChoice('--on-bad-utterance', flags.onBadUtterance, ['skip', 'stop'] as const));
  return {
    ...DEFAULT_TRAINING,
    ...preset,
    ...explicit,
    data: flags.data,
    ...(flags.addData ? { extraData: flags.addData } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    out,
    ...(flags.preset ? { preset: flags.preset } : {}),
  };
}

/** Run training with a progress display; returns the result (or the exit code on interruption). */
export async function runTraining(
  config: TrainingConfig,
  flags: { backend?: string; resume?: boolean },
  context: CliContext,
  command: string,
): Promise<{ result: Awaited<ReturnType<typeof import('../../model/training/trainer.js').train>>; interrupted: boolean }> {
  const { train } = await import('../../model/training/trainer.js');
  const { PACKAGE_VERSION } = await import('../package-version.js');
  const backend = parseChoice('--backend', flags.backend, ['tensorflow', 'wasm', 'cpu'] as const);
  const progress = new ProgressLine(context.stderr, context.stderrIsTty);
  const controller = new AbortController();
  const unregister = context.onSignal((signal) => {
    progress.log(`synth: ${signal} received: finishing the current step and writing a checkpoint...`);
    controller.abort();
  });
  const prosody = await (await import('../../data/features/feature-layout.js')).prosodyExtractorFor(config.featureSet);
  try {
    const result = await train(config, {
      command,
      signal: controller.signal,
      ...(flags.resume ? { resume: true } : {}),
      ...(backend ? { backend } : {}),
      ...(prosody ? { prosodyOf: prosody.extract, prosodyInfo: prosody.info } : {}),
      packageVersion: PACKAGE_VERSION,
      callbacks: {
        onStart: (info) => {
          progress.log(
            `training ${config.cell}-${config.hidden}${config.layers > 1 ? `x${config.layers}` : ''} ${config.head} k=${config.k} features=${config.featureSet} on ${info.trainUtterances} utterance(s)` +
              `${info.devUtterances ? `, dev ${info.devUtterances}` : ''}${info.skipped ? `, ${info.skipped} skipped` : ''}; ${info.totalSteps} steps; backend ${info.backend}, kernel ${info.kernel}`,
          );
          for (const note of info.notes) progress.log(`  note: ${note}`);
        },
        onStep: (p) => {
          const pct = Math.floor((100 * p.step) / p.totalSteps);
          const bar = '='.repeat(Math.floor(pct / 5)).padEnd(20, ' ');
          progress.update(`epoch ${p.epoch}/${p.epochs} [${bar}] ${pct}% loss ${p.loss.toFixed(4)} ${formatRate(p.samplesPerSecond)} samples/s ETA ${formatDuration(p.etaSeconds)}`);
        },
        onEvaluation: (e) => {
          progress.log(
            `step ${e.step} epoch ${e.epoch} train ${e.trainLoss.toFixed(5)}${e.devLoss !== null ? ` dev ${e.devLoss.toFixed(5)}` : ''} |g| ${e.gradNorm.toFixed(3)} lr ${e.learningRate.toExponential(2)} ${formatRate(e.trainSamplesPerSecond)} samples/s ${formatDuration(e.elapsedSeconds)}`,
          );
        },
        onNote: (m) => progress.log(`  note: ${m}`),
      },
    });
    progress.clear();
    return { result, interrupted: result.status === 'interrupted' };
  } finally {
    unregister();
    progress.clear();
  }
}

/** `synth train`. */
export function registerTrainCommand(program: Command, context: CliContext): void {
  const command = program
    .command('train')
    .description('train a sample-level RNN on phone-labelled speech and write a model bundle (then export it to ONNX)')
    .requiredOption('--data <dir>', 'corpus folder')
    .option('--out <dir>', 'model bundle folder to write (default models/<cell>-<hidden>-<head>)')
    .option('--resume', 'continue from <out>/checkpoint.bin exactly where it stopped')
    .option('--no-export', 'do not export the ONNX graphs at the end');
  addTrainingOptions(command).action(async (flags: TrainFlags) => {
    const out = flags.out ?? `models/${flags.preset ? `preset-${flags.preset}` : `${flags.cell ?? 'gru'}-${flags.hidden ?? 128}-${flags.head ?? 'mulaw'}`}`;
    const config = await trainingConfigFromFlags(flags, out);
    const commandLine = `synth ${process.argv.slice(2).join(' ')}`;
    const { result, interrupted } = await runTraining(config, flags, context, commandLine);
    const t = result.manifest.training;
    context.stderr.write(
      `${interrupted ? 'interrupted' : result.status}: ${result.steps} steps in ${formatDuration(result.seconds)}, ${formatRate(result.trainSamplesPerSecond)} samples/s; ` +
        `train loss ${t.finalTrainLoss?.toFixed(5) ?? '-'}${t.bestDevLoss !== null ? `, best dev loss ${t.bestDevLoss.toFixed(5)}` : ''}; bundle ${result.bundleDir}, checkpoint ${result.checkpointPath}\n`,
    );
    if (interrupted) {
      context.stderr.write(`resume with: ${commandLine.includes('--resume') ? commandLine : `${commandLine} --resume`}\n`);
      process.exitCode = EXIT_CODES.sigint;
      throw new InterruptedRun(EXIT_CODES.sigint);
    }
    if (flags.export !== false) {
      const { exportBundle } = await import('../../export/export-bundle.js');
      const exported = await exportBundle(result.bundleDir);
      context.stderr.write(`exported ${exported.files.join(', ')} to ${result.bundleDir}\n`);
    }
  });
}

/** Thrown to end a command with a given exit code after it has printed its own message. */
export class InterruptedRun extends Error {
  constructor(readonly exitCode: number) {
    super('interrupted');
  }
}
