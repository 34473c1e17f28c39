import { ModelError } from '../../core/errors.js';
import type { ManifestSpec } from '../../core/manifest.js';
import { compileBestWasm, WasmArena, type KernelVariant } from '../../core/wasm-arena.js';
import { probit } from '../../dsp/probit.js';
import type { ChunkFeeds, ChunkResult, ModelSessions, StepFeeds, StepResult } from '../model-sessions.js';
import type { SignalGraphInputs } from '../ort-model-sessions.js';
import { readGraphWeights, type GraphTensor } from './graph-weights.js';

/** Where `npm run build` puts the synthesis kernel (the same path from src/ and dist/). */
export const SYNTHESIS_KERNEL_URLS: Record<KernelVariant, URL> = {
  simd: new URL('../../../dist/kernel/synthesis-kernel.wasm', import.meta.url),
  'relaxed-simd': new URL('../../../dist/kernel/synthesis-kernel-relaxed.wasm', import.meta.url),
};

interface SynthesisExports {
  setModel(cell: number, layers: number, hidden: number, window: number, history: number, mulaw: boolean, levels: number, lpcOrder: number, taps: number, slots: number, phones: number, dense: number): void;
  setWeights(w0: number, whh0: number, bhh0: number, w1: number, whh1: number, b1: number, bhh1: number, headW: number, headB: number, table: number, tables: number, wDense: number, bias0: number): void;
  setScratch(ax: number, ah: number, logits: number, cp: number, lastRow: number, lastCp: number): void;
  setQuantized(on: boolean, whh: number, whhScale: number, whhColSum: number, head: number, headScale: number, headColSum: number, codes: number): void;
  resetCache(streams: number): void;
  run(
    n: number, streams: number, nMax: number, hist: number, state: number, cells: number, features: number, draws: number,
    truth: number, teacherForced: boolean, lpc: number, lags: number, sharp: number, mode: number, inverseTemperature: number, raw: number,
  ): void;
}

/** The shape of the model the kernel runs, from the manifest. */
export interface KernelModel {
  spec: ManifestSpec;
  /** Feature row layout: one-hot slots of `phones`, then `dense` values. */
  slots: number;
  phones: number;
  dense: number;
  /** mse head: the Gaussian's standard deviation in audio units (sigma times the input scale). */
  sigmaAudio: number;
  signal?: SignalGraphInputs;
  /** Run the GRU's recurrent product and the mu-law head with 8-bit weights (faster, slightly less exact). */
  int8?: boolean;
}

/** A matrix [rows, cols] as 8-bit weights, four rows per 32-bit lane, with per-column scales and sums. */
export interface Int8Matrix {
  packed: Int8Array;
  scale: Float32Array;
  colSum: Float32Array;
}

/**
 * Pack W [rows, cols] (rows a multiple of 4) for the kernel's 8-bit product: per column c a scale
 * max|W[., c]| / 127 and w8 = round(W / scale); byte ((r / 4) * cols + c) * 4 + r % 4 holds w8[r, c], so one
 * 32-bit lane holds a column's four consecutive rows; colSum[c] = sum over r of w8[r, c].
 */
export function packInt8(w: Float32Array, rows: number, cols: number): Int8Matrix {
  const scale = new Float32Array(cols);
  const colSum = new Float32Array(cols);
  const packed = new Int8Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(w[r * cols + c] as number));
    const s = max > 0 ? max / 127 : 1;
    scale[c] = s;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const q = Math.max(-127, Math.min(127, Math.round((w[r * cols + c] as number) / s)));
      packed[((r >> 2) * cols + c) * 4 + (r & 3)] = q;
      sum += q;
    }
    colSum[c] = sum;
  }
  return { packed, scale, colSum };
}

interface Buffers {
  streams: number;
  nMax: number;
  arena: WasmArena<SynthesisExports>;
  hist: number;
  state: number;
  cells: number;
  features: number;
  draws: number;
  truth: number;
  lpc: number;
  lags: number;
  sharp: number;
  raw: number;
}

const CELL_CODE = { rnn: 0, gru: 1, lstm: 2 } as const;
/** The guard's upper bound (int16 full scale), as the graphs' Clip. */
const SAMPLE_MAX = Math.fround(32767 / 32768);

/**
 * ModelSessions in the engine's own WebAssembly kernel: a whole chunk in one call (one call per sample in
 * step mode), weights read from the bundle's step.onnx initializers. onnxruntime (ort-model-sessions.ts)
 * stays the reference it is tested against.
 */
export class WasmModelSessions implements ModelSessions {
  private buffers: Buffers | undefined;
  private readonly stateWidth: number;
  private readonly window: number;
  private readonly featureWidth: number;
  /** Outputs, reused from call to call (the generator copies them at once). */
  private outputs: { raw: Float32Array; samples: Float32Array; window: Float32Array; state: Float32Array } | undefined;

