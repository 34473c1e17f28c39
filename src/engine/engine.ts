import { Worker } from 'node:worker_threads';
import { Observable, defer, finalize, from, lastValueFrom, switchMap } from 'rxjs';
import { MismatchError, SynthError, type ErrorCategory } from '../core/errors.js';
import { RECORDING_FEATURES, usesRecording } from '../data/features/feature-layout.js';
import { loadBundle, type LoadedBundle } from './bundle-loader.js';
import type { AudioChunk, EngineEvent } from './engine-events.js';
import { generatorModelOf, type GenerationPlan, type GenerationSettings } from './generation-plan.js';
import { VOICED_SHARPENING } from '../data/features/signal-inputs.js';
import type { KernelModel } from './kernel/wasm-model-sessions.js';
import { retainedChunk } from './retained-chunk.js';
import { warmUpPlan } from './warm-up-plan.js';
import type { SignalGraphInputs } from './ort-model-sessions.js';
import type { BackendChoice, FromWorker, SerializedError, ToWorker } from './worker/worker-messages.js';

/** The compiled worker (the same path from src/ and dist/, so tests on sources use the build). */
const WORKER_URL = new URL('../../dist/engine/worker/generation-worker.js', import.meta.url);

export interface EngineOptions {
  /** onnxruntime threads per graph call (default 1: the figures in the README are for one core). */
  intraOpThreads?: number;
  /** The sample loop's runtime (default auto: the WebAssembly kernel where it loads, else onnxruntime). */
  backend?: BackendChoice;
  /** The kernel's weights: f32 (default, equal to onnxruntime) or int8 (GRU mu-law models: faster, less exact). */
  kernelWeights?: 'f32' | 'int8';
  /** Run a 0.1 s synthesis at load so the first real one starts warm (default true). */
  warmUp?: boolean;
}

export interface RunOptions extends Partial<GenerationSettings> {
  /** Chunks generated ahead of the sinks at most (default 4). */
  maxAhead?: number;
}

/** What the synthesis kernel needs to know of a bundle. */
export function kernelModelOf(manifest: LoadedBundle['manifest']): KernelModel {
  const signal = signalGraphInputs(manifest);
  const signalCount = manifest.features.acoustic?.signal.length ?? 0;
  return {
    spec: manifest.spec,
    slots: manifest.features.slots.length,
    phones: manifest.features.phones.length,
    dense: manifest.features.dense.length - signalCount,
    sigmaAudio: generatorModelOf(manifest).sigmaAudio,
    ...(signal ? { signal } : {}),
  };
}

/** The per-sample inputs of a model with signal features, from its manifest (undefined for other models). */
export function signalGraphInputs(manifest: LoadedBundle['manifest']): SignalGraphInputs | undefined {
  const acoustic = manifest.features.acoustic;
  if (!acoustic || acoustic.signal.length === 0) return undefined;
  return { historySamples: acoustic.historySamples, lpcOrder: acoustic.lpcOrder, pitchTaps: acoustic.signal.includes('pitch_tap') };
}

