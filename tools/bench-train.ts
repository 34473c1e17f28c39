/**
 * npm run bench:train: training throughput (train_samples_per_s of METRICS.md: time steps x batch per wall
 * second, optimizer step included) of the 2014 model (rnn 100, k=40, B=64, T=100, mse) and of gru-256
 * mulaw, through the real training loop, against a same-run baseline: tfjs-layers simpleRNN + model.fit on
 * the same shapes. Medians of several runs; ends with a RESULT line.
 */
import { rmSync } from 'node:fs';
import { DEFAULT_TRAINING, type TrainingConfig } from '../src/model/training/training-config.js';
import { train } from '../src/model/training/trainer.js';
import { loadTf } from '../src/model/tf-backend.js';
import { toneCorpus } from '../test/helpers/tone-corpus.js';
import { tempDir } from '../test/helpers/fixtures.js';
import { machineInfo, median, round } from './machine.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const corpus = toneCorpus(8, 6); // about 2.6 s of audio per utterance, 21 s in all

async function trainerRate(overrides: Partial<TrainingConfig>, epochs: number): Promise<{ rate: number; kernel: string; backend: string }> {
  const rates: number[] = [];
  let kernel = '';
  let backend = '';
  for (let r = 0; r < RUNS; r++) {
    const out = tempDir();
    const result = await train({ ...DEFAULT_TRAINING, data: corpus, out, devFraction: 0, epochs, checkpointEvery: 100000, warmupSteps: 0, batch: 64, steps: 100, k: 40, ...overrides });
    rates.push(result.trainSamplesPerSecond);
    kernel = result.manifest.training.kernel;
    backend = result.manifest.training.backend;
    rmSync(out, { recursive: true, force: true });
  }
  return { rate: median(rates), kernel, backend };
}

/** The baseline: a Keras-style simpleRNN(100) + dense(1), fit by model.fit on [B, T, k + phones] windows. */
async function layersBaseline(): Promise<number> {
  const { tf } = await loadTf();
  const B = 64;
  const T = 100;
  const features = 40 + 49;
  const steps = 20;
  const model = tf.sequential();
  model.add(tf.layers.simpleRNN({ units: 100, returnSequences: true, inputShape: [T, features] }));
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomNormal([B * steps, T, features]);
  const y = tf.randomNormal([B * steps, T, 1]);
  await model.fit(x, y, { batchSize: B, epochs: 1, verbose: 0, shuffle: false }); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const began = performance.now();
    await model.fit(x, y, { batchSize: B, epochs: 1, verbose: 0, shuffle: false });
    rates.push((B * T * steps) / ((performance.now() - began) / 1000));
  }
  tf.dispose([x, y]);
  model.dispose();
  return median(rates);
}

const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}`);
const rnn = await trainerRate({ cell: 'rnn', hidden: 100, head: 'mse', featureSet: 'seed', clipNorm: 0 }, 6);
console.log(`2014 model (rnn 100, k=40, B=64, T=100, mse) on ${rnn.backend}, ${rnn.kernel} kernel: ${Math.round(rnn.rate)} samples/s (median of ${RUNS})`);
const gru = await trainerRate({ cell: 'gru', hidden: 256, head: 'mulaw', featureSet: 'seed' }, 1);
console.log(`gru-256 mulaw (k=40, B=64, T=100) on ${gru.backend}, ${gru.kernel} kernel: ${Math.round(gru.rate)} samples/s (median of ${RUNS})`);
const baseline = await layersBaseline();
console.log(`baseline: tfjs-layers simpleRNN(100) + model.fit, same shapes, on ${rnn.backend}: ${Math.round(baseline)} samples/s (median of ${RUNS})`);
console.log(`speed-up over the baseline: ${round(rnn.rate / baseline, 1)}x`);
console.log(
  `RESULT ${JSON.stringify({
    machine,
    backend: rnn.backend,
    kernel: rnn.kernel,
    train_samples_per_s: Math.round(rnn.rate),
    gru256_train_samples_per_s: Math.round(gru.rate),
    baseline_train_samples_per_s: Math.round(baseline),
    speedup_over_baseline: round(rnn.rate / baseline, 2),
  })}`,
);