  private constructor(
    private readonly model: KernelModel,
    private readonly weights: Map<string, GraphTensor>,
    private readonly module: WebAssembly.Module,
    readonly variant: KernelVariant,
  ) {
    const { spec } = model;
    this.stateWidth = spec.layers * (spec.cell === 'lstm' ? 2 : 1) * spec.hidden;
    this.window = model.signal?.historySamples ?? spec.k;
    this.featureWidth = model.slots * model.phones + model.dense;
  }

  /** Whether the 8-bit path runs: asked for, and a GRU with a mu-law head and H a multiple of 16 (else f32). */
  get int8(): boolean {
    const { spec } = this.model;
    return this.model.int8 === true && spec.cell === 'gru' && spec.head === 'mulaw' && spec.hidden % 16 === 0;
  }

  static create(stepBytes: Uint8Array, model: KernelModel, preferred?: KernelVariant): WasmModelSessions {
    const weights = readGraphWeights(stepBytes);
    const { module, variant } = compileBestWasm(SYNTHESIS_KERNEL_URLS, 'synthesis kernel', preferred);
    const sessions = new WasmModelSessions(model, weights, module, variant);
    sessions.ensure(1, 256);
    return sessions;
  }

  private weight(name: string, size?: number): GraphTensor {
    const w = this.weights.get(name);
    if (!w || (size !== undefined && w.values.length !== size)) {
      throw new ModelError({ code: 'E_MODEL_KERNEL', message: `step.onnx has no weight "${name}"${size !== undefined ? ` of ${size} values` : ''} that the kernel needs`, hint: 're-export the bundle with this synth (`synth export DIR`), or use --backend ort' });
    }
    return w;
  }

