import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { ModelError } from '../core/errors.js';
import type { ManifestSpec } from '../core/manifest.js';
import type { ChunkFeeds, ChunkResult, ModelSessions, StepFeeds, StepResult } from './model-sessions.js';
import { ortSessionOptions } from './ort-session-options.js';

/** What the graphs of a model with signal features take besides the usual inputs. */
export interface SignalGraphInputs {
  historySamples: number;
  lpcOrder: number;
  pitchTaps: boolean;
}

export interface OrtOptions {
  /** Models with signal features (acoustic vocoders): the longer window and the per-sample inputs. */
  signal?: SignalGraphInputs;
  /** Threads inside one graph call (the bench uses 1: one core). */
  intraOpThreads?: number;
  /** Skip the synchronous native path (for comparison in tests and the bench). */
  publicApiOnly?: boolean;
}

/** The synchronous native session of onnxruntime-node (dist/binding.js), where the package exposes it. */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, null>, options: object): Record<string, ort.Tensor>;
  dispose(): void;
}

interface Runner {
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> | Record<string, ort.Tensor>;
  release(): Promise<void> | void;
}

/**
 * onnxruntime-node's public run() defers every call through setImmediate and re-validates its inputs,
 * which costs tens of microseconds per sample in step mode. Its native session (the same object the
 * public API wraps) runs synchronously; we use it when it is there and fall back to the public API.
 */
function nativeRunner(bytes: Uint8Array, options: ort.InferenceSession.SessionOptions, outputs: readonly string[]): Runner | undefined {
  try {
    const require = createRequire(import.meta.url);
    const { binding, initOrt } = require('onnxruntime-node/dist/binding.js') as { binding: { InferenceSession: new () => NativeSession }; initOrt: () => void };
    initOrt();
    const session = new binding.InferenceSession();
    session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
    const fetches = Object.fromEntries(outputs.map((o) => [o, null]));
    return { run: (feeds) => session.run(feeds, fetches, {}), release: () => session.dispose() };
  } catch {
    return undefined;
  }
}

