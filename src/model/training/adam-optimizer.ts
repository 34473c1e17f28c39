import type * as TfTypes from '@tensorflow/tfjs';
import type { Weights } from '../model-spec.js';
import type { Tf } from '../tf-backend.js';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface AdamState {
  step: number;
  m: Weights;
  v: Weights;
}

/**
 * Adam on tfjs variables, with its moments kept as explicit tensors so that a checkpoint holds the whole
 * optimizer state and `--resume` continues exactly. Weights live here as tf.Variables; the kernel reads
 * them as arrays each step.
 */
export class AdamOptimizer {
  private readonly vars = new Map<string, TfTypes.Variable>();
  private readonly m = new Map<string, TfTypes.Variable>();
  private readonly v = new Map<string, TfTypes.Variable>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  step = 0;

  constructor(
    private readonly tf: Tf,
    weights: Weights,
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    for (const [name, values] of weights) {
      this.vars.set(name, tf.variable(tf.tensor1d(values), true));
      this.m.set(name, tf.variable(tf.zeros([values.length]), false));
      this.v.set(name, tf.variable(tf.zeros([values.length]), false));
    }
  }

  /** Current weights as arrays (copies). */
  weights(): Weights {
    const out: Weights = new Map();
    for (const [name, variable] of this.vars) out.set(name, variable.dataSync() as Float32Array);
    return out;
  }

  /** The tf.Variables, for the autodiff path. */
  variables(): Map<string, TfTypes.Variable> {
    return this.vars;
  }

  /** One Adam update with the given gradients (already clipped and decayed) at learning rate `lr`. */
  apply(gradients: Weights | Map<string, TfTypes.Tensor>, lr: number): void {
    const { tf } = this;
    this.step++;
    const c1 = 1 - this.beta1 ** this.step;
    const c2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      for (const [name, variable] of this.vars) {
        const raw = gradients.get(name);
        if (!raw) continue;
        const g = raw instanceof Float32Array ? tf.tensor1d(raw) : (raw as TfTypes.Tensor).reshape([variable.size]);
        const m = this.m.get(name) as TfTypes.Variable;
        const v = this.v.get(name) as TfTypes.Variable;
        m.assign(m.mul(this.beta1).add(g.mul(1 - this.beta1)));
        v.assign(v.mul(this.beta2).add(g.square().mul(1 - this.beta2)));
        const update = m.div(c1).div(v.div(c2).sqrt().add(this.epsilon)).mul(lr);
        variable.assign(variable.sub(update));
      }
    });
  }

  getState(): AdamState {
    const read = (map: Map<string, TfTypes.Variable>): Weights => new Map([...map].map(([n, t]) => [n, t.dataSync() as Float32Array]));
    return { step: this.step, m: read(this.m), v: read(this.v) };
  }

  setState(state: AdamState, weights: Weights): void {
    this.step = state.step;
    for (const [name, variable] of this.vars) {
      const w = weights.get(name);
      const m = state.m.get(name);
      const v = state.v.get(name);
      if (!w || !m || !v) throw new RangeError(`checkpoint has no state for ${name}`);
      variable.assign(this.tf.tensor1d(w));
      (this.m.get(name) as TfTypes.Variable).assign(this.tf.tensor1d(m));
      (this.v.get(name) as TfTypes.Variable).assign(this.tf.tensor1d(v));
    }
  }

  setWeights(weights: Weights): void {
    for (const [name, variable] of this.vars) {
      const w = weights.get(name);
      if (w) variable.assign(this.tf.tensor1d(w));
    }
  }

  dispose(): void {
    for (const map of [this.vars, this.m, this.v]) for (const t of map.values()) t.dispose();
    this.vars.clear();
    this.m.clear();
    this.v.clear();
  }
}