  /** Memory for `streams` streams and chunks of up to `nMax` samples (reallocated when a call needs more). */
  private ensure(wantedStreams: number, wantedMax: number): Buffers {
    const have = this.buffers;
    // Calls with fewer streams or samples use the memory they find: batches change size from call to call.
    if (have && have.streams >= wantedStreams && have.nMax >= wantedMax) return have;
    const streams = Math.max(wantedStreams, have?.streams ?? 0);
    const nMax = Math.max(wantedMax, have?.nMax ?? 0);
    const { spec, slots, phones, dense, signal } = this.model;
    const H = spec.hidden;
    const GH = (spec.cell === 'rnn' ? 1 : spec.cell === 'gru' ? 3 : 4) * H;
    const O = spec.head === 'mse' ? 1 : spec.levels;
    const F = this.featureWidth;
    const order = signal?.lpcOrder ?? 0;
    const arena = new WasmArena<SynthesisExports>(this.module, 'synthesis kernel');
    const gru = spec.cell === 'gru';
    const historyModel = signal !== undefined;
    // Layer 0's input weights (window rows, then signal rows; rnn/lstm: then the recurrent rows).
    const w0 = historyModel ? this.weight(gru ? 'wsig' : 'wsigh') : this.weight(gru ? 'wx0' : 'wxh0');
    const w0h = gru ? this.weight('l0_w_hh') : undefined;
    const b0h = gru ? this.weight('l0_b_hh') : undefined;
    const two = spec.layers > 1;
    const w1 = two ? this.weight(gru ? 'l1_w_in' : 'l1_w_in_w_hh') : undefined;
    const w1h = two && gru ? this.weight('l1_w_hh') : undefined;
    const b1 = two ? this.weight('l1_b') : undefined;
    const b1h = two && gru ? this.weight('l1_b_hh') : undefined;
    const headW = this.weight(spec.head === 'mse' ? 'head_w_s' : 'head_w', H * O);
    const headB = this.weight(spec.head === 'mse' ? 'head_b_s' : 'head_b', O);
    const table = spec.head === 'mulaw' ? this.weight('mulaw_table', spec.levels) : undefined;
    const tables = slots > 0 ? Array.from({ length: slots }, (_, s) => this.weight(`table${s}`, phones * GH)) : [];
    const wDense = dense > 0 ? (this.weights.get('l0_w_dense_frame') ?? this.weight('l0_w_dense', dense * GH)) : undefined;
    const bias0 = slots === 0 ? this.weight('l0_b_', GH) : undefined;
    const load = (t: GraphTensor | undefined): number => (t ? arena.alloc(t.values.length) : 0);
    const ptr = {
      w0: load(w0), whh0: load(w0h), bhh0: load(b0h), w1: 0, whh1: 0, b1: load(b1), bhh1: load(b1h),
      headW: load(headW), headB: load(headB), table: load(table), tables: 0, wDense: load(wDense), bias0: load(bias0),
    };
    if (w1) {
      ptr.w1 = arena.alloc(w1.values.length);
      ptr.whh1 = gru ? load(w1h) : ptr.w1 + H * GH * 4;
    }
    ptr.tables = slots > 0 ? arena.alloc(slots * phones * GH) : 0;
    const L = spec.layers;
    const buffers: Buffers = {
      streams,
      nMax,
      arena,
      hist: arena.alloc(streams * (this.window + nMax)),
      state: arena.alloc(L * streams * H),
      cells: arena.alloc(L * streams * H),
      features: arena.alloc(nMax * streams * Math.max(1, F)),
      draws: arena.alloc(nMax * streams),
      truth: arena.alloc(nMax * streams),
      lpc: arena.alloc(nMax * streams * Math.max(1, order)),
      lags: arena.alloc(nMax * streams),
      sharp: arena.alloc(nMax * streams),
      raw: arena.alloc(nMax * streams),
    };
    const scratch = { ax: arena.alloc(GH), ah: arena.alloc(GH), logits: arena.alloc(Math.max(4, O)), cp: arena.alloc(GH), lastRow: arena.alloc(streams * Math.max(1, F)), lastCp: arena.alloc(streams * GH) };
    // 8-bit weights: the GRU's recurrent matrix and the mu-law head (H a multiple of 16, as the kernel needs).
    const int8 = this.int8 && w0h !== undefined;
    const q = int8 ? { whh: packInt8((w0h as GraphTensor).values, H, GH), head: packInt8(headW.values, H, O) } : undefined;
    const qPtr = q
      ? {
          whh: arena.alloc(q.whh.packed.length / 4), whhScale: arena.alloc(GH), whhSum: arena.alloc(GH),
          head: arena.alloc(q.head.packed.length / 4), headScale: arena.alloc(O), headSum: arena.alloc(O), codes: arena.alloc(H / 4),
        }
      : undefined;
    arena.seal();
    if (q && qPtr) {
      new Int8Array(arena.memory.buffer, qPtr.whh, q.whh.packed.length).set(q.whh.packed);
      arena.f32(qPtr.whhScale, GH).set(q.whh.scale);
      arena.f32(qPtr.whhSum, GH).set(q.whh.colSum);
      new Int8Array(arena.memory.buffer, qPtr.head, q.head.packed.length).set(q.head.packed);
      arena.f32(qPtr.headScale, O).set(q.head.scale);
      arena.f32(qPtr.headSum, O).set(q.head.colSum);
    }
    // Copy every weight in after sealing (the views stay valid from now on).
    const fill = (at: number, t: GraphTensor | undefined): void => {
      if (t && at) arena.f32(at, t.values.length).set(t.values);
    };
    fill(ptr.w0, w0);
    fill(ptr.whh0, w0h);
    fill(ptr.bhh0, b0h);
    fill(ptr.w1, w1);
    fill(ptr.b1, b1);
    fill(ptr.bhh1, b1h);
    if (gru) fill(ptr.whh1, w1h);
    fill(ptr.headW, headW);
    fill(ptr.headB, headB);
    fill(ptr.table, table);
    tables.forEach((t, s) => arena.f32(ptr.tables + s * phones * GH * 4, t.values.length).set(t.values));
    fill(ptr.wDense, wDense);
    fill(ptr.bias0, bias0);
    const k = arena.exports;
    k.setModel(CELL_CODE[spec.cell], L, H, spec.k, this.window, spec.head === 'mulaw', spec.levels, order, signal?.pitchTaps ? 3 : 0, slots, phones, dense);
    k.setWeights(ptr.w0, ptr.whh0, ptr.bhh0, ptr.w1, ptr.whh1, ptr.b1, ptr.bhh1, ptr.headW, ptr.headB, ptr.table, ptr.tables, ptr.wDense, ptr.bias0);
    k.setScratch(scratch.ax, scratch.ah, scratch.logits, scratch.cp, scratch.lastRow, scratch.lastCp);
    k.setQuantized(q !== undefined, qPtr?.whh ?? 0, qPtr?.whhScale ?? 0, qPtr?.whhSum ?? 0, qPtr?.head ?? 0, qPtr?.headScale ?? 0, qPtr?.headSum ?? 0, qPtr?.codes ?? 0);
    k.resetCache(streams);
    this.buffers = buffers;
    return buffers;
  }

