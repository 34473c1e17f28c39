/**
 * npm run bench:synth: speed of the engine on two models, with both backends in the same run: the 2014
 * model (rnn 100, k=40, mse; random weights) and the shipped default model (models/default, speaking from
 * phones): single-stream rtf in chunk mode on the WebAssembly kernel and on onnxruntime (one intra-op
 * thread; the default model also with 8-bit kernel weights), step-mode latency, 64 streams on one worker and on two, first_audio_ms, and the synth CLI's RSS
 * after 10 minutes of audio; against a same-run baseline, one public step.onnx run per sample from JS.
 * METRICS.md definitions; medians of several runs; ends with a RESULT line.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, reduce } from 'rxjs';
import * as ort from 'onnxruntime-node';
import { buildPhoneTrack } from '../src/data/features/phone-track.js';
import { PHONE_SETS } from '../src/data/phones/phone-sets.js';
import { Engine, type RunOptions } from '../src/engine/engine.js';
import { EnginePool } from '../src/engine/engine-pool.js';
import { allocatePredictedFrames } from '../src/engine/prepare-plan.js';
import { isAcoustic } from '../src/data/features/feature-layout.js';
import { DEFAULT_MODEL_DIR } from '../src/cli/default-model.js';
import type { EngineEvent } from '../src/engine/engine-events.js';
import type { GenerationPlan } from '../src/engine/generation-plan.js';
import { LatencyAccumulator } from '../src/metrics/latency-stats.js';
import { randomBundle } from '../test/helpers/bundles.js';
import { tempDir } from '../test/helpers/fixtures.js';
import { machineInfo, median, round } from './machine.js';
import { assertRunSucceeded, describeRss, longPhoneFile, runWithRss, type RssTrace } from './rss-probe.js';

const RATE = 16000;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const SOAK_SECONDS = Number(process.env['BENCH_SOAK_SECONDS'] ?? 600);

/** `seconds` of phones (100 ms each); a vocoder's frames come from its frame network, as with --condition phones. */
function plan(seconds: number, engine?: Engine | EnginePool): GenerationPlan {
  const length = Math.round(seconds * RATE);
  const phones = ['pau', 'aa', 's', 'iy', 'n', 'ae', 't'];
  const segments = [];
  for (let at = 0, i = 0; at < length; at += 1600, i++) segments.push({ startSample: at, endSample: Math.min(length, at + 1600), phone: phones[i % phones.length] as string });
  const track = buildPhoneTrack(segments, PHONE_SETS.radio, RATE);
  if (engine && isAcoustic(engine.manifest.spec.featureSet)) {
    allocatePredictedFrames(track, length);
    return { lengthSamples: length, seed: new Float32Array(0), track, framesFromNetwork: true };
  }
  return { lengthSamples: length, seed: new Float32Array(0), track };
}

interface RunFigures {
  wallSeconds: number;
  firstAudioMs: number;
  latency: LatencyAccumulator;
  audioSeconds: number;
}

async function run(engine: Engine | EnginePool, p: GenerationPlan, options: RunOptions): Promise<RunFigures> {
  const latency = new LatencyAccumulator();
  const end = await lastValueFrom(
    engine.synthesize(p, options).pipe(
      reduce<EngineEvent, EngineEvent | undefined>((last, e) => {
        if (e.type === 'audio' && !e.chunk.seed) {
          if (e.chunk.stepUs) for (const us of e.chunk.stepUs) latency.add(us);
          else latency.add(e.chunk.latencyUs, e.chunk.samples[0]?.length ?? 0);
        }
        return e.type === 'end' ? e : last;
      }, undefined),
    ),
  );
  if (!end || end.type !== 'end') throw new Error('no end event');
  return { wallSeconds: end.wallSeconds, firstAudioMs: end.firstAudioMs, latency, audioSeconds: p.lengthSamples / RATE };
}

