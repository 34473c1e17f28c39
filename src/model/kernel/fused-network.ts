import type { FeatureLayout } from '../../data/features/feature-layout.js';
import type { BatchShape, TrainingBatch } from '../../data/features/stream-batcher.js';
import { gateCount, outputWidth, parameterShapes, type ModelSpec, type Weights } from '../model-spec.js';
import { compileBestKernel, TrainingKernel, type KernelExports } from './training-kernel.js';
import type { StepResult, TrainStepOptions } from './training-network.js';

const CELL_CODE = { rnn: 0, gru: 1, lstm: 2 } as const;

interface LayerBuffers {
  ax: number;
  states: number;
  cells: number;
  gates: number;
  ahn: number;
  ah: number;
  dax: number;
  dah: number;
  dout: number;
  whhT: number;
  winT: number;
  /** Carried state between windows: h [B,H] and (LSTM) c [B,H]. */
  stateH: number;
  stateC: number;
}

export type { StepResult, TrainStepOptions } from './training-network.js';

/**
 * The model's training computation for one (B, T) window shape, in the WebAssembly kernel: layer inputs
 * for all T steps in single products, the recurrence step by step, truncated BPTT, weight gradients as one
 * product over the window. The reference path (reference-network.ts, tfjs autodiff) computes the same.
 */
export class FusedNetwork {
  readonly kernel: TrainingKernel;
  private readonly k: KernelExports;
  private readonly layers: LayerBuffers[] = [];
  private readonly params = new Map<string, { ptr: number; size: number; grad: number; shape: number[] }>();
  private readonly rows: number;
  private readonly GH: number;
  private readonly O: number;
  private readonly buf: Record<string, number> = {};
  private weightsSet = false;

  constructor(
    readonly spec: ModelSpec,
    readonly layout: FeatureLayout,
    readonly shape: BatchShape,
    module: WebAssembly.Module = compileBestKernel().module,
  ) {
    const kernel = new TrainingKernel(module);
    this.kernel = kernel;
    this.k = kernel.exports;
    const { batch: B, steps: T, k } = shape;
    const H = spec.hidden;
    const R = B * T;
    this.rows = R;
    this.GH = gateCount(spec.cell) * H;
    this.O = outputWidth(spec);
    for (const p of parameterShapes(spec, layout)) {
      const size = p.shape.reduce((a, b) => a * b, 1);
      this.params.set(p.name, { ptr: kernel.alloc(size), grad: kernel.alloc(size), size, shape: [...p.shape] });
    }
    const S = layout.slots.length;
    const D = layout.dense.length;
    Object.assign(this.buf, {
      source: kernel.alloc(B * (T + k)),
      windows: kernel.alloc(R * k),
      ids: kernel.alloc(R * S),
      dense: kernel.alloc(R * D),
      target: kernel.alloc(R),
      level: kernel.alloc(R),
      mask: kernel.alloc(R),
      top: kernel.alloc(R * H),
      dropMask: kernel.alloc(R * H),
      y: kernel.alloc(R),
      logits: spec.head === 'mulaw' ? kernel.alloc(R * this.O) : 0,
      headWT: kernel.alloc(this.O * H),
      dh: kernel.alloc(B * H),
      dc: kernel.alloc(B * H),
      dprev: kernel.alloc(B * H),
      results: kernel.alloc(8),
    });
    const GH = this.GH;
    for (let l = 0; l < spec.layers; l++) {
      const dax = kernel.alloc(R * GH);
      this.layers.push({
        ax: kernel.alloc(R * GH),
        states: kernel.alloc((T + 1) * B * H),
        cells: spec.cell === 'lstm' ? kernel.alloc((T + 1) * B * H) : 0,
        gates: spec.cell === 'rnn' ? 0 : kernel.alloc(R * GH),
        ahn: spec.cell === 'gru' ? kernel.alloc(R * H) : 0,
        ah: kernel.alloc(B * GH),
        dax,
        dah: spec.cell === 'gru' ? kernel.alloc(R * GH) : dax,
        dout: kernel.alloc(R * H),
        whhT: kernel.alloc(GH * H),
        winT: l > 0 ? kernel.alloc(GH * H) : 0,
        stateH: kernel.alloc(B * H),
        stateC: kernel.alloc(B * H),
      });
    }
    kernel.seal();
    this.resetState();
  }

  /** Zero the carried recurrent state (start of an epoch). */
  resetState(): void {
    const n = this.shape.batch * this.spec.hidden;
    for (const layer of this.layers) {
      this.k.fill(layer.stateH, n, 0);
      this.k.fill(layer.stateC, n, 0);
    }
  }

  /** The carried state, layer by layer: h then c, each [B*H]. */
  getState(): Float32Array[] {
    const n = this.shape.batch * this.spec.hidden;
    return this.layers.flatMap((l) => [this.kernel.f32(l.stateH, n).slice(), this.kernel.f32(l.stateC, n).slice()]);
  }

