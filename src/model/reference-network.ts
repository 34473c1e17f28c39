import type * as TfTypes from '@tensorflow/tfjs';
import type { FeatureLayout } from '../data/features/feature-layout.js';
import type { BatchShape, TrainingBatch } from '../data/features/stream-batcher.js';
import { gateCount, outputWidth, type ModelSpec } from './model-spec.js';
import type { Tf } from './tf-backend.js';

type Tensor = TfTypes.Tensor;
type Tensor2D = TfTypes.Tensor2D;

/** Weights as tfjs tensors (or variables), by parameter name. */
export type TensorWeights = Map<string, Tensor>;

export interface ReferenceForward {
  /** Top layer outputs [R, H], rows time-major. */
  top: Tensor2D;
  /** Final state per layer: [h, c] each [B, H]. */
  finalState: Tensor2D[];
}

/**
 * The network written with plain tfjs ops and differentiated by tfjs autodiff: the reference that the
 * WebAssembly kernel is tested against, the path used for training on tfjs-node, and the model the ONNX
 * export is checked against. Same layout and math as fused-network.ts.
 */
export class ReferenceNetwork {
  constructor(
    private readonly tf: Tf,
    readonly spec: ModelSpec,
    readonly layout: FeatureLayout,
    readonly shape: BatchShape,
  ) {}

  /** Windows [R, k] from the per-stream source [B, k+T]. */
  windows(batch: TrainingBatch): Tensor2D {
    const { batch: B, steps: T, k } = this.shape;
    const out = new Float32Array(B * T * k);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) out.set(batch.source.subarray(b * (T + k) + t, b * (T + k) + t + k), (t * B + b) * k);
    }
    return this.tf.tensor2d(out, [B * T, k]);
  }

  /** Forward pass over a window; `state` is per layer [h, c] (zeros when absent). */
  forward(weights: TensorWeights, batch: TrainingBatch, state?: readonly Tensor2D[]): ReferenceForward {
    const { tf, spec, layout, shape } = this;
    const { batch: B, steps: T } = shape;
    const H = spec.hidden;
    const GH = gateCount(spec.cell) * H;
    const R = B * T;
    const w = (name: string): Tensor => {
      const t = weights.get(name);
      if (!t) throw new RangeError(`missing weight ${name}`);
      return t;
    };
    const finalState: Tensor2D[] = [];
    let below: Tensor2D | undefined;
    for (let l = 0; l < spec.layers; l++) {
      let ax: Tensor2D;
      if (l === 0) {
        ax = tf.matMul(this.windows(batch), w('l0.w_win') as Tensor2D);
        const S = layout.slots.length;
        if (S > 0) {
          const ids = tf.tensor1d(batch.ids, 'int32');
          ax = ax.add(tf.gather(w('l0.emb'), ids).reshape([R, S, GH]).sum(1) as Tensor2D);
        }
        if (layout.dense.length > 0) {
          ax = ax.add(tf.matMul(tf.tensor2d(batch.dense, [R, layout.dense.length]), w('l0.w_dense') as Tensor2D));
        }
      } else {
        ax = tf.matMul(below as Tensor2D, w(`l${l}.w_in`) as Tensor2D);
      }
      ax = ax.add(w(`l${l}.b`));
      let h = state?.[2 * l] ?? tf.zeros([B, H]);
      let c = state?.[2 * l + 1] ?? tf.zeros([B, H]);
      const whh = w(`l${l}.w_hh`) as Tensor2D;
      const outputs: Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const axt = ax.slice([t * B, 0], [B, GH]);
        let ah = tf.matMul(h, whh);
        if (spec.cell === 'rnn') {
          h = tf.tanh(axt.add(ah)) as Tensor2D;
        } else if (spec.cell === 'gru') {
          ah = ah.add(w(`l${l}.b_hh`)) as Tensor2D;
          const r = tf.sigmoid(axt.slice([0, 0], [B, H]).add(ah.slice([0, 0], [B, H])));
          const z = tf.sigmoid(axt.slice([0, H], [B, H]).add(ah.slice([0, H], [B, H])));
          const n = tf.tanh(axt.slice([0, 2 * H], [B, H]).add(r.mul(ah.slice([0, 2 * H], [B, H]))));
          h = n.add(z.mul(h.sub(n))) as Tensor2D;
        } else {
          const a = axt.add(ah);
          const i = tf.sigmoid(a.slice([0, 0], [B, H]));
          const f = tf.sigmoid(a.slice([0, H], [B, H]));
          const g = tf.tanh(a.slice([0, 2 * H], [B, H]));
          const o = tf.sigmoid(a.slice([0, 3 * H], [B, H]));
          c = f.mul(c).add(i.mul(g)) as Tensor2D;
          h = o.mul(tf.tanh(c)) as Tensor2D;
        }
        outputs.push(h);
      }
      finalState.push(h, c);
      below = tf.concat(outputs, 0);
    }
    return { top: below as Tensor2D, finalState };
  }

  /** Head outputs: mse, the normalized prediction [R]; mulaw, logits [R, levels]. */
  head(weights: TensorWeights, top: Tensor2D): Tensor {
    const y = this.tf.matMul(top, weights.get('head.w') as Tensor2D).add(weights.get('head.b') as Tensor);
    return this.spec.head === 'mse' ? y.reshape([top.shape[0]]) : y;
  }

  /** Mean loss over real targets (the same definition the kernel uses). */
  loss(weights: TensorWeights, batch: TrainingBatch, state?: readonly Tensor2D[]): TfTypes.Scalar {
    return this.lossFromTop(weights, this.forward(weights, batch, state).top, batch);
  }

  /** The head's loss given the top layer's outputs. */
  lossFromTop(weights: TensorWeights, top: Tensor2D, batch: TrainingBatch): TfTypes.Scalar {
    const { tf } = this;
    const out = this.head(weights, top);
    const mask = tf.tensor1d(batch.mask);
    const count = Math.max(1, batch.mask.reduce((a, b) => a + b, 0));
    if (this.spec.head === 'mse') {
      const err = out.sub(tf.tensor1d(batch.target));
      return err.square().mul(mask).sum().div(count) as TfTypes.Scalar;
    }
    const logp = tf.logSoftmax(out as Tensor2D);
    const picked = tf.sum(logp.mul(tf.oneHot(tf.tensor1d(batch.level, 'int32'), outputWidth(this.spec))), 1);
    return picked.mul(mask).sum().neg().div(count) as TfTypes.Scalar;
  }
}
