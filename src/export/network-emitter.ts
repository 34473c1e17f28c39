import type { ManifestSpec } from '../core/manifest.js';
import { PROBIT_A, PROBIT_B, PROBIT_C, PROBIT_D, PROBIT_EPS, PROBIT_LOW } from '../dsp/probit.js';
import { mulawTable } from '../dsp/mulaw.js';
import { GraphBuilder, FLOAT } from './onnx-graph-builder.js';

export type WeightMap = Map<string, { shape: number[]; values: Float32Array }>;

/**
 * How a feature row is laid out: one-hot blocks of `phones` columns per slot, then `dense` values. The
 * dense weights have `signal.length` more rows after those: the inputs the loop computes from the signal.
 */
export interface ConditioningLayout {
  slots: number;
  phones: number;
  dense: number;
  signal: readonly string[];
}

/** Recurrent state as tensor names, one [B, H] per layer (c only for LSTM). */
export interface StateNames {
  h: string[];
  c: string[];
}

/** Largest sample the guard lets through (int16 full scale). */
export const SAMPLE_MAX = 32767 / 32768;
export const SAMPLE_MIN = -1;

/**
 * Emits the network's computations into ONNX graphs: the conditioning projection, one time step of every
 * layer, the head and the sampler. The step and chunk graphs are built from these pieces, so both compute
 * exactly what the trainer's kernel computes (same gate order, same bias placement).
 */
export class NetworkEmitter {
  readonly gates: number;
  readonly H: number;

  constructor(
    readonly spec: ManifestSpec,
    private readonly weights: WeightMap,
    readonly inputScale: number,
    readonly sigma: number,
  ) {
    this.gates = spec.cell === 'rnn' ? 1 : spec.cell === 'gru' ? 3 : 4;
    this.H = spec.hidden;
  }

  w(name: string): Float32Array {
    const v = this.weights.get(name);
    if (!v) throw new RangeError(`the bundle has no weight ${name}`);
    return v.values;
  }

  /**
   * Layer 0's weight for the sample part of its input at unrolled step j: the input is
   * [window (k columns, oldest first), fed_0 .. fed_{j-1}] in audio units and the model sees the last k of
   * it divided by the input scale (folded in here, so the graphs need no scaling nodes).
   */
  windowMatrix(j: number, guardUnits = false): Float32Array {
    const { k } = this.spec;
    const GH = this.gates * this.H;
    const wWin = this.w('l0.w_win');
    const rows = k + j;
    const out = new Float32Array(rows * GH);
    // In guard units (u = (s - lo) / (hi - lo), see guardUnitBias) each sample row is scaled by hi - lo.
    const inv = (guardUnits ? SAMPLE_MAX - SAMPLE_MIN : 1) / this.inputScale;
    for (let row = 0; row < rows; row++) {
      const position = row - j; // index in the model's window; negative = too old
      if (position < 0) continue;
      for (let c = 0; c < GH; c++) out[row * GH + c] = (wWin[position * GH + c] as number) * inv;
    }
    return out;
  }

  /**
   * Layer 0's bias when the window holds guard units u = (s - lo) / (hi - lo) instead of samples s: the
   * offset lo of every window position moves into the bias (the same for every step, as the window always
   * has k positions).
   */
  guardUnitBias(): Float32Array {
    const GH = this.gates * this.H;
    const wWin = this.w('l0.w_win');
    const out = this.w('l0.b').slice();
    for (let row = 0; row < this.spec.k; row++) for (let c = 0; c < GH; c++) out[c] = (out[c] as number) + ((wWin[row * GH + c] as number) * SAMPLE_MIN) / this.inputScale;
    return out;
  }

  /**
   * mse head in guard units: u = HardSigmoid(h w s + c) = clip(z, lo, hi) mapped to [0, 1]. onnxruntime fuses
   * Gemm and HardSigmoid (it does not fuse Clip), so the guard costs no node of its own. `bias` [B,1] or
   * [1] holds b * s plus any Gaussian noise.
   */
  emitGuardedMse(g: GraphBuilder, hTop: string, headW: string, bias: string): string {
    const span = SAMPLE_MAX - SAMPLE_MIN;
    return g.op('HardSigmoid', [g.op('Gemm', [hTop, headW, bias])], { alpha: { float: 1 / span }, beta: { float: -SAMPLE_MIN / span } });
  }

