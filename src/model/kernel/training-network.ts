import type { TrainingBatch } from '../../data/features/stream-batcher.js';
import type { Weights } from '../model-spec.js';

export interface StepResult {
  /** Mean loss over the real targets (MSE in normalized units, or cross-entropy in nats). */
  loss: number;
  /** Real targets in the window. */
  count: number;
}

export interface TrainStepOptions {
  /** Keep probability of dropout on the top layer's output (1 = no dropout). */
  keep?: number;
  /** Seed of this step's dropout mask. */
  dropoutSeed?: number;
}

/**
 * The training computation for one (B, T) window shape: FusedNetwork runs it in one WebAssembly instance,
 * ParallelNetwork splits the B streams over worker threads. Both carry the recurrent state across windows.
 */
export interface TrainingNetwork {
  setWeights(weights: Weights): void;
  trainStep(batch: TrainingBatch, options?: TrainStepOptions): Promise<StepResult>;
  /** Gradients of the last trainStep (mean over the window's real targets). */
  gradients(): Weights;
  evaluate(batch: TrainingBatch): Promise<StepResult>;
  predict(batch: TrainingBatch): Promise<Float32Array>;
  resetState(): void;
  getState(): Float32Array[];
  /** The state after everything queued has run (worker-backed networks can only answer this way). */
  getStateAsync(): Promise<Float32Array[]>;
  setState(state: readonly Float32Array[]): void;
  dispose(): Promise<void>;
}
