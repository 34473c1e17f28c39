import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrainingError, UsageError, OutputError, describeSystemError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { ModelManifest } from '../../core/manifest.js';
import { scanCorpus, selectUtterances } from '../../data/corpus/scan-corpus.js';
import { screenRecordings } from '../../data/corpus/screen-recordings.js';
import { splitByName } from '../../data/corpus/split-corpus.js';
import { featureLayout, isAcoustic, usesRecording } from '../../data/features/feature-layout.js';
import type { ProsodyTrack } from '../../data/features/phone-track.js';
import { allocateBatch, StreamBatcher } from '../../data/features/stream-batcher.js';
import { PHONE_SETS } from '../../data/phones/phone-sets.js';
import { writeBundle } from '../bundle-writer.js';
import { initWeights } from '../init-weights.js';
import { availableParallelism } from 'node:os';
import { FusedNetwork } from '../kernel/fused-network.js';
import { LocalNetwork } from '../kernel/local-network.js';
import { ParallelNetwork } from '../kernel/parallel-network.js';
import type { TrainingNetwork } from '../kernel/training-network.js';
import { compileBestKernel } from '../kernel/training-kernel.js';
import { parameterShapes, validateSpec, type ModelSpec, type Weights } from '../model-spec.js';
import { loadTf, type BackendName } from '../tf-backend.js';
import { AdamOptimizer } from './adam-optimizer.js';
import { readArrayFile, writeArrayFile, writeArrayFileSync } from './checkpoint-file.js';
import { globalNorm, prepareGradients } from './gradient-tools.js';
import { learningRateAt } from './lr-schedule.js';
import { loadSequences, signalRms } from './training-data.js';
import { meanLoss, trainingMse } from './mean-loss.js';
import { buildManifest } from './training-manifest.js';
import { substituteOwnPredictions } from './scheduled-sampling.js';
import { validateTrainingConfig, type TrainingConfig } from './training-config.js';
import { ReferenceTrainer } from './reference-trainer.js';

export const CHECKPOINT_FILE = 'checkpoint.bin';
export const TRAIN_LOG_FILE = 'train-log.jsonl';

export interface StepProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  epochs: number;
  loss: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

export interface EvaluationRecord {
  step: number;
  epoch: number;
  trainLoss: number;
  devLoss: number | null;
  gradNorm: number;
  learningRate: number;
  elapsedSeconds: number;
  trainSamplesPerSecond: number;
}

export interface TrainCallbacks {
  onStart?(info: { backend: BackendName; kernel: string; trainUtterances: number; devUtterances: number; skipped: number; totalSteps: number; notes: string[] }): void;
  onStep?(progress: StepProgress): void;
  onEvaluation?(record: EvaluationRecord): void;
  onNote?(message: string): void;
}

export interface TrainResult {
  status: 'completed' | 'early-stopped' | 'time-limit' | 'interrupted';
  bundleDir: string;
  checkpointPath: string;
  manifest: ModelManifest;
  steps: number;
  seconds: number;
  trainSamplesPerSecond: number;
}

export interface TrainOptions {
  callbacks?: TrainCallbacks;
  signal?: AbortSignal;
  /** The command line, stored in the manifest. */
  command?: string;
  resume?: boolean;
  backend?: BackendName;
  /** Pitch features for the `prosody` feature set. */
  prosodyOf?: (samples: Float32Array, sampleRateHz: number) => ProsodyTrack;
  prosodyInfo?: { hopSamples: number; referenceHz: number; tracker: string };
  packageVersion?: string;
}

interface CheckpointHeader {
  kind: 'checkpoint';
  config: TrainingConfig;
  spec: ModelSpec;
  inputScale: number;
  globalStep: number;
  epoch: number;
  stepInEpoch: number;
  order: number[];
  rng: Record<string, number[]>;
  adamStep: number;
  bestDevLoss: number | null;
  bestStep: number;
  evalsWithoutImprovement: number;
  elapsedSeconds: number;
  lastTrainLoss: number | null;
}

/** The spec a training config describes. */
export function specOf(config: TrainingConfig): ModelSpec {
  return {
    cell: config.cell,
    hidden: config.hidden,
    layers: config.layers,
    head: config.head,
    k: config.k,
    featureSet: config.featureSet,
    phoneSet: config.phoneSet,
    sampleRateHz: config.sampleRateHz,
    levels: 256,
    ...(config.preEmphasis > 0 ? { preEmphasis: config.preEmphasis } : {}),
  };
}

