import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { connectable, filter, Subject, type Subscription } from 'rxjs';
import { describeSystemError, EXIT_CODES, OutputError, UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseChoice, parseNumberOption } from '../cli-errors.js';
import { DEFAULT_MODEL_DIR } from '../default-model.js';
import { ProgressLine } from '../progress-line.js';
import { InterruptedRun } from './train-command.js';
import { openSinks } from '../open-sinks.js';
import { closeSinksNow, runUntilSignal } from '../run-until-signal.js';
import { formatSummary, round, roundAll, statusLine } from '../synthesis-summary.js';

export interface SynthFlags {
  phones?: string;
  seed?: string;
  wav?: string;
  model?: string;
  out?: string[];
  format?: string;
  mode?: string;
  chunk?: string;
  streams?: string;
  teacherForced?: boolean;
  temperature?: string;
  mean?: boolean;
  rngSeed?: string;
  realtime?: boolean;
  metrics?: string;
  labelFormat?: string;
  tier?: string;
  phoneSet?: string;
  phoneMap?: string;
  channel?: string;
  condition?: string;
  sharpening?: string;
  backend?: string;
  kernelWeights?: string;
  text?: string;
  textFile?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The synthesis options of the root command. */
export function addSynthOptions(command: Command): Command {
  return command
    .option('--phones <file>', 'phone labels to synthesize (.phn, .lab, .segs, .TextGrid, .json)')
    .option('--text <text>', 'English text to speak (sentence by sentence; the bundle\'s text front end picks phones, pauses and durations)')
    .option('--text-file <file>', 'a text file to speak (plain text of any length, or festvox prompts `( id "text" )`), streamed sentence by sentence')
    .option('--seed <K>', 'start from the first K samples of the recording (0 = silence; default 0)')
    .option('--wav <file>', 'the recording (default: the .wav next to the phones file, or in ../wav/)')
    .option('--model <dir>', 'model bundle (default: the shipped models/default)')
    .option('--out <dest>', 'FILE.wav, - (raw PCM on stdout) or speaker; repeat for several (default: speaker, else synth-out.wav)', collect)
    .option('--format <fmt>', 'raw PCM format for --out -: s16le | f32le (default s16le)')
    .option('--mode <mode>', 'chunk (chunk.onnx, default) | step (step.onnx, one call per sample)')
    .option('--chunk <n>', 'samples per graph call / per message (default 4096)')
    .option('--streams <n>', 'streams synthesized side by side in one graph call (default 1)')
    .option('--teacher-forced', 'feed the recording back instead of the model\'s own output')
    .option('--temperature <t>', 'sampling temperature (> 0; default: the one `synth tune` stored in the model, else 1 for mu-law; mse models are deterministic unless given)')
    .option('--mean', 'no sampling: play the expected value of each prediction (mulaw) or the plain mean (mse)')
    .option('--rng-seed <s>', 'seed of the sampling random numbers (default 1)')
    .option('--realtime', 'pace the output at the sample rate')
    .option('--metrics <how>', 'text (default) | json | json=FILE: drift and latency events and a summary')
    .option('--label-format <name>', 'timit | htk | segs | textgrid | json (default: by extension)')
    .option('--tier <name>', 'TextGrid tier with the phones')
    .option('--phone-set <name>', 'the phone set of the labels, if not the model\'s: timit61 | timit39 | radio')
    .option('--phone-map <file>', 'JSON map from label symbols to the model\'s')
    .option('--channel <n>', 'channel of a multi-channel recording (1-based)')
    .option('--condition <c>', 'vocoder bundles: phones (the frame network predicts pitch, voicing and spectrum from the labels; default) | recording (measured on --wav: copy synthesis)')
    .option('--backend <name>', 'the sample loop\'s runtime: wasm (the engine\'s WebAssembly kernel) | ort (onnxruntime, the reference); default: wasm where it loads')
    .option('--kernel-weights <w>', 'f32 (default: the same audio as onnxruntime) | int8 (GRU mu-law models: 8-bit recurrent and head weights, about 3x faster)')
    .option('--sharpening <slope>', 'vocoder bundles: voiced sharpening of the sampling (0 = off; default 1.5, LPCNet\'s)');
}

interface MetricsTarget {
  kind: 'text' | 'json';
  file?: string;
}

function parseMetrics(value: string | undefined): MetricsTarget {
  if (value === undefined || value === 'text') return { kind: 'text' };
  if (value === 'json') return { kind: 'json' };
  if (value.startsWith('json=') && value.length > 5) return { kind: 'json', file: value.slice(5) };
  throw new UsageError({ code: 'E_OPTION_VALUE', where: '--metrics', message: `got "${value}", allowed: text, json, json=FILE` });
}

/** Run one synthesis from the command line. */
export async function runSynth(flags: SynthFlags, context: CliContext): Promise<void> {
  if (flags.text !== undefined || flags.textFile !== undefined) {
    const { runTextSynth } = await import('./synth-text.js');
    await runTextSynth(flags, context);
    return;
  }
  if (!flags.phones) throw new UsageError({ code: 'E_OPTION_MISSING', where: '--phones', message: 'no phone file given', hint: 'run `synth --phones FILE --seed K`, or `synth --help`' });
  const seedSamples = parseNumberOption('--seed', flags.seed, { min: 0, integer: true }) ?? 0;
  const chunk = parseNumberOption('--chunk', flags.chunk, { min: 1, max: 1 << 20, integer: true });
  const streams = parseNumberOption('--streams', flags.streams, { min: 1, max: 256, integer: true }) ?? 1;
  if (flags.mean && flags.temperature !== undefined) {
    throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--mean', message: '--mean and --temperature exclude each other', hint: 'sample with --temperature T, or decode the expected value with --mean' });
  }
  const temperature = flags.mean ? 0 : parseNumberOption('--temperature', flags.temperature, { min: 0, max: 100, exclusiveMin: true });
  const rngSeed = parseNumberOption('--rng-seed', flags.rngSeed, { integer: true, min: 0, max: 2 ** 32 - 1 }) ?? 1;
  const mode = parseChoice('--mode', flags.mode, ['chunk', 'step'] as const) ?? 'chunk';
  const format = parseChoice('--format', flags.format, ['s16le', 'f32le'] as const);
  const labelFormat = parseChoice('--label-format', flags.labelFormat, ['timit', 'htk', 'segs', 'textgrid', 'json'] as const);
  const phoneSet = parseChoice('--phone-set', flags.phoneSet, ['timit61', 'timit39', 'radio'] as const);
  const channel = parseNumberOption('--channel', flags.channel, { min: 1, max: 64, integer: true });
  const metrics = parseMetrics(flags.metrics);
  const condition = parseChoice('--condition', flags.condition, ['phones', 'recording'] as const);
  const sharpening = parseNumberOption('--sharpening', flags.sharpening, { min: 0, max: 10 });
  const backend = parseChoice('--backend', flags.backend, ['wasm', 'ort'] as const);
  const kernelWeights = parseChoice('--kernel-weights', flags.kernelWeights, ['f32', 'int8'] as const);
  const outs = flags.out ?? [];
  if (outs.filter((o) => o === '-').length > 1) throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--out', message: '"-" (stdout) is given more than once' });
  if (format && !outs.includes('-')) throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--format', message: '--format sets the raw PCM format of --out -, and no --out - was given' });
  for (const o of outs) {
    if (o !== '-' && o !== 'speaker' && extname(o).toLowerCase() !== '.wav') {
      throw new UsageError({ code: 'E_OPTION_VALUE', where: '--out', message: `got "${o}", allowed: a .wav path, - (stdout) or speaker` });
    }
  }
  const stdoutCarriesAudio = outs.includes('-');

  const { Engine } = await import('../../engine/engine.js');
  const { preparePlan } = await import('../../engine/prepare-plan.js');
  const engine = await Engine.load(flags.model ?? DEFAULT_MODEL_DIR, { ...(backend ? { backend } : {}), ...(kernelWeights ? { kernelWeights } : {}) });
  try {
    const manifest = engine.manifest;
    const rate = manifest.spec.sampleRateHz;
    const prosody = await (await import('../../data/features/feature-layout.js')).prosodyExtractorFor(manifest.spec.featureSet, rate);
    const plan = await preparePlan(manifest, {
      phonesPath: flags.phones,
      seedSamples,
      ...(flags.wav ? { wavPath: flags.wav } : {}),
      ...(labelFormat ? { labelFormat } : {}),
      ...(flags.tier ? { tier: flags.tier } : {}),
      ...(phoneSet ? { phoneSet } : {}),
      ...(flags.phoneMap ? { phoneMapPath: flags.phoneMap } : {}),
      ...(channel !== undefined ? { channel } : {}),
      ...(prosody ? { prosodyOf: prosody.extract } : {}),
      ...(condition ? { condition } : {}),
    });
    if (flags.teacherForced && !plan.truth) {
      throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--teacher-forced', message: 'teacher forcing feeds the recording back, and there is no recording', hint: 'give --wav FILE' });
    }
    const progress = new ProgressLine(context.stderr, context.stderrIsTty);
    for (const w of plan.warnings) if (context.verbose) progress.log(`synth: note: ${flags.phones}: ${w}`);
    for (const note of engine.backendNotes) progress.log(`synth: note: ${note}`);

    // Sinks (opened only now that every input is valid, so a bad input never leaves a file behind).
    const sinks = await openSinks(outs, { sampleRateHz: rate, streams, format: format ?? 's16le', stdout: context.stdout, log: (line) => progress.log(line) });
    let metricsFile: WriteStream | undefined;
    let jsonFailure: Error | undefined;
    if (metrics.kind === 'json' && metrics.file) {
      let fd: number;
      try {
        fd = openSync(metrics.file, 'w');
      } catch (error) {
        for (const { sink } of sinks) (sink as { abort?: () => void }).abort?.();
        throw new OutputError({ code: 'E_WRITE', where: metrics.file, message: `cannot write the metrics file (${describeSystemError(error)})`, hint: 'check that the folder exists and is writable' });
      }
      metricsFile = createWriteStream('', { fd });
      metricsFile.on('error', (error) => {
        jsonFailure = error;
      });
    }
    const jsonOut: NodeJS.WritableStream | undefined = metrics.kind === 'json' ? (metricsFile ?? (stdoutCarriesAudio ? context.stderr : context.stdout)) : undefined;
    const emitJson = (obj: unknown): void => {
      jsonOut?.write(`${JSON.stringify(obj)}\n`);
    };

    const { writeToSink } = await import('../../audio/operators/write-to-sink.js');
    const { paceRealtime } = await import('../../audio/operators/pace-realtime.js');
    const { driftFrames } = await import('../../metrics/operators/drift-frames.js');
    const { latencyStats } = await import('../../metrics/operators/latency-stats.js');
    const { StreamingFidelity } = await import('../../metrics/streaming-fidelity.js');
    const settings = engine.settings({ mode, streams, rngSeed, teacherForced: Boolean(flags.teacherForced), ...(chunk ? { chunkSamples: chunk } : {}), ...(temperature !== undefined ? { temperature } : {}), ...(sharpening !== undefined ? { voicedSharpening: sharpening } : {}) });
    let underruns = 0;
    let run$ = engine.synthesize(plan, settings);
    if (flags.realtime) run$ = run$.pipe(paceRealtime({ sampleRateHz: rate, onUnderrun: () => underruns++ }));
    // Every consumer subscribes before the run starts: the seed chunk is emitted at once on connect.
    const shared$ = connectable(run$, { connector: () => new Subject(), resetOnDisconnect: false });
    const modeName = settings.teacherForced ? 'teacher-forced' : 'free-running';
    // The summary's figures, computed as the audio arrives (memory does not grow with the utterance).
    const summaryFidelity = plan.truth ? new StreamingFidelity({ truth: plan.truth, seedSamples: plan.seed.length, segments: plan.segments, mode: modeName, sampleRateHz: rate }) : undefined;
    let latest: import('../../metrics/operators/latency-stats.js').SpeedSnapshot | undefined;
    let lastDrift: import('../../metrics/operators/drift-frames.js').DriftFrame | undefined;
    let end: import('../../engine/engine-events.js').SynthesisEnd | undefined;
    const subscriptions: Subscription[] = [];

    const finished = new Promise<'done' | 'gone'>((resolve, reject) => {
      let completed = 0;
      const sinkPipes = sinks.map(({ sink, stream }) => shared$.pipe(writeToSink(sink, stream)));
      const onSinkDone = (): void => {
        if (++completed === sinkPipes.length) resolve('done');
      };
      subscriptions.push(
        shared$.subscribe({
          next: (e) => {
            if (e.type === 'audio') {
              const s = e.chunk.samples[0];
              if (s) summaryFidelity?.push(s, e.chunk.startSample);
              if (sinks.some(({ sink }) => sink.gone)) resolve('gone');
            } else if (e.type === 'end') end = e;
          },
          error: reject,
        }),
      );
      subscriptions.push(
        shared$.pipe(latencyStats(rate)).subscribe((snap) => {
          latest = snap;
          emitJson({ type: 'latency', audio_seconds: round(snap.audioSeconds, 4), rtf: round(snap.rtf, 2), latency_us_p50: round(snap.latency_us_p50, 2), latency_us_p99: round(snap.latency_us_p99, 2), chunk_us: round(snap.chunk_us, 1) });
          progress.update(statusLine(snap, lastDrift, plan.lengthSamples / rate));
        }),
      );
      if (plan.truth) {
        const truth = plan.truth;
        subscriptions.push(
          shared$.pipe(driftFrames({ truth, seedSamples: plan.seed.length, sampleRateHz: rate })).subscribe((f) => {
            lastDrift = f;
            emitJson({ type: 'drift', mode: modeName, frame: f.frame, time_s: round(f.timeSeconds, 3), snr_db: f.snrDb === null ? null : round(f.snrDb, 2), mel_dist_db: f.melDistDb === null ? null : round(f.melDistDb, 2) });
          }),
        );
      }
      for (const pipe of sinkPipes) subscriptions.push(pipe.pipe(filter(() => false)).subscribe({ error: reject, complete: onSinkDone }));
      if (sinkPipes.length === 0) subscriptions.push(shared$.subscribe({ complete: () => resolve('done') }));
      subscriptions.push(shared$.connect());
    });

    const { outcome, signal: interruptedBy } = await runUntilSignal(finished, context, sinks, () => {
      for (const s of subscriptions) s.unsubscribe();
    });
    progress.clear();
    // On 'done' writeToSink closed them.
    if (outcome !== 'done') await closeSinksNow(sinks);

    // Summary over what was produced.
    const producedUntil = end ? plan.lengthSamples : Math.max(plan.seed.length, Math.round((latest?.audioSeconds ?? 0) * rate) + plan.seed.length);
    const fid = summaryFidelity && summaryFidelity.samples > 0 ? summaryFidelity.report({ nonfinite: end?.guard.nonfinite ?? 0, clipped: end?.guard.clipped ?? 0 }) : null;
    const summary = {
      type: 'summary',
      model: engine.bundle.dir,
      phones: flags.phones,
      recording: plan.wavPath ?? null,
      mode: modeName,
      engine_mode: settings.mode,
      backend: engine.backend,
      condition: plan.track.frames ? (plan.framesFromNetwork ? 'phones' : 'recording') : null,
      streams,
      seed_samples: plan.seed.length,
      length_samples: plan.lengthSamples,
      produced_samples: producedUntil,
      stopped: outcome !== 'done',
      speed: latest
        ? {
            rtf: round(latest.rtf, 2),
            us_per_sample: round(1e6 / (latest.rtf * rate), 3),
            aggregate_rtf: round(latest.aggregate_rtf, 2),
            latency_us_p50: round(latest.latency_us_p50, 2),
            latency_us_p99: round(latest.latency_us_p99, 2),
            latency_us_max: round(latest.latency_us_max, 2),
            first_audio_ms: latest.first_audio_ms === null ? null : round(latest.first_audio_ms, 2),
            underruns,
            chunk_samples: settings.chunkSamples,
          }
        : null,
      guard: end?.guard ?? null,
      fidelity: fid ? roundAll(fid) : null,
      outputs: sinks.map(({ sink }) => sink.name),
    };
    if (metrics.kind === 'json') emitJson(summary);
    else context.stderr.write(formatSummary(summary));
    if (metricsFile) await new Promise<void>((resolve) => metricsFile.end(resolve));
    if (jsonFailure) throw new OutputError({ code: 'E_WRITE', where: metrics.file ?? 'metrics', message: `cannot write the metrics (${describeSystemError(jsonFailure)})` });
    if (outcome === 'signal' && interruptedBy) throw new InterruptedRun(interruptedBy === 'SIGINT' ? EXIT_CODES.sigint : EXIT_CODES.sigterm);
  } finally {
    await engine.dispose();
  }
}