  setState(state: readonly Float32Array[]): void {
    const n = this.shape.batch * this.spec.hidden;
    if (state.length !== this.layers.length * 2 || state.some((s) => s.length !== n)) {
      throw new RangeError(`state must be ${this.layers.length * 2} arrays of ${n}`);
    }
    this.layers.forEach((l, i) => {
      this.kernel.f32(l.stateH, n).set(state[2 * i] as Float32Array);
      this.kernel.f32(l.stateC, n).set(state[2 * i + 1] as Float32Array);
    });
  }

  setWeights(weights: Weights): void {
    for (const [name, p] of this.params) {
      const w = weights.get(name);
      if (!w || w.length !== p.size) throw new RangeError(`weight ${name}: expected ${p.size} values, got ${w?.length ?? 'none'}`);
      this.kernel.f32(p.ptr, p.size).set(w);
    }
    const H = this.spec.hidden;
    this.layers.forEach((layer, l) => {
      this.k.transpose(this.param(`l${l}.w_hh`), layer.whhT, H, this.GH);
      if (l > 0) this.k.transpose(this.param(`l${l}.w_in`), layer.winT, H, this.GH);
    });
    this.k.transpose(this.param('head.w'), this.buf['headWT'] as number, H, this.O);
    this.weightsSet = true;
  }

  /** Gradients of the last trainStep, by parameter name (views into kernel memory: copy to keep). */
  gradients(): Weights {
    const out: Weights = new Map();
    for (const [name, p] of this.params) out.set(name, this.kernel.f32(p.grad, p.size));
    return out;
  }

  private param(name: string): number {
    const p = this.params.get(name);
    if (!p) throw new RangeError(`no parameter ${name}`);
    return p.ptr;
  }

  private grad(name: string): number {
    return (this.params.get(name) as { grad: number }).grad;
  }

  private loadBatch(batch: TrainingBatch): void {
    const { kernel, buf } = this;
    const R = this.rows;
    kernel.f32(buf['source'] as number, batch.source.length).set(batch.source);
    kernel.i32(buf['ids'] as number, batch.ids.length).set(batch.ids);
    kernel.f32(buf['dense'] as number, batch.dense.length).set(batch.dense);
    kernel.f32(buf['target'] as number, R).set(batch.target);
    kernel.i32(buf['level'] as number, R).set(batch.level);
    kernel.f32(buf['mask'] as number, R).set(batch.mask);
  }

  /** Forward through every layer; the top layer's outputs end in `top` ([R, H]). */
  private forward(updateState: boolean): void {
    if (!this.weightsSet) throw new Error('setWeights before running the network');
    const { k, buf, spec, layout, shape } = this;
    const { batch: B, steps: T } = shape;
    const H = spec.hidden;
    const R = this.rows;
    const GH = this.GH;
    const cell = CELL_CODE[spec.cell];
    this.layers.forEach((layer, l) => {
      if (l === 0) {
        k.buildWindows(buf['source'] as number, buf['windows'] as number, T, B, shape.k);
        k.gemm(buf['windows'] as number, this.param('l0.w_win'), layer.ax, R, shape.k, GH, false);
        if (layout.dense.length > 0) k.gemm(buf['dense'] as number, this.param('l0.w_dense'), layer.ax, R, layout.dense.length, GH, true);
        if (layout.slots.length > 0) k.gatherAdd(layer.ax, this.param('l0.emb'), buf['ids'] as number, R, layout.slots.length, GH);
      } else {
        const below = this.layers[l - 1] as LayerBuffers;
        k.gemm(below.states + B * H * 4, this.param(`l${l}.w_in`), layer.ax, R, H, GH, false);
      }
      k.addRowBias(layer.ax, this.param(`l${l}.b`), R, GH);
      this.kernel.f32(layer.states, B * H).set(this.kernel.f32(layer.stateH, B * H));
      if (spec.cell === 'lstm') this.kernel.f32(layer.cells, B * H).set(this.kernel.f32(layer.stateC, B * H));
      k.layerForward(cell, T, B, H, layer.ax, this.param(`l${l}.w_hh`), spec.cell === 'gru' ? this.param(`l${l}.b_hh`) : 0, layer.states, layer.cells, layer.gates, layer.ahn, layer.ah);
      if (updateState) {
        this.kernel.f32(layer.stateH, B * H).set(this.kernel.f32(layer.states + T * B * H * 4, B * H));
        if (spec.cell === 'lstm') this.kernel.f32(layer.stateC, B * H).set(this.kernel.f32(layer.cells + T * B * H * 4, B * H));
      }
    });
    const topLayer = this.layers[this.layers.length - 1] as LayerBuffers;
    this.kernel.f32(buf['top'] as number, R * H).set(this.kernel.f32(topLayer.states + B * H * 4, R * H));
  }