/**
 * Train a model: truncated BPTT over B streams with the state carried from window to window, Adam,
 * global-norm clipping, weight decay, dropout, input noise, parallel scheduled sampling, a learning-rate
 * schedule and early stopping on the dev split. Checkpoints are written atomically; `resume` continues
 * exactly; an abort signal writes a checkpoint and returns; a non-finite loss stops with the last good
 * checkpoint kept.
 */
export async function train(config: TrainingConfig, options: TrainOptions = {}): Promise<TrainResult> {
  validateTrainingConfig(config);
  const spec = specOf(config);
  validateSpec(spec);
  const callbacks = options.callbacks ?? {};
  const phoneSet = PHONE_SETS[spec.phoneSet];
  const layout = featureLayout(spec.featureSet, phoneSet.phones.length);
  if (usesRecording(spec.featureSet) && !options.prosodyOf) {
    throw new UsageError({ code: 'E_OPTION_VALUE', where: '--features', message: 'the prosody feature set needs a pitch tracker, which this build lacks' });
  }
  try {
    mkdirSync(config.out, { recursive: true });
  } catch (error) {
    throw new OutputError({ code: 'E_WRITE', where: config.out, message: `cannot create the output folder (${describeSystemError(error)})` });
  }
  const checkpointPath = join(config.out, CHECKPOINT_FILE);
  const logPath = join(config.out, TRAIN_LOG_FILE);

  // Data.
  const corpus = await scanCorpus(config.data);
  if (corpus.utterances.length === 0) {
    throw new TrainingError({ code: 'E_DATA_NONE', where: config.data, message: 'no utterances (audio with a label file) found', hint: 'give a TIMIT, ARCTIC or flat wav+label folder' });
  }
  const chosen = config.utterances.length > 0 ? selectUtterances(corpus, config.utterances) : corpus.utterances;
  const split = splitByName(chosen, config.devFraction);
  // Damaged recordings (byte order, clipping, DC, silence, level) are never trained on silently. Each corpus
  // is screened on its own: a level is judged against its own corpus's median, not another speaker set's.
  const screenedTrain = await screenRecordings(split.train, config.onBadUtterance);
  const screenedDev = await screenRecordings(split.dev, config.onBadUtterance);
  split.train = screenedTrain.usable;
  split.dev = screenedDev.usable;
  // Further corpora (other speakers) add training utterances only: the dev split stays the main corpus's.
  for (const dir of config.extraData ?? []) {
    const extra = await scanCorpus(dir);
    const screened = await screenRecordings(extra.utterances.filter((u) => !(config.exclude ?? []).some((prefix) => u.id.startsWith(prefix))), config.onBadUtterance);
    split.train.push(...screened.usable);
    screenedTrain.skipped.push(...screened.skipped);
  }
  const loadOptions = {
    sampleRateHz: spec.sampleRateHz,
    phoneSet,
    onBad: config.onBadUtterance,
    preEmphasis: config.preEmphasis,
    acoustic: isAcoustic(spec.featureSet),
    ...(options.prosodyOf ? { prosodyOf: options.prosodyOf } : {}),
  };
  const trainData = await loadSequences(split.train, loadOptions);
  const devData = await loadSequences(split.dev, loadOptions);
  const skipped = [...screenedTrain.skipped, ...screenedDev.skipped, ...trainData.skipped, ...devData.skipped].map(({ id, reason }) => ({ id, reason }));
  for (const s of skipped) callbacks.onNote?.(`skipped ${s.id}: ${s.reason}`);
  if (trainData.sequences.length === 0) {
    throw new TrainingError({ code: 'E_DATA_NONE', where: config.data, message: `none of the ${split.train.length} training utterances could be read`, hint: 'see the skipped-utterance messages above' });
  }

  // Resume or start.
  const resumed = options.resume ? readArrayFile<CheckpointHeader>(checkpointPath) : undefined;
  if (options.resume && resumed && JSON.stringify(resumed.header.spec) !== JSON.stringify(spec)) {
    throw new UsageError({ code: 'E_RESUME_MISMATCH', where: checkpointPath, message: 'the checkpoint was made with a different model spec', hint: 'resume with the same options, or train into a new --out folder' });
  }
  const inputScale = resumed?.header.inputScale ?? signalRms(trainData.sequences);
  const initRng = new Rng(config.seed);
  const rngs = {
    order: new Rng(config.seed + 1000003),
    noise: new Rng(config.seed + 2000003),
    dropout: new Rng(config.seed + 3000017),
    sampling: new Rng(config.seed + 4000037),
  };
  let weights: Weights = initWeights(spec, layout, initRng);
  const shape = { batch: config.batch, steps: config.steps, k: spec.k };
  const silenceId = phoneSet.phones.indexOf(phoneSet.silence);
  const batcher = new StreamBatcher(trainData.sequences, layout, shape, { inputScale, silenceId, inputNoise: config.inputNoise, signalNoiseLevels: config.signalNoise ?? 0, noiseSeed: config.seed });
  const devBatcher = devData.sequences.length > 0 ? new StreamBatcher(devData.sequences, layout, shape, { inputScale, silenceId }) : undefined;
  const stepsPerEpoch = batcher.stepsPerEpoch;
  const totalSteps = stepsPerEpoch * config.epochs;

  const loaded = await loadTf(options.backend);
  const { tf } = loaded;
  const kernelPath = config.kernel === 'auto' ? (loaded.backend === 'tensorflow' ? 'tfjs' : 'fused') : config.kernel;
  const compiled = kernelPath === 'fused' || devBatcher ? compileBestKernel() : undefined;
  const threads = config.threads > 0 ? config.threads : Math.min(2, availableParallelism());
  const useThreads = kernelPath === 'fused' && threads > 1 && config.batch >= 2;
  const kernelName = kernelPath === 'fused' ? `fused wasm ${compiled?.variant}${useThreads ? ` x${Math.min(threads, config.batch)} threads` : ''}` : 'tfjs autodiff';
  const fused: TrainingNetwork | undefined =
    kernelPath !== 'fused'
      ? undefined
      : useThreads
        ? await ParallelNetwork.create(spec, layout, shape, threads, compiled?.variant ?? 'simd')
        : new LocalNetwork(new FusedNetwork(spec, layout, shape, compiled?.module));
  const reference = kernelPath === 'tfjs' ? new ReferenceTrainer(tf, spec, layout, shape) : undefined;
  const devNet = devBatcher ? new FusedNetwork(spec, layout, shape, compiled?.module) : undefined;
  const optimizer = new AdamOptimizer(tf, weights);

  let globalStep = 0;
  let epoch = 0;
  let stepInEpoch = 0;
  let bestDevLoss: number | null = null;
  let bestStep = 0;
  let bestWeights: Weights | undefined;
  let evalsWithoutImprovement = 0;
  let elapsedBefore = 0;
  let lastTrainLoss: number | null = null;
  if (resumed) {
    const h = resumed.header;
    const pick = (prefix: string): Weights => new Map([...resumed.arrays].filter(([n]) => n.startsWith(prefix)).map(([n, a]) => [n.slice(prefix.length), a]));
    weights = pick('w/');
    optimizer.setState({ step: h.adamStep, m: pick('m/'), v: pick('v/') }, weights);
    const bw = pick('best/');
    bestWeights = bw.size > 0 ? bw : undefined;
    ({ globalStep, epoch, stepInEpoch, bestDevLoss, bestStep, evalsWithoutImprovement, lastTrainLoss } = h);
    elapsedBefore = h.elapsedSeconds;
    batcher.setOrder(h.order);
    for (const [name, rng] of Object.entries(rngs)) rng.setState(h.rng[name] as number[]);
    const state = [...pick('state/').values()];
    if (fused) fused.setState(state);
    reference?.setState(state);
    callbacks.onNote?.(`resumed from ${checkpointPath} at step ${globalStep} (epoch ${epoch + 1})`);
  } else if (existsSync(logPath)) {
    // A fresh run starts a fresh log.
    appendFileSync(logPath, '');
  }

  callbacks.onStart?.({
    backend: loaded.backend,
    kernel: kernelName,
    trainUtterances: trainData.sequences.length,
    devUtterances: devData.sequences.length,
    skipped: skipped.length,
    totalSteps,
    notes: [...loaded.notes, ...trainData.notes],
  });

  const batch = allocateBatch(shape, layout);
  const devBatch = allocateBatch(shape, layout);
  const samplesPerStep = config.batch * config.steps;
  const started = performance.now();
  const elapsed = (): number => elapsedBefore + (performance.now() - started) / 1000;
  let stepsThisRun = 0;
  let lossSum = 0;
  let lossCount = 0;
  let lastNorm = 0;
  let status: TrainResult['status'] = 'completed';

  const snapshot = async (): Promise<{ header: CheckpointHeader; arrays: Map<string, Float32Array> }> => {
    const arrays = new Map<string, Float32Array>();
    const adam = optimizer.getState();
    for (const [n, a] of weights) arrays.set(`w/${n}`, a);
    for (const [n, a] of adam.m) arrays.set(`m/${n}`, a);
    for (const [n, a] of adam.v) arrays.set(`v/${n}`, a);
    if (bestWeights) for (const [n, a] of bestWeights) arrays.set(`best/${n}`, a);
    const state = fused ? await fused.getStateAsync() : (reference as ReferenceTrainer).getState();
    state.forEach((s, i) => arrays.set(`state/${String(i).padStart(3, '0')}`, s));
    const header: CheckpointHeader = {
      kind: 'checkpoint', config, spec, inputScale, globalStep, epoch, stepInEpoch, order: batcher.getOrder(),
      rng: Object.fromEntries(Object.entries(rngs).map(([n, r]) => [n, r.getState()])),
      adamStep: adam.step, bestDevLoss, bestStep, evalsWithoutImprovement, elapsedSeconds: elapsed(), lastTrainLoss,
    };
    return { header, arrays };
  };
  const saveCheckpoint = async (): Promise<void> => {
    const { header, arrays } = await snapshot();
    await writeArrayFile(checkpointPath, header, arrays);
  };

  const evaluateDev = (): number | null => (devBatcher && devNet ? meanLoss(devNet, weights, devBatcher, devBatch) : null);

  const evaluate = (): boolean => {
    const devLoss = evaluateDev();
    const trainLoss = lossCount > 0 ? lossSum / lossCount : (lastTrainLoss ?? Number.NaN);
    lastTrainLoss = trainLoss;
    lossSum = 0;
    lossCount = 0;
    const record: EvaluationRecord = {
      step: globalStep,
      epoch: epoch + (stepInEpoch === 0 ? 0 : 1),
      trainLoss,
      devLoss,
      gradNorm: lastNorm,
      learningRate: learningRateAt(config.learningRate, config.lrSchedule, globalStep, totalSteps, config.warmupSteps),
      elapsedSeconds: elapsed(),
      trainSamplesPerSecond: stepsThisRun > 0 ? (stepsThisRun * samplesPerStep) / ((performance.now() - started) / 1000) : 0,
    };
    try {
      appendFileSync(logPath, `${JSON.stringify(record)}\n`);
    } catch (error) {
      throw new OutputError({ code: 'E_WRITE', where: logPath, message: `cannot append to the training log (${describeSystemError(error)})` });
    }
    callbacks.onEvaluation?.(record);
    if (devLoss !== null) {
      if (bestDevLoss === null || devLoss < bestDevLoss) {
        bestDevLoss = devLoss;
        bestStep = globalStep;
        bestWeights = new Map([...weights].map(([n, a]) => [n, a.slice()]));
        evalsWithoutImprovement = 0;
      } else {
        evalsWithoutImprovement++;
        if (config.patience > 0 && evalsWithoutImprovement >= config.patience) return true;
      }
    }
    return false;
  };

  const onAbort = (): void => undefined;
  options.signal?.addEventListener('abort', onAbort);
  try {
    outer: while (epoch < config.epochs) {
      batcher.prepareEpoch(epoch);
      if (stepInEpoch === 0) {
        batcher.shuffle(rngs.order);
        fused?.resetState();
        reference?.resetState();
      }
      while (stepInEpoch < stepsPerEpoch) {
        batcher.fill(stepInEpoch, batch, rngs.noise);
        if (config.scheduledSampling > 0 && fused) await substituteOwnPredictions(fused, weights, batch, spec, shape, inputScale, config.scheduledSampling, rngs.sampling);
        const lr = learningRateAt(config.learningRate, config.lrSchedule, globalStep, totalSteps, config.warmupSteps);
        const keep = 1 - config.dropout;
        const dropoutSeed = rngs.dropout.nextUint32();
        let loss: number;
        let grads: Weights;
        if (fused) {
          fused.setWeights(weights);
          loss = (await fused.trainStep(batch, { keep, dropoutSeed })).loss;
          grads = fused.gradients();
        } else {
          ({ loss, grads } = (reference as ReferenceTrainer).step(optimizer.variables(), batch, keep, dropoutSeed));
        }
        const norm = globalNorm(grads);
        if (!Number.isFinite(loss) || !Number.isFinite(norm)) {
          const kept = existsSync(checkpointPath) ? `the last good checkpoint is kept at ${checkpointPath}` : 'no checkpoint was written yet';
          throw new TrainingError({
            code: 'E_DIVERGED',
            where: `step ${globalStep + 1}`,
            message: `training diverged: the loss is ${loss} and the gradient norm ${norm}; ${kept}`,
            hint: config.clipNorm > 0 ? 'lower --lr' : 'lower --lr or clip the gradients with --clip 1',
          });
        }
        lastNorm = norm;
        optimizer.apply(prepareGradients(grads, weights, norm, config.clipNorm, config.weightDecay), lr);
        weights = optimizer.weights();
        lossSum += loss;
        lossCount++;
        globalStep++;
        stepInEpoch++;
        stepsThisRun++;
        const wall = (performance.now() - started) / 1000;
        const rate = (stepsThisRun * samplesPerStep) / Math.max(wall, 1e-9);
        callbacks.onStep?.({
          step: globalStep,
          totalSteps,
          epoch: epoch + 1,
          epochs: config.epochs,
          loss,
          samplesPerSecond: rate,
          etaSeconds: ((totalSteps - globalStep) * samplesPerStep) / Math.max(rate, 1e-9),
        });
        const epochDone = stepInEpoch >= stepsPerEpoch;
        if (epochDone) {
          stepInEpoch = 0;
          epoch++;
        }
        const evalNow = config.evalEvery > 0 ? globalStep % config.evalEvery === 0 : epochDone;
        if (evalNow && evaluate()) {
          status = 'early-stopped';
          break outer;
        }
        if (globalStep % config.checkpointEvery === 0) await saveCheckpoint();
        if (options.signal?.aborted) {
          status = 'interrupted';
          break outer;
        }
        if (config.maxMinutes > 0 && elapsed() >= config.maxMinutes * 60) {
          status = 'time-limit';
          break outer;
        }
        if (epochDone) break;
      }
    }
    if (lossCount > 0) evaluate();
    await saveCheckpoint();
  } catch (error) {
    if (error instanceof TrainingError) throw error;
    // Anything else (disk full, a bug): keep what we have if we can, then report.
    try {
      const { header, arrays } = await snapshot();
      writeArrayFileSync(`${checkpointPath}`, header, arrays);
    } catch {
      // the original error is the one to report
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    optimizer.dispose();
    reference?.dispose();
    await fused?.dispose();
  }

  const finalWeights = bestWeights ?? weights;
  const sigma = spec.head === 'mse' ? Math.sqrt(trainingMse(spec, layout, shape, trainData.sequences, finalWeights, inputScale, silenceId)) : null;
  const seconds = elapsed();
  const rate = stepsThisRun > 0 ? (stepsThisRun * samplesPerStep) / ((performance.now() - started) / 1000) : 0;
  const manifest = buildManifest({
    spec,
    inputScale,
    sigma,
    ...(options.prosodyInfo ? { prosodyInfo: options.prosodyInfo } : {}),
    ...(options.packageVersion ? { packageVersion: options.packageVersion } : {}),
    training: {
      data: config.data,
      utterances: trainData.sequences.map((s) => s.id),
      devUtterances: devData.sequences.map((s) => s.id),
      skippedUtterances: skipped,
      command: options.command ?? '',
      config: { ...config },
      epochsRun: epoch + (stepInEpoch > 0 ? stepInEpoch / stepsPerEpoch : 0),
      steps: globalStep,
      finalTrainLoss: lastTrainLoss,
      bestDevLoss,
      backend: loaded.backend,
      kernel: kernelName,
      seconds,
      trainSamplesPerSecond: rate,
      status,
    },
  });
  await writeBundle(config.out, manifest, finalWeights, parameterShapes(spec, layout));
  return { status, bundleDir: config.out, checkpointPath, manifest, steps: globalStep, seconds, trainSamplesPerSecond: rate };
}