  /** The head in audio units: mse outputs are scaled by the input scale; mulaw logits are unchanged. */
  headWeights(g: GraphBuilder): { w: string; b: string } {
    if (this.spec.head === 'mulaw') return { w: this.constant(g, 'head.w'), b: this.constant(g, 'head.b') };
    const s = this.inputScale;
    return {
      w: this.constant(g, 'head.w*s', this.w('head.w').map((v) => v * s), [this.H, 1]),
      b: this.constant(g, 'head.b*s', this.w('head.b').map((v) => v * s), [1]),
    };
  }

  /** Stack two [rows, GH] matrices vertically. */
  static stack(a: Float32Array, b: Float32Array): Float32Array {
    const out = new Float32Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  /**
   * One time step of every layer. `xParts` (concatenated along axis 1) times `wx` is layer 0's sample input,
   * `cp` its conditioning projection with the bias. Returns the new state.
   */
  emitStep(g: GraphBuilder, xParts: readonly string[], wx: string, wxh: string | undefined, cp: string, state: StateNames): StateNames {
    const next: StateNames = { h: [], c: [] };
    for (let l = 0; l < this.spec.layers; l++) {
      const hPrev = state.h[l] as string;
      const inputParts = l === 0 ? xParts : [next.h[l - 1] as string];
      const bias = l === 0 ? cp : this.constant(g, `l${l}.b`);
      const inputWeights = l === 0 ? wx : this.constant(g, `l${l}.w_in`);
      const combined = l === 0 ? wxh : this.combined(g, l);
      const { h, c } = this.emitCell(g, inputParts, inputWeights, combined, bias, hPrev, state.c[l], l);
      next.h.push(h);
      if (c) next.c.push(c);
    }
    return next;
  }

  private readonly constants = new WeakMap<GraphBuilder, Map<string, string>>();

  /** A weight as an initializer of `g`, created once per graph. */
  constant(g: GraphBuilder, name: string, values?: Float32Array, dims?: number[]): string {
    let map = this.constants.get(g);
    if (!map) {
      map = new Map();
      this.constants.set(g, map);
    }
    const found = map.get(name);
    if (found) return found;
    const entry = this.weights.get(name);
    const data = values ?? entry?.values;
    if (!data) throw new RangeError(`no weight ${name}`);
    const made = g.floats(name.replace(/\W/g, '_'), dims ?? entry?.shape ?? [data.length], data);
    map.set(name, made);
    return made;
  }

  /** [w_in; w_hh] of layer l >= 1 (rnn and lstm read input and state in one product). */
  private combined(g: GraphBuilder, l: number): string | undefined {
    if (this.spec.cell === 'gru') return undefined;
    const GH = this.gates * this.H;
    return this.constant(g, `l${l}.w_in+w_hh`, NetworkEmitter.stack(this.w(`l${l}.w_in`), this.w(`l${l}.w_hh`)), [2 * this.H, GH]);
  }

  private emitCell(
    g: GraphBuilder, inputParts: readonly string[], wx: string, wxh: string | undefined, bias: string, hPrev: string, cPrev: string | undefined, l: number,
  ): { h: string; c?: string } {
    const H = this.H;
    const cell = this.spec.cell;
    if (cell === 'rnn') {
      const z = g.op('Concat', [...inputParts, hPrev], { axis: 1 });
      return { h: g.op('Tanh', [g.op('Gemm', [z, wxh as string, bias])]) };
    }
    if (cell === 'lstm') {
      const z = g.op('Concat', [...inputParts, hPrev], { axis: 1 });
      const a = g.op('Gemm', [z, wxh as string, bias]);
      const [ai, af, ag, ao] = g.node('Split', [a], 4, { axis: 1 }) as [string, string, string, string];
      const i = g.op('Sigmoid', [ai]);
      const f = g.op('Sigmoid', [af]);
      const gg = g.op('Tanh', [ag]);
      const o = g.op('Sigmoid', [ao]);
      const c = g.op('Add', [g.op('Mul', [f, cPrev as string]), g.op('Mul', [i, gg])]);
      return { h: g.op('Mul', [o, g.op('Tanh', [c])]), c };
    }
    // GRU: n = tanh(x W_n + b_n + r * (h W_hn + b_hn)), h' = (1 - z) n + z h.
    const x = inputParts.length === 1 ? (inputParts[0] as string) : g.op('Concat', [...inputParts], { axis: 1 });
    const ax = g.op('Gemm', [x, wx, bias]);
    const ah = g.op('Gemm', [hPrev, this.constant(g, `l${l}.w_hh`), this.constant(g, `l${l}.b_hh`)]);
    const sizes = g.int64s([2 * H, H]);
    const [axRz, axN] = g.node('Split', [ax, sizes], 2, { axis: 1 }) as [string, string];
    const [ahRz, ahN] = g.node('Split', [ah, sizes], 2, { axis: 1 }) as [string, string];
    const rz = g.op('Sigmoid', [g.op('Add', [axRz, ahRz])]);
    const [r, z] = g.node('Split', [rz], 2, { axis: 1 }) as [string, string];
    const n = g.op('Tanh', [g.op('Add', [axN, g.op('Mul', [r, ahN])])]);
    return { h: g.op('Add', [n, g.op('Mul', [z, g.op('Sub', [hPrev, n])])]) };
  }

  /** Head output for the top layer: mse mean [B,1] (normalized) or logits [B,levels]. */
  emitHead(g: GraphBuilder, hTop: string, headW: string, headB: string): string {
    return g.op('Gemm', [hTop, headW, headB]);
  }

  /**
   * Turn the head's output into the fed-back sample and its raw value, in audio units: mse: mean + noise,
   * clipped to the int16 range (the guard); mulaw: inverse-CDF sampling from softmax(logits) with the
   * uniform `u` [B,1] (logits already divided by the temperature).
   */
  emitSample(g: GraphBuilder, headOut: string, noiseOrUniform: string | undefined): { fed: string; raw: string } {
    if (this.spec.head === 'mse') {
      const raw = noiseOrUniform ? g.op('Add', [headOut, noiseOrUniform]) : headOut;
      const fed = g.op('Clip', [raw, g.scalar(SAMPLE_MIN), g.scalar(SAMPLE_MAX)]);
      return { fed, raw };
    }
    const table = mulawTable(this.spec.levels);
    const diff = new Float32Array(this.spec.levels);
    for (let i = 0; i < this.spec.levels - 1; i++) diff[i] = (table[i + 1] as number) - (table[i] as number);
    const diffName = this.constant(g, 'mulaw.diff', diff, [this.spec.levels, 1]);
    const first = this.constant(g, 'mulaw.first', new Float32Array([table[0] as number]), [1]);
    const p = g.op('Softmax', [headOut], { axis: 1 });
    const cdf = g.op('CumSum', [p, g.int64s([1], [])]);
    const below = g.op('Cast', [g.op('Less', [cdf, noiseOrUniform as string])], { to: FLOAT });
    const fed = g.op('Gemm', [below, diffName, first]);
    return { fed, raw: fed };
  }

  /**
   * The conditioning projection of `features` [R, F] with bias: each one-hot block picks its row of the
   * embedding table (ArgMax + Gather: a copy, not a product), the dense features go through a small
   * MatMul. `bias` is folded into the first table. step.onnx and chunk.onnx both use this, in the same
   * order of additions, so their results are bit-identical.
   */
  emitConditioning(g: GraphBuilder, features: string, bias: Float32Array, layout: ConditioningLayout): string {
    const GH = this.gates * this.H;
    if (layout.slots === 0) {
      // Dense features only (acoustic models): one product with the bias.
      return g.op('Gemm', [features, this.frameDenseWeights(g, layout), this.constant(g, 'l0.b+', bias, [GH])]);
    }
    const emb = this.w('l0.emb');
    const V = layout.phones;
    let acc: string | undefined;
    for (let s = 0; s < layout.slots; s++) {
      const table = emb.slice(s * V * GH, (s + 1) * V * GH);
      if (s === 0) for (let v = 0; v < V; v++) for (let c = 0; c < GH; c++) table[v * GH + c] = (table[v * GH + c] as number) + (bias[c] as number);
      const block = layout.slots === 1 && layout.dense === 0 ? features : g.op('Slice', [features, g.int64s([s * V]), g.int64s([(s + 1) * V]), g.int64s([1])]);
      const index = g.op('ArgMax', [block], { axis: 1, keepdims: 0 });
      const rows = g.op('Gather', [this.constant(g, `table${s}`, table, [V, GH]), index], { axis: 0 });
      acc = acc ? g.op('Add', [acc, rows]) : rows;
    }
    if (layout.dense > 0) {
      const dense = g.op('Slice', [features, g.int64s([layout.slots * V]), g.int64s([layout.slots * V + layout.dense]), g.int64s([1])]);
      acc = g.op('Add', [acc as string, g.op('MatMul', [dense, this.frameDenseWeights(g, layout)])]);
    }
    return acc as string;
  }

  /** The rows of l0.w_dense that multiply a feature row's dense values (not the signal features). */
  private frameDenseWeights(g: GraphBuilder, layout: ConditioningLayout): string {
    if (layout.signal.length === 0) return this.constant(g, 'l0.w_dense');
    const GH = this.gates * this.H;
    return this.constant(g, 'l0.w_dense.frame', this.w('l0.w_dense').slice(0, layout.dense * GH), [layout.dense, GH]);
  }

  /**
   * Layer 0's weights for [window (k samples, oldest first), signal features] in audio units: the window
   * rows of windowMatrix(0), then the signal features' rows of l0.w_dense, both divided by the input scale.
   */
  signalInputMatrix(layout: ConditioningLayout): Float32Array {
    const GH = this.gates * this.H;
    const { k } = this.spec;
    const S = layout.signal.length;
    const out = new Float32Array((k + S) * GH);
    out.set(this.windowMatrix(0), 0);
    const dense = this.w('l0.w_dense');
    for (let i = 0; i < S * GH; i++) out[k * GH + i] = (dense[layout.dense * GH + i] as number) / this.inputScale;
    return out;
  }

  /** mulaw, deterministic: the expected value of the predicted distribution (softmax(logits) . table). */
  emitMean(g: GraphBuilder, logits: string): string {
    const table = this.constant(g, 'mulaw.table', mulawTable(this.spec.levels), [this.spec.levels, 1]);
    return g.op('MatMul', [g.op('Softmax', [logits], { axis: 1 }), table]);
  }

  /** Elementwise probit of uniforms (any shape), as dsp/probit.ts computes it. */
  emitProbit(g: GraphBuilder, uniform: string): string {
    const p = g.op('Clip', [uniform, g.scalar(PROBIT_EPS), g.scalar(1 - PROBIT_EPS)]);
    const q = g.op('Sub', [p, g.scalar(0.5)]);
    const r = g.op('Mul', [q, q]);
    const horner = (coefficients: readonly number[], x: string): string => {
      let acc = g.scalar(coefficients[0] as number);
      for (const c of coefficients.slice(1)) acc = g.op('Add', [g.op('Mul', [acc, x]), g.scalar(c)]);
      return acc;
    };
    const central = g.op('Div', [g.op('Mul', [horner(PROBIT_A, r), q]), g.op('Add', [g.op('Mul', [horner(PROBIT_B, r), r]), g.scalar(1)])]);
    const pm = g.op('Min', [p, g.op('Sub', [g.scalar(1), p])]);
    const t = g.op('Sqrt', [g.op('Mul', [g.op('Log', [pm]), g.scalar(-2)])]);
    const lower = g.op('Div', [horner(PROBIT_C, t), g.op('Add', [g.op('Mul', [horner(PROBIT_D, t), t]), g.scalar(1)])]);
    const tail = g.op('Where', [g.op('Less', [p, g.scalar(0.5)]), lower, g.op('Neg', [lower])]);
    const inCentre = g.op('LessOrEqual', [g.op('Abs', [q]), g.scalar(0.5 - PROBIT_LOW)]);
    return g.op('Where', [inCentre, central, tail]);
  }
}
