import type { TrainingBatch } from '../../data/features/stream-batcher.js';
import type { Weights } from '../model-spec.js';
import type { FusedNetwork } from './fused-network.js';
import type { StepResult, TrainingNetwork, TrainStepOptions } from './training-network.js';

/** The kernel on the calling thread, behind the TrainingNetwork interface. */
export class LocalNetwork implements TrainingNetwork {
  constructor(readonly network: FusedNetwork) {}

  setWeights(weights: Weights): void {
    this.network.setWeights(weights);
  }

  async trainStep(batch: TrainingBatch, options?: TrainStepOptions): Promise<StepResult> {
    return this.network.trainStep(batch, options);
  }

  gradients(): Weights {
    return this.network.gradients();
  }

  async evaluate(batch: TrainingBatch): Promise<StepResult> {
    return this.network.evaluate(batch);
  }

  async predict(batch: TrainingBatch): Promise<Float32Array> {
    return this.network.predict(batch);
  }

  resetState(): void {
    this.network.resetState();
  }

  getState(): Float32Array[] {
    return this.network.getState();
  }

  async getStateAsync(): Promise<Float32Array[]> {
    return this.network.getState();
  }

  setState(state: readonly Float32Array[]): void {
    this.network.setState(state);
  }

  async dispose(): Promise<void> {
    // WebAssembly memory is garbage-collected with the instance.
  }
}