  /**
   * Teacher-forced predictions for a batch without touching the carried state: mse, the normalized next
   * sample [R]; mulaw, the logits [R, levels]. Returns a copy.
   */
  predict(batch: TrainingBatch): Float32Array {
    this.loadBatch(batch);
    this.forward(false);
    const { k, buf, spec } = this;
    const H = spec.hidden;
    const R = this.rows;
    if (spec.head === 'mse') {
      const w = this.kernel.f32(this.param('head.w'), H);
      const b = this.kernel.f32(this.param('head.b'), 1)[0] as number;
      const top = this.kernel.f32(buf['top'] as number, R * H);
      const y = new Float32Array(R);
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let u = 0; u < H; u++) s += (top[r * H + u] as number) * (w[u] as number);
        y[r] = s + b;
      }
      return y;
    }
    k.softmaxLogits(R, H, this.O, buf['top'] as number, this.param('head.w'), this.param('head.b'), buf['logits'] as number);
    return this.kernel.f32(buf['logits'] as number, R * this.O).slice();
  }

  /** Forward and loss only (no backward), carrying the state on: for dev-set evaluation. */
  evaluate(batch: TrainingBatch): StepResult {
    this.loadBatch(batch);
    this.forward(true);
    return this.headLoss();
  }

  /** The head on `top`: loss, and the gradient of the top layer's outputs in its `dout`. */
  private headLoss(): StepResult {
    const { k, buf, spec } = this;
    const H = spec.hidden;
    const R = this.rows;
    const topLayer = this.layers[this.layers.length - 1] as LayerBuffers;
    const results = buf['results'] as number;
    if (spec.head === 'mse') {
      const bias = this.kernel.f32(this.param('head.b'), 1)[0] as number;
      k.mseHead(R, H, buf['top'] as number, this.param('head.w'), bias, buf['target'] as number, buf['mask'] as number, buf['y'] as number, topLayer.dout, this.grad('head.w'), results);
      this.kernel.f32(this.grad('head.b'), 1)[0] = this.kernel.f64(results, 4)[3] as number;
    } else {
      k.softmaxHead(R, H, this.O, buf['top'] as number, this.param('head.w'), this.param('head.b'), buf['headWT'] as number, buf['level'] as number, buf['mask'] as number, buf['logits'] as number, topLayer.dout, this.grad('head.w'), this.grad('head.b'), results);
    }
    const r = this.kernel.f64(results, 4);
    return { loss: r[0] as number, count: r[1] as number };
  }

  /** Forward, loss and backward for one window; carries the state on. Gradients via gradients(). */
  trainStep(batch: TrainingBatch, options: TrainStepOptions = {}): StepResult {
    this.loadBatch(batch);
    this.forward(true);
    const { k, buf, spec, layout, shape } = this;
    const { batch: B, steps: T } = shape;
    const H = spec.hidden;
    const R = this.rows;
    const GH = this.GH;
    const keep = options.keep ?? 1;
    if (keep < 1) k.dropout(buf['top'] as number, buf['dropMask'] as number, R * H, keep, (options.dropoutSeed ?? 1) >>> 0);
    const result = this.headLoss();
    const topLayer = this.layers[this.layers.length - 1] as LayerBuffers;
    if (keep < 1) k.multiplyInPlace(topLayer.dout, buf['dropMask'] as number, R * H);
    const cell = CELL_CODE[spec.cell];
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l] as LayerBuffers;
      k.layerBackward(cell, T, B, H, layer.whhT, layer.states, layer.cells, layer.gates, layer.ahn, layer.dout, layer.dax, layer.dah, buf['dh'] as number, buf['dc'] as number, buf['dprev'] as number);
      k.gemmAtB(layer.states, layer.dah, this.grad(`l${l}.w_hh`), R, H, GH, false);
      if (spec.cell === 'gru') {
        k.fill(this.grad(`l${l}.b_hh`), GH, 0);
        k.addColumnSums(layer.dah, this.grad(`l${l}.b_hh`), R, GH);
      }
      k.fill(this.grad(`l${l}.b`), GH, 0);
      k.addColumnSums(layer.dax, this.grad(`l${l}.b`), R, GH);
      if (l > 0) {
        const below = this.layers[l - 1] as LayerBuffers;
        k.gemmAtB(below.states + B * H * 4, layer.dax, this.grad(`l${l}.w_in`), R, H, GH, false);
        k.gemm(layer.dax, layer.winT, below.dout, R, GH, H, false);
      } else {
        k.gemmAtB(buf['windows'] as number, layer.dax, this.grad('l0.w_win'), R, shape.k, GH, false);
        if (layout.dense.length > 0) k.gemmAtB(buf['dense'] as number, layer.dax, this.grad('l0.w_dense'), R, layout.dense.length, GH, false);
        const emb = this.params.get('l0.emb');
        if (emb) {
          k.fill(emb.grad, emb.size, 0);
          k.scatterAdd(emb.grad, layer.dax, buf['ids'] as number, R, layout.slots.length, GH);
        }
      }
    }
    return result;
  }
}
