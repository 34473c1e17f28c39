import type { GenerationPlan, GenerationSettings, GeneratorModel } from '../generation-plan.js';
import type { GuardCounts } from '../generator.js';

/** The sample loop's runtime: the engine's WebAssembly kernel, onnxruntime, or the kernel where it loads. */
export type BackendChoice = 'auto' | 'wasm' | 'ort';

/** The frame network a worker loads beside the sample network. */
export interface FrameNetworkInfo {
  bytes: Uint8Array;
  inputWidth: number;
  contextFrames: number;
  phoneSet: import('../../data/phones/phone-sets.js').PhoneSetName;
}

/** Messages from the main thread to the generation worker. */
export type ToWorker =
  | { type: 'load'; stepBytes: Uint8Array; chunkBytes: Uint8Array; spec: import('../../core/manifest.js').ManifestSpec; featureWidth: number; unroll: number; intraOpThreads: number; signal?: import('../ort-model-sessions.js').SignalGraphInputs; frame?: FrameNetworkInfo; backend: BackendChoice; kernel: import('../kernel/wasm-model-sessions.js').KernelModel }
  | { type: 'start'; runId: number; model: GeneratorModel; plan: GenerationPlan; settings: GenerationSettings; credits: number }
  | { type: 'credit'; runId: number; count: number }
  | { type: 'stop'; runId: number }
  | { type: 'dispose' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  category?: string;
  where?: string;
  hint?: string;
  stack?: string;
}

/** Messages from the worker back. */
export type FromWorker =
  | { type: 'loaded'; loadMs: number; backend: string; notes: string[] }
  | { type: 'chunk'; runId: number; index: number; startSample: number; samples: Float32Array[]; computeUs: number; stepUs?: Float64Array }
  | { type: 'end'; runId: number; guard: GuardCounts; stopped: boolean }
  | { type: 'error'; runId?: number; error: SerializedError }
  | { type: 'disposed' };