  /**
   * One kernel call: `n` samples for `streams` streams from the window/history and state given, returning
   * the raw samples [n, B] and the new window and state.
   */
  private call(
    n: number, streams: number, window: Float32Array, state: Float32Array, features: Float32Array, draws: Float32Array | ((row: number) => number),
    truth: Float32Array | undefined, lpc: Float32Array | undefined, lags: Float32Array | undefined, sharp: Float32Array | undefined, temperature: number,
  ): { raw: Float32Array; window: Float32Array; state: Float32Array } {
    const buf = this.ensure(streams, n);
    const { arena } = buf;
    const { spec } = this.model;
    const H = spec.hidden;
    const L = spec.layers;
    const Lh = this.window;
    const span = Lh + buf.nMax;
    const hist = arena.f32(buf.hist, streams * span);
    for (let b = 0; b < streams; b++) hist.set(window.subarray(b * Lh, (b + 1) * Lh), b * span);
    // Packed state [B, L*S*H] (h0 (c0) h1 (c1)) <-> the kernel's [L, B, H] h and c.
    const lstm = spec.cell === 'lstm';
    const h = arena.f32(buf.state, L * streams * H);
    const c = arena.f32(buf.cells, L * streams * H);
    const parts = lstm ? 2 : 1;
    for (let b = 0; b < streams; b++) {
      for (let l = 0; l < L; l++) {
        const from = b * this.stateWidth + l * parts * H;
        h.set(state.subarray(from, from + H), (l * streams + b) * H);
        if (lstm) c.set(state.subarray(from + H, from + 2 * H), (l * streams + b) * H);
      }
    }
    const rows = n * streams;
    arena.f32(buf.features, rows * this.featureWidth).set(features.subarray(0, rows * this.featureWidth));
    const d = arena.f32(buf.draws, rows);
    if (typeof draws === 'function') for (let r = 0; r < rows; r++) d[r] = draws(r);
    else d.set(draws.subarray(0, rows));
    if (truth) arena.f32(buf.truth, rows).set(truth.subarray(0, rows));
    const order = this.model.signal?.lpcOrder ?? 0;
    if (lpc && order > 0) arena.f32(buf.lpc, rows * order).set(lpc.subarray(0, rows * order));
    if (lags) arena.f32(buf.lags, rows).set(lags.subarray(0, rows));
    if (sharp) arena.f32(buf.sharp, rows).set(sharp.subarray(0, rows));
    const sampling = temperature > 0;
    arena.exports.run(n, streams, buf.nMax, buf.hist, buf.state, buf.cells, buf.features, buf.draws, buf.truth, truth !== undefined, buf.lpc, buf.lags, buf.sharp, sampling ? 0 : 1, sampling ? 1 / temperature : 1, buf.raw);
    if (!this.outputs || this.outputs.raw.length < buf.nMax * buf.streams) {
      const capacity = buf.streams;
      this.outputs = { raw: new Float32Array(buf.nMax * capacity), samples: new Float32Array(buf.nMax * capacity), window: new Float32Array(capacity * Lh), state: new Float32Array(capacity * this.stateWidth) };
    }
    const outWindow = this.outputs.window.subarray(0, streams * Lh);
    const outState = this.outputs.state.subarray(0, streams * this.stateWidth);
    for (let b = 0; b < streams; b++) outWindow.set(hist.subarray(b * span, b * span + Lh), b * Lh);
    for (let b = 0; b < streams; b++) {
      for (let l = 0; l < L; l++) {
        const to = b * this.stateWidth + l * parts * H;
        outState.set(h.subarray((l * streams + b) * H, (l * streams + b + 1) * H), to);
        if (lstm) outState.set(c.subarray((l * streams + b) * H, (l * streams + b + 1) * H), to + H);
      }
    }
    const raw = this.outputs.raw.subarray(0, rows);
    raw.set(arena.f32(buf.raw, rows));
    return { raw, window: outWindow, state: outState };
  }

  async runChunk(f: ChunkFeeds): Promise<ChunkResult> {
    const { spec, sigmaAudio } = this.model;
    // mse: the Gaussian draw per sample, exactly as chunk.onnx derives it from the uniform.
    const noise = spec.head === 'mse' && f.temperature > 0 ? (row: number): number => probit(f.uniforms[row] as number) * f.temperature * sigmaAudio : undefined;
    const out = this.call(f.samples, f.streams, f.window, f.state, f.features, noise ?? f.uniforms, f.teacherForcing ? f.truth : undefined, f.lpc, f.lags, f.sharpness, f.temperature);
    const samples = (this.outputs as NonNullable<typeof this.outputs>).samples.subarray(0, out.raw.length);
    for (let i = 0; i < out.raw.length; i++) {
      const v = out.raw[i] as number;
      samples[i] = v < -1 ? -1 : v > SAMPLE_MAX ? SAMPLE_MAX : v;
    }
    return { samples, raw: out.raw, window: out.window, state: out.state };
  }

  async runStep(f: StepFeeds): Promise<StepResult> {
    // The step path keeps the window itself; one sample, fed back by the generator.
    const out = this.call(1, f.streams, f.window, f.state, f.features, f.draws, undefined, f.lpc, f.lags, f.sharpness, f.temperature);
    return { raw: out.raw, state: out.state };
  }

  async dispose(): Promise<void> {
    this.buffers = undefined;
  }
}