async function publicRunner(bytes: Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<Runner> {
  const session = await ort.InferenceSession.create(bytes, options);
  return { run: (feeds) => session.run(feeds), release: () => session.release() };
}

/**
 * onnxruntime-node sessions for step.onnx and chunk.onnx. Input tensors wrap the caller's buffers and are
 * made once per buffer: onnxruntime reads the data at run time, so the per-sample loop allocates no
 * tensors of its own (fewer garbage-collection pauses in step mode).
 */
export class OrtModelSessions implements ModelSessions {
  private readonly tensors = new WeakMap<Float32Array, ort.Tensor>();
  private readonly temperature = new Float32Array(1);
  private temperatureTensor: ort.Tensor | undefined;

  private wrap(data: Float32Array, dims: readonly number[]): ort.Tensor {
    const cached = this.tensors.get(data);
    if (cached && cached.dims.length === dims.length && cached.dims.every((d, i) => d === dims[i])) return cached;
    const made = new ort.Tensor('float32', data, dims);
    this.tensors.set(data, made);
    return made;
  }

  private constructor(
    private readonly step: Runner,
    private readonly chunk: Runner,
    private readonly spec: ManifestSpec,
    private readonly featureWidth: number,
    private readonly stateWidth: number,
    private readonly signal: SignalGraphInputs | undefined,
  ) {}

  /** Width of the window input: the model's k, or its history for models with signal features. */
  private get windowWidth(): number {
    return this.signal?.historySamples ?? this.spec.k;
  }

  static async create(stepBytes: Uint8Array, chunkBytes: Uint8Array, spec: ManifestSpec, featureWidth: number, options: OrtOptions = {}): Promise<OrtModelSessions> {
    const sessionOptions = ortSessionOptions(options.intraOpThreads ?? 1);
    try {
      // Load through the public API first: it validates the model and reports errors well.
      const step = await publicRunner(stepBytes, sessionOptions);
      const chunk = await publicRunner(chunkBytes, sessionOptions);
      // Each fetched output costs about 3 us per call; step mode needs only these two.
      const outputs = ['raw', 'state_out'];
      const fastStep = options.publicApiOnly ? undefined : nativeRunner(stepBytes, sessionOptions, outputs);
      const fastChunk = options.publicApiOnly ? undefined : nativeRunner(chunkBytes, sessionOptions, ['samples', 'raw', 'window_out', 'state_out']);
      if (fastStep) await step.release();
      if (fastChunk) await chunk.release();
      return new OrtModelSessions(fastStep ?? step, fastChunk ?? chunk, spec, featureWidth, spec.layers * (spec.cell === 'lstm' ? 2 : 1) * spec.hidden, options.signal);
    } catch (error) {
      throw new ModelError({
        code: 'E_MODEL_LOAD',
        message: `onnxruntime cannot load the graphs (${String((error as Error).message).split('\n')[0]})`,
        hint: 'the .onnx files may be damaged; re-export the bundle with `synth export DIR`',
        cause: error,
      });
    }
  }

  async runChunk(f: ChunkFeeds): Promise<ChunkResult> {
    const N = f.samples;
    const B = f.streams;
    const signal: Record<string, ort.Tensor> = {};
    if (this.signal && this.signal.lpcOrder > 0) signal['lpc'] = new ort.Tensor('float32', f.lpc as Float32Array, [N, B, this.signal.lpcOrder]);
    if (this.signal?.pitchTaps) signal['lags'] = new ort.Tensor('float32', f.lags as Float32Array, [N, B]);
    if (this.signal) signal['sharpness'] = new ort.Tensor('float32', f.sharpness as Float32Array, [N, B]);
    const out = await this.chunk.run({
      ...signal,
      features: new ort.Tensor('float32', f.features, [N, B, this.featureWidth]),
      window: new ort.Tensor('float32', f.window, [B, this.windowWidth]),
      state: new ort.Tensor('float32', f.state, [B, this.stateWidth]),
      uniforms: new ort.Tensor('float32', f.uniforms, [N, B]),
      temperature: new ort.Tensor('float32', new Float32Array([f.temperature]), []),
      truth: new ort.Tensor('float32', f.truth, [N, B]),
      teacher_forcing: new ort.Tensor('bool', new Uint8Array([f.teacherForcing ? 1 : 0]), []),
    });
    return {
      samples: out['samples']!.data as Float32Array,
      raw: out['raw']!.data as Float32Array,
      window: out['window_out']!.data as Float32Array,
      state: out['state_out']!.data as Float32Array,
    };
  }

  async runStep(f: StepFeeds): Promise<StepResult> {
    const B = f.streams;
    const feeds: Record<string, ort.Tensor> = {
      window: this.wrap(f.window, [B, this.windowWidth]),
      features: this.wrap(f.features, [B, this.featureWidth]),
      state: this.wrap(f.state, [B, this.stateWidth]),
    };
    if (this.signal && this.signal.lpcOrder > 0) feeds['lpc'] = this.wrap(f.lpc as Float32Array, [B, this.signal.lpcOrder]);
    if (this.signal?.pitchTaps) feeds['lags'] = this.wrap(f.lags as Float32Array, [B]);
    if (this.signal) feeds['sharpness'] = this.wrap(f.sharpness as Float32Array, [B]);
    if (this.spec.head === 'mse') feeds['noise'] = this.wrap(f.draws, [B, 1]);
    else {
      feeds['uniform'] = this.wrap(f.draws, [B, 1]);
      this.temperature[0] = f.temperature;
      this.temperatureTensor ??= new ort.Tensor('float32', this.temperature, []);
      feeds['temperature'] = this.temperatureTensor;
    }
    const out = await this.step.run(feeds);
    return { raw: out['raw']!.data as Float32Array, state: out['state_out']!.data as Float32Array };
  }

  async dispose(): Promise<void> {
    await this.step.release();
    await this.chunk.release();
  }

}
