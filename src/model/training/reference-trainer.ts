import type * as TfTypes from '@tensorflow/tfjs';
import type { FeatureLayout } from '../../data/features/feature-layout.js';
import type { BatchShape, TrainingBatch } from '../../data/features/stream-batcher.js';
import { parameterShapes, type ModelSpec, type Weights } from '../model-spec.js';
import { ReferenceNetwork } from '../reference-network.js';
import type { Tf } from '../tf-backend.js';

/**
 * Training steps through tfjs autodiff (the path used on tfjs-node, where native ops are fast): the same
 * loss as the kernel, gradients by tf.variableGrads, the recurrent state carried as kept tensors.
 */
export class ReferenceTrainer {
  private readonly network: ReferenceNetwork;
  private readonly shapes: Map<string, number[]>;
  private state: TfTypes.Tensor2D[] | undefined;

  constructor(
    private readonly tf: Tf,
    readonly spec: ModelSpec,
    layout: FeatureLayout,
    readonly shape: BatchShape,
  ) {
    this.network = new ReferenceNetwork(tf, spec, layout, shape);
    this.shapes = new Map(parameterShapes(spec, layout).map((p) => [p.name, [...p.shape]]));
  }

  step(variables: Map<string, TfTypes.Variable>, batch: TrainingBatch, keep: number, seed: number): { loss: number; grads: Weights } {
    const { tf } = this;
    let finalState: TfTypes.Tensor2D[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const shaped = new Map([...variables].map(([n, v]) => [n, v.reshape(this.shapes.get(n) as number[])]));
      const forward = this.network.forward(shaped, batch, this.state);
      finalState = forward.finalState.map((t) => tf.keep(t));
      const top = keep < 1 ? tf.dropout(forward.top, 1 - keep, undefined, seed) : forward.top;
      return this.network.lossFromTop(shaped, top as TfTypes.Tensor2D, batch);
    }, [...variables.values()]);
    const names = new Map([...variables].map(([n, v]) => [v.name, n]));
    const out: Weights = new Map();
    for (const [varName, g] of Object.entries(grads)) out.set(names.get(varName) as string, g.dataSync() as Float32Array);
    const loss = value.dataSync()[0] as number;
    tf.dispose([value, ...Object.values(grads)]);
    // Clone before disposing: a final state may be the previous state itself (an rnn's unused c).
    const next = finalState.map((t) => tf.keep(t.clone()) as TfTypes.Tensor2D);
    tf.dispose(finalState);
    this.state?.forEach((t) => t.dispose());
    this.state = next;
    return { loss, grads: out };
  }

  resetState(): void {
    this.state?.forEach((t) => t.dispose());
    this.state = undefined;
  }

  getState(): Float32Array[] {
    const n = this.shape.batch * this.spec.hidden;
    if (!this.state) return Array.from({ length: 2 * this.spec.layers }, () => new Float32Array(n));
    return this.state.map((t) => t.dataSync() as Float32Array);
  }

  setState(state: readonly Float32Array[]): void {
    this.resetState();
    this.state = state.map((s) => this.tf.keep(this.tf.tensor2d(s, [this.shape.batch, this.spec.hidden])));
  }

  dispose(): void {
    this.resetState();
  }
}
