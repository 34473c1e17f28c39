/**
 * npm run bench:synth: speed of the engine on the 2014 model (rnn 100, k=40), one onnxruntime thread:
 * single-stream rtf in chunk mode, step-mode latency, 64 streams batched, first_audio_ms, and the synth CLI's
 * RSS after 10 minutes of audio; against a same-run baseline, one public step.onnx run per sample from JS.
 * METRICS.md definitions; medians of several runs; ends with a RESULT line.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, reduce } from 'rxjs';
import * as ort from 'onnxruntime-node';
import { buildPhoneTrack } from '../src/data/features/phone-track.js';
import { PHONE_SETS } from '../src/data/phones/phone-sets.js';
import { Engine, type RunOptions } from '../src/engine/engine.js';
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

function plan(seconds: number): GenerationPlan {
  const length = Math.round(seconds * RATE);
  const phones = ['pau', 'aa', 's', 'iy', 'n', 'ae', 't'];
  const segments = [];
  for (let at = 0, i = 0; at < length; at += 1600, i++) segments.push({ startSample: at, endSample: Math.min(length, at + 1600), phone: phones[i % phones.length] as string });
  return { lengthSamples: length, seed: new Float32Array(0), track: buildPhoneTrack(segments, PHONE_SETS.radio, RATE) };
}

interface RunFigures {
  wallSeconds: number;
  firstAudioMs: number;
  latency: LatencyAccumulator;
  audioSeconds: number;
}

async function run(engine: Engine, p: GenerationPlan, options: RunOptions): Promise<RunFigures> {
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
const engine = await Engine.load(dir);
const unroll = engine.manifest.graphs.chunk.unroll;
console.log(`model: the 2014 model (rnn 100, k=40, mse), chunk.onnx ${engine.manifest.graphs.chunk.nodesPerSample} nodes per sample (unroll ${unroll}), step.onnx ${engine.manifest.graphs.step.nodesPerSample} nodes`);

const baselineUs = median(await Promise.all([0].map(() => 0)).then(async () => {
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) r.push(await naiveUsPerSample(dir, 20000));
  return r;
}));
console.log(`baseline, one public step.onnx run per sample from JS: ${round(baselineUs)} us/sample (rtf ${round(1e6 / (baselineUs * RATE), 1)})`);

const chunkRuns: RunFigures[] = [];
for (let i = 0; i < RUNS; i++) chunkRuns.push(await run(engine, plan(60), { mode: 'chunk', chunkSamples: 8192 }));
const rtf = median(chunkRuns.map((r) => r.audioSeconds / r.wallSeconds));
const usPerSample = 1e6 / (rtf * RATE);
console.log(`single stream, chunk mode (8192 samples per call, 60 s of audio): rtf ${round(rtf, 1)}, ${round(usPerSample)} us/sample; latency p50 ${round(median(chunkRuns.map((r) => r.latency.percentile(50))))} us, p99 ${round(median(chunkRuns.map((r) => r.latency.percentile(99))))} us`);

const firstAudio: number[] = [];
for (let i = 0; i < 5; i++) firstAudio.push((await run(engine, plan(1), { mode: 'chunk', chunkSamples: 4096, firstChunkSamples: 256 })).firstAudioMs);
console.log(`first_audio_ms (first chunk 256 samples): median ${round(median(firstAudio))} ms of ${firstAudio.map((v) => round(v, 1)).join(', ')}`);

const stepRuns: RunFigures[] = [];
for (let i = 0; i < RUNS; i++) stepRuns.push(await run(engine, plan(5), { mode: 'step', chunkSamples: 1024 }));
const p99 = median(stepRuns.map((r) => r.latency.percentile(99)));
console.log(`step mode (one step.onnx run per sample, 5 s): latency p50 ${round(median(stepRuns.map((r) => r.latency.percentile(50))))} us, p99 ${round(p99)} us, max ${round(median(stepRuns.map((r) => r.latency.summary().latency_us_max)))} us; rtf ${round(median(stepRuns.map((r) => r.audioSeconds / r.wallSeconds)), 2)}`);

const multiRuns: RunFigures[] = [];
for (let i = 0; i < RUNS; i++) multiRuns.push(await run(engine, plan(10), { mode: 'chunk', streams: 64, chunkSamples: 2048 }));
const aggregate = median(multiRuns.map((r) => (64 * r.audioSeconds) / r.wallSeconds));
console.log(`64 streams batched in one graph call (10 s each): aggregate_rtf ${round(aggregate, 1)} (${round(1e6 / (aggregate * RATE), 3)} us per sample per stream)`);

// RSS of the product path: the synth CLI in its own process (this one also holds tfjs, which built the
// bundle), writing SOAK_SECONDS of audio to a WAV, phones only and then with a recording (drift metrics).
const soakDir = tempDir('synth-bench-');
const soaks: Record<string, RssTrace> = {};
for (const withRecording of [false, true]) {
  const phones = longPhoneFile(soakDir, SOAK_SECONDS, RATE, withRecording);
  const trace = await runWithRss(['--phones', phones, '--seed', '0', '--model', dir, '--out', join(soakDir, 'soak.wav')]);
  assertRunSucceeded('the soak run', trace);
  console.log(`${SOAK_SECONDS} s of audio by the CLI to a WAV, ${withRecording ? 'with a recording (drift metrics)' : 'phones only'}: ${round(trace.seconds, 1)} s wall; ${describeRss(trace)}`);
  soaks[withRecording ? 'recording' : 'phones'] = trace;
}
rmSync(soakDir, { recursive: true, force: true });
const soak = soaks['phones'] as RssTrace;
const soakRecording = soaks['recording'] as RssTrace;
await engine.dispose();

console.log(
  `RESULT ${JSON.stringify({
    machine,
    backend: `onnxruntime-node ${ort.env.versions.common} cpu, 1 thread`,
    rtf: round(rtf, 2),
    us_per_sample: round(usPerSample, 3),
    baseline_us_per_sample: round(baselineUs, 3),
    step_latency_us_p99: round(p99, 2),
    aggregate_rtf_64: round(aggregate, 1),
    first_audio_ms: round(median(firstAudio), 2),
    rss_mb_after_10min: round(soak.endMb, 1),
    rss_mb_peak: round(soak.peakMb, 1),
    rss_mb_after_10min_with_recording: round(soakRecording.endMb, 1),
    rss_mb_peak_with_recording: round(soakRecording.peakMb, 1),
    soak_audio_seconds: SOAK_SECONDS,
  })}`,
);