function revive(error: SerializedError): Error {
  if (error.category && error.code) {
    return new SynthError(error.category as ErrorCategory, {
      code: error.code,
      message: error.message,
      ...(error.where ? { where: error.where } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  const e = new Error(error.message);
  e.name = error.name;
  if (error.stack) e.stack = error.stack;
  return e;
}

/**
 * A loaded model ready to synthesize: the bundle is validated, and a worker thread holds the onnxruntime
 * sessions. synthesize() returns a cold Observable: each subscription is one synthesis, unsubscribing
 * stops it. Several syntheses may run at once: the worker batches their chunks into shared kernel calls.
 */
export class Engine {
  private runCounter = 0;
  private disposed = false;
  /** The runs in flight, by run id: one worker listener dispatches to them (a listener per run would trip Node's leak warning past ten concurrent streams). */
  private readonly runs = new Map<number, { message(m: FromWorker): void; error(e: Error): void }>();
  /** A worker error outside any run: later runs fail with it. */
  private failure: Error | undefined;

  private constructor(
    readonly bundle: LoadedBundle,
    private readonly worker: Worker,
    readonly loadMs: number,
    /** Which runtime runs the sample loop (e.g. `wasm kernel (relaxed-simd)`), and why, if it fell back. */
    readonly backend: string,
    readonly backendNotes: readonly string[],
  ) {
    worker.on('message', (m: FromWorker) => {
      if ('runId' in m && m.runId !== undefined) this.runs.get(m.runId)?.message(m);
    });
    worker.on('error', (error: Error) => {
      this.failure = error;
      for (const run of [...this.runs.values()]) run.error(error);
    });
  }

  static async load(bundleDir: string, options: EngineOptions = {}): Promise<Engine> {
    const bundle = loadBundle(bundleDir);
    const began = performance.now();
    const worker = new Worker(WORKER_URL);
    const { manifest } = bundle;
    const loaded = await new Promise<{ backend: string; notes: string[] }>((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'loaded') {
          worker.off('message', onMessage);
          resolve({ backend: m.backend, notes: m.notes });
        } else if (m.type === 'error') {
          worker.off('message', onMessage);
          reject(revive(m.error));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      const message: ToWorker = {
        type: 'load',
        stepBytes: bundle.stepBytes,
        chunkBytes: bundle.chunkBytes,
        spec: manifest.spec,
        featureWidth: manifest.features.width,
        unroll: manifest.graphs.chunk.unroll ?? 1,
        intraOpThreads: options.intraOpThreads ?? 1,
        ...(signalGraphInputs(manifest) ? { signal: signalGraphInputs(manifest) } : {}),
        backend: options.backend ?? 'auto',
        kernel: { ...kernelModelOf(manifest), ...(options.kernelWeights === 'int8' ? { int8: true } : {}) },
        ...(bundle.frameBytes && manifest.frame
          ? { frame: { bytes: bundle.frameBytes, inputWidth: manifest.frame.spec.inputWidth, contextFrames: manifest.frame.contextFrames, phoneSet: manifest.frame.phoneSet } }
          : {}),
      };
      worker.postMessage(message);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    const engine = new Engine(bundle, worker, performance.now() - began, loaded.backend, loaded.notes);
    const warm = options.warmUp === false ? undefined : warmUpPlan(manifest);
    if (warm) {
      try {
        await lastValueFrom(engine.synthesize(warm), { defaultValue: undefined });
      } catch (error) {
        await engine.dispose();
        throw error;
      }
    }
    return engine;
  }

  get manifest(): LoadedBundle['manifest'] {
    return this.bundle.manifest;
  }

  /** Default settings for this model (temperature: 0 for mse = the plain mean, 1 for mulaw). */
  settings(options: RunOptions = {}): GenerationSettings {
    const unroll = this.manifest.graphs.chunk.unroll ?? 1;
    const chunk = Math.ceil((options.chunkSamples ?? 4096) / unroll) * unroll;
    return {
      mode: options.mode ?? 'chunk',
      chunkSamples: chunk,
      firstChunkSamples: Math.min(chunk, Math.ceil((options.firstChunkSamples ?? 256) / unroll) * unroll),
      streams: options.streams ?? 1,
      temperature: options.temperature ?? this.manifest.sampling.temperature ?? (this.manifest.spec.head === 'mse' ? 0 : 1),
      rngSeed: options.rngSeed ?? 1,
      teacherForced: options.teacherForced ?? false,
      voicedSharpening: options.voicedSharpening ?? this.manifest.sampling.voicedSharpening ?? (signalGraphInputs(this.manifest) ? VOICED_SHARPENING : 0),
    };
  }

  /**
   * Synthesize `plan`. Emits `start`, the seed as a first audio chunk (when K > 0), generated chunks, and
   * `end`. Cold: nothing runs until subscription.
   */
  synthesize(plan: GenerationPlan, options: RunOptions = {}): Observable<EngineEvent> {
    return new Observable<EngineEvent>((subscriber) => {
      if (this.disposed || this.failure) {
        subscriber.error(this.failure ?? new Error('the engine was disposed'));
        return undefined;
      }
      // Without this check a prosody model would run on zeros for F0, voicing and energy: quiet, wrong speech.
      if (usesRecording(this.manifest.spec.featureSet) && !plan.track.prosody) {
        const needsProsody = this.manifest.features.dense.filter((d) => (RECORDING_FEATURES as readonly string[]).includes(d));
        subscriber.error(
          new MismatchError({
            code: 'E_PLAN_PROSODY',
            message: `the model is conditioned on ${needsProsody.join(', ')} (feature set ${this.manifest.spec.featureSet}), and the plan's phone track has no prosody`,
            hint: 'build the track with the prosody of a recording (preparePlan does this from --wav), or use a model trained with --features seed|rich',
          }),
        );
        return undefined;
      }
      const settings = this.settings(options);
      const runId = ++this.runCounter;
      const maxAhead = Math.max(1, options.maxAhead ?? 4);
      const streams = settings.streams;
      const K = plan.seed.length;
      let ended = false;
      let firstAudioMs = -1;
      let computeSeconds = 0;
      const began = performance.now();
      const send = (m: ToWorker): void => this.worker.postMessage(m);
      subscriber.next({ type: 'start', sampleRateHz: this.manifest.spec.sampleRateHz, lengthSamples: plan.lengthSamples, seedSamples: K, streams, mode: settings.mode, teacherForced: settings.teacherForced });
      const emit = (chunk: Omit<AudioChunk, 'retain'>, onReleased: () => void): void => {
        const held = retainedChunk(chunk, onReleased);
        subscriber.next({ type: 'audio', chunk: held.chunk });
        held.emitted();
      };
      if (K > 0) {
        emit({ index: -1, startSample: 0, samples: Array.from({ length: streams }, () => plan.seed.slice()), seed: true, computeUs: 0, latencyUs: 0 }, () => undefined);
      }
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'chunk') {
          if (firstAudioMs < 0) firstAudioMs = performance.now() - began;
          computeSeconds += m.computeUs / 1e6;
          const n = m.samples[0]?.length ?? 0;
          emit(
            { index: m.index, startSample: m.startSample, samples: m.samples, seed: false, computeUs: m.computeUs, latencyUs: n > 0 ? m.computeUs / n : 0, ...(m.stepUs ? { stepUs: m.stepUs } : {}) },
            () => {
              if (!ended) send({ type: 'credit', runId, count: 1 });
            },
          );
        } else if (m.type === 'end') {
          ended = true;
          cleanup();
          subscriber.next({
            type: 'end',
            generatedSamples: plan.lengthSamples - K,
            guard: m.guard,
            stopped: m.stopped,
            firstAudioMs,
            wallSeconds: (performance.now() - began) / 1000,
            computeSeconds,
          });
          subscriber.complete();
        } else if (m.type === 'error') {
          ended = true;
          cleanup();
          subscriber.error(revive(m.error));
        }
      };
      const onError = (error: Error): void => {
        ended = true;
        cleanup();
        subscriber.error(error);
      };
      const cleanup = (): void => {
        this.runs.delete(runId);
      };
      this.runs.set(runId, { message: onMessage, error: onError });
      // The worker reads the recording only to feed it back (teacher forcing): free-running runs do not copy it there.
      const { truth: _unused, ...withoutTruth } = plan;
      send({ type: 'start', runId, model: generatorModelOf(this.manifest), plan: settings.teacherForced ? plan : withoutTruth, settings, credits: maxAhead });
      return () => {
        if (!ended) {
          ended = true;
          send({ type: 'stop', runId });
          cleanup();
        }
      };
    });
  }

  /** Stop the worker and free the onnxruntime sessions. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.worker.once('message', (m: FromWorker) => {
        if (m.type === 'disposed') {
          clearTimeout(timer);
          resolve();
        }
      });
      this.worker.postMessage({ type: 'dispose' } satisfies ToWorker);
    });
    await this.worker.terminate();
  }
}

/**
 * One synthesis as a self-contained cold Observable: loads the bundle on subscription, runs, and frees the
 * worker and sessions when it completes, fails or is unsubscribed.
 */
export function synthesize$(bundleDir: string, plan: GenerationPlan, options: RunOptions & EngineOptions = {}): Observable<EngineEvent> {
  return defer(() => {
    let engine: Engine | undefined;
    return from(Engine.load(bundleDir, options)).pipe(
      switchMap((loaded) => {
        engine = loaded;
        return loaded.synthesize(plan, options);
      }),
      finalize(() => {
        void engine?.dispose();
      }),
    );
  });
}