/** The naive loop: one public session.run per sample, window shifted in JS. */
async function naiveUsPerSample(dir: string, samples: number): Promise<number> {
  const session = await ort.InferenceSession.create(join(dir, 'step.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const window = new Float32Array(40);
  const features = new Float32Array(PHONE_SETS.radio.phones.length);
  features[1] = 1;
  let state = new Float32Array(100);
  const began = performance.now();
  for (let t = 0; t < samples; t++) {
    const out = await session.run({
      window: new ort.Tensor('float32', window, [1, 40]),
      features: new ort.Tensor('float32', features, [1, features.length]),
      state: new ort.Tensor('float32', state, [1, 100]),
      noise: new ort.Tensor('float32', new Float32Array(1), [1, 1]),
    });
    state = out['state_out']!.data as Float32Array;
    window.copyWithin(0, 1);
    window[39] = (out['sample']!.data as Float32Array)[0] as number;
  }
  const us = ((performance.now() - began) * 1000) / samples;
  await session.release();
  return us;
}

const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; onnxruntime-node ${ort.env.versions.common}, 1 intra-op thread`);
const { dir } = await randomBundle({ cell: 'rnn', hidden: 100, layers: 1, head: 'mse', k: 40, featureSet: 'seed', phoneSet: 'radio', sampleRateHz: RATE, levels: 256 }, 1, 1, 8, 0.1);

const baselineUs = median(await (async () => {
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) r.push(await naiveUsPerSample(dir, 20000));
  return r;
})());
console.log(`baseline, one public step.onnx run per sample from JS (2014 model): ${round(baselineUs)} us/sample (rtf ${round(1e6 / (baselineUs * RATE), 1)})`);

/** Median single-stream rtf in chunk mode over RUNS runs. */
async function singleStream(engine: Engine, seconds: number): Promise<{ rtf: number; p50: number; p99: number }> {
  const runs: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(engine, plan(seconds, engine), { mode: 'chunk', chunkSamples: 8192 }));
  return { rtf: median(runs.map((r) => r.audioSeconds / r.wallSeconds)), p50: median(runs.map((r) => r.latency.percentile(50))), p99: median(runs.map((r) => r.latency.percentile(99))) };
}

const rtfs: Record<string, number> = {};
const models = [
  { key: '2014', dir, label: 'the 2014 model (rnn 100, k=40, mse)', seconds: 60 },
  { key: 'default', dir: DEFAULT_MODEL_DIR, label: 'the shipped default model', seconds: 20 },
];
for (const m of models) {
  for (const backend of ['ort', 'wasm'] as const) {
    const engine = await Engine.load(m.dir, { backend });
    const graphs = engine.manifest.graphs;
    const s = await singleStream(engine, m.seconds);
    rtfs[`${backend}_${m.key}`] = s.rtf;
    console.log(
      `${m.label} [${engine.manifest.spec.cell}-${engine.manifest.spec.hidden} ${engine.manifest.spec.head} ${engine.manifest.spec.featureSet}], ${engine.backend}: single stream, chunk mode (8192 samples per call, ${m.seconds} s): rtf ${round(s.rtf, 1)}, ${round(1e6 / (s.rtf * RATE))} us/sample; latency p50 ${round(s.p50)} us, p99 ${round(s.p99)} us` +
        (backend === 'ort' ? ` (chunk.onnx ${graphs.chunk.nodesPerSample} nodes per sample)` : ''),
    );
    await engine.dispose();
  }
  console.log(`  ${m.key}: wasm kernel / onnxruntime = ${round((rtfs[`wasm_${m.key}`] as number) / (rtfs[`ort_${m.key}`] as number), 2)}x`);
}
{
  // The optional 8-bit weights (--kernel-weights int8) on the default model, in the same run.
  const engine = await Engine.load(DEFAULT_MODEL_DIR, { backend: 'wasm', kernelWeights: 'int8' });
  const s = await singleStream(engine, 20);
  rtfs['wasm_int8_default'] = s.rtf;
  console.log(`the shipped default model, ${engine.backend}, 8-bit weights: single stream, chunk mode (20 s): rtf ${round(s.rtf, 1)}, ${round(1e6 / (s.rtf * RATE))} us/sample; ${round(s.rtf / (rtfs['wasm_default'] as number), 2)}x the f32 kernel, ${round(s.rtf / (rtfs['ort_default'] as number), 2)}x onnxruntime`);
  await engine.dispose();
}

const stepP99: Record<string, number> = {};
for (const backend of ['ort', 'wasm'] as const) {
  const engine = await Engine.load(dir, { backend });
  const stepRuns: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) stepRuns.push(await run(engine, plan(5), { mode: 'step', chunkSamples: 1024 }));
  stepP99[backend] = median(stepRuns.map((r) => r.latency.percentile(99)));
  console.log(`2014 model, ${engine.backend}, step mode (one call per sample, 5 s): latency p50 ${round(median(stepRuns.map((r) => r.latency.percentile(50))))} us, p99 ${round(stepP99[backend] as number)} us, max ${round(median(stepRuns.map((r) => r.latency.summary().latency_us_max)))} us; rtf ${round(median(stepRuns.map((r) => r.audioSeconds / r.wallSeconds)), 2)}`);
  await engine.dispose();
}

const wasm2014 = await Engine.load(dir);
const firstAudio: number[] = [];
for (let i = 0; i < 5; i++) firstAudio.push((await run(wasm2014, plan(1), { mode: 'chunk', chunkSamples: 4096, firstChunkSamples: 256 })).firstAudioMs);
console.log(`first_audio_ms (2014 model, ${wasm2014.backend}, first chunk 256 samples): median ${round(median(firstAudio))} ms of ${firstAudio.map((v) => round(v, 1)).join(', ')}`);
await wasm2014.dispose();
const defaultEngine = await Engine.load(DEFAULT_MODEL_DIR);
const firstAudioDefault: number[] = [];
for (let i = 0; i < 5; i++) firstAudioDefault.push((await run(defaultEngine, plan(1, defaultEngine), { mode: 'chunk', chunkSamples: 4096, firstChunkSamples: 256 })).firstAudioMs);
console.log(`first_audio_ms (default model, ${defaultEngine.backend}, frames predicted ahead, first chunk 256 samples): median ${round(median(firstAudioDefault))} ms of ${firstAudioDefault.map((v) => round(v, 1)).join(', ')}`);
await defaultEngine.dispose();

const aggregate: Record<number, number> = {};
const MULTI_SECONDS = Number(process.env['BENCH_MULTI_SECONDS'] ?? 5);
for (const workers of [1, 2]) {
  const pool = await EnginePool.load(DEFAULT_MODEL_DIR, workers);
  const runs: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(pool, plan(MULTI_SECONDS, pool), { mode: 'chunk', streams: 64, chunkSamples: 2048 }));
  aggregate[workers] = median(runs.map((r) => (64 * r.audioSeconds) / r.wallSeconds));
  console.log(`default model, 64 streams on ${workers} worker(s) (${pool.backend}, ${MULTI_SECONDS} s each): aggregate_rtf ${round(aggregate[workers] as number, 1)} (${round(1e6 / ((aggregate[workers] as number) * RATE), 3)} us per sample per stream)`);
  await pool.dispose();
}
console.log(`  2 workers / 1 worker = ${round((aggregate[2] as number) / (aggregate[1] as number), 2)}x`);

// RSS of the product path: the synth CLI in its own process (this one also holds tfjs, which built the
// bundle), writing SOAK_SECONDS of audio to a WAV, phones only and then with a recording (drift metrics).
const soakDir = tempDir('synth-bench-');
const soaks: Record<string, RssTrace> = {};
for (const withRecording of [false, true]) {
  const phones = longPhoneFile(soakDir, SOAK_SECONDS, RATE, withRecording);
  const trace = await runWithRss(['--phones', phones, '--seed', '0', '--model', dir, '--out', join(soakDir, 'soak.wav')]);
  assertRunSucceeded('the soak run', trace);
  console.log(`${SOAK_SECONDS} s of audio by the CLI (2014 model) to a WAV, ${withRecording ? 'with a recording (drift metrics)' : 'phones only'}: ${round(trace.seconds, 1)} s wall; ${describeRss(trace)}`);
  soaks[withRecording ? 'recording' : 'phones'] = trace;
}
rmSync(soakDir, { recursive: true, force: true });
const soak = soaks['phones'] as RssTrace;
const soakRecording = soaks['recording'] as RssTrace;

const rtfWasm2014 = rtfs['wasm_2014'] as number;
console.log(
  `RESULT ${JSON.stringify({
    machine,
    backend: 'wasm kernel (the default) and onnxruntime-node cpu, 1 thread, in the same run',
    rtf: round(rtfWasm2014, 2),
    us_per_sample: round(1e6 / (rtfWasm2014 * RATE), 3),
    baseline_us_per_sample: round(baselineUs, 3),
    rtf_wasm_2014: round(rtfWasm2014, 2),
    rtf_ort_2014: round(rtfs['ort_2014'] as number, 2),
    speedup_2014: round(rtfWasm2014 / (rtfs['ort_2014'] as number), 2),
    rtf_wasm_default: round(rtfs['wasm_default'] as number, 2),
    rtf_ort_default: round(rtfs['ort_default'] as number, 2),
    speedup_default: round((rtfs['wasm_default'] as number) / (rtfs['ort_default'] as number), 2),
    rtf_wasm_int8_default: round(rtfs['wasm_int8_default'] as number, 2),
    speedup_int8_default: round((rtfs['wasm_int8_default'] as number) / (rtfs['ort_default'] as number), 2),
    step_latency_us_p99: round(stepP99['ort'] as number, 2),
    step_latency_us_p99_wasm: round(stepP99['wasm'] as number, 2),
    aggregate_rtf_64: round(aggregate[1] as number, 1),
    aggregate_rtf_64_1worker: round(aggregate[1] as number, 1),
    aggregate_rtf_64_2workers: round(aggregate[2] as number, 1),
    first_audio_ms: round(median(firstAudio), 2),
    first_audio_ms_default: round(median(firstAudioDefault), 2),
    rss_mb_after_10min: round(soak.endMb, 1),
    rss_mb_peak: round(soak.peakMb, 1),
    rss_mb_after_10min_with_recording: round(soakRecording.endMb, 1),
    rss_mb_peak_with_recording: round(soakRecording.peakMb, 1),
    soak_audio_seconds: SOAK_SECONDS,
  })}`,
);
