// The synthesis kernel: a whole chunk of the sample loop in one call, for B streams. Per sample: the
// layer-0 input product (the window, and for models with signal features the linear prediction and the
// pitch taps), every cell, the head, sampling with the caller's uniforms, the guard and the feedback. Per
// distinct feature row: the conditioning projection (acoustic rows change once per 10 ms frame). The
// computation is the one chunk.onnx does (same gate order, bias placement, head and sampler), so both give
// the same audio for the same uniforms. Memory is laid out by the caller (TypeScript); pointers are byte
// offsets.
import { tanh4, sigmoid4, exp4 } from '../../../simd/activations';
import { fma } from '../../../simd/fma';

const CELL_RNN: i32 = 0;
const CELL_GRU: i32 = 1;
const SAMPLE_MIN: f32 = -1;
const SAMPLE_MAX: f32 = 32767.0 / 32768.0;

// ---- The model (set once by setModel / setWeights) ----
let cell: i32 = 1;
let layers: i32 = 1;
let H: i32 = 0;
let GH: i32 = 0;
let K: i32 = 0;
let LH: i32 = 0;
let mulaw: bool = true;
let levels: i32 = 256;
let order: i32 = 0;
let taps: i32 = 0;
let slots: i32 = 0;
let phones: i32 = 0;
let dense: i32 = 0;
/** Feature row width F = slots * phones + dense. */
let F: i32 = 0;

// Weights. w0: layer-0 input [K + S, GH] (S = signal inputs: prediction, then taps), audio units.
// whh0/bhh0: GRU recurrent; rnn/lstm read [w0; whh0] as one product, so whh0 follows w0's rows.
let w0: usize = 0;
let whh0: usize = 0;
let bhh0: usize = 0;
let w1: usize = 0;
let whh1: usize = 0;
let b1: usize = 0;
let bhh1: usize = 0;
let headW: usize = 0;
let headB: usize = 0;
/** mulaw: decoded level values [levels]. */
let table: usize = 0;
/** Conditioning: tables [slots][phones, GH] (bias folded into table 0), dense weights [dense, GH], bias [GH] (slots = 0). */
let tables: usize = 0;
let wDense: usize = 0;
let bias0: usize = 0;

// ---- Scratch (set once by setScratch) ----
let ax: usize = 0;
let ah: usize = 0;
let logits: usize = 0;
let cp: usize = 0;
/** Per stream: the last feature row seen and its projection (rows repeat within an acoustic frame). */
let lastRow: usize = 0;
let lastCp: usize = 0;

@inline function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

export function setModel(
  cellType: i32, layerCount: i32, hidden: i32, window: i32, history: i32, isMulaw: bool, levelCount: i32,
  lpcOrder: i32, tapCount: i32, slotCount: i32, phoneCount: i32, denseCount: i32,
): void {
  cell = cellType;
  layers = layerCount;
  H = hidden;
  GH = (cell == CELL_RNN ? 1 : cell == CELL_GRU ? 3 : 4) * hidden;
  K = window;
  LH = history;
  mulaw = isMulaw;
  levels = levelCount;
  order = lpcOrder;
  taps = tapCount;
  slots = slotCount;
  phones = phoneCount;
  dense = denseCount;
  F = slotCount * phoneCount + denseCount;
}

export function setWeights(
  input0: usize, recurrent0: usize, recurrentBias0: usize, input1: usize, recurrent1: usize, bias1: usize, recurrentBias1: usize,
  hw: usize, hb: usize, levelTable: usize, conditioningTables: usize, denseWeights: usize, conditioningBias: usize,
): void {
  w0 = input0;
  whh0 = recurrent0;
  bhh0 = recurrentBias0;
  w1 = input1;
  whh1 = recurrent1;
  b1 = bias1;
  bhh1 = recurrentBias1;
  headW = hw;
  headB = hb;
  table = levelTable;
  tables = conditioningTables;
  wDense = denseWeights;
  bias0 = conditioningBias;
}

// ---- 8-bit weights (optional): the GRU's recurrent matrix and the head, per column scaled to int8 ----
let quantized: bool = false;
let whhQ: usize = 0;
let whhScale: usize = 0;
let whhColSum: usize = 0;
let headQ: usize = 0;
let headScale: usize = 0;
let headColSum: usize = 0;
/** The activations (a state vector) as unsigned 7-bit codes, [H] bytes. */
let codes: usize = 0;

/**
 * Use 8-bit weights for layer 0's recurrent product and the head (GRU models). Weights are packed four rows
 * per 32-bit lane (see packInt8 in wasm-model-sessions.ts) with one scale per column; activations in [-1, 1]
 * are coded u = round((x + 1) * 63.5) in [0, 127] (the 7-bit operand of the relaxed dot product), so
 * x . w = scale * (sum(w8 u) / 63.5 - sum(w8)).
 */
export function setQuantized(on: bool, whh: usize, whhS: usize, whhSum: usize, head: usize, headS: usize, headSum: usize, codeBuffer: usize): void {
  quantized = on;
  whhQ = whh;
  whhScale = whhS;
  whhColSum = whhSum;
  headQ = head;
  headScale = headS;
  headColSum = headSum;
  codes = codeBuffer;
}

/** Code x[0..n) (n a multiple of 16) as unsigned 7-bit activations into `out`. */
function codeActivations(x: usize, n: i32, out: usize): void {
  const one = f32x4.splat(1);
  const k = f32x4.splat(63.5);
  for (let i = 0; i < n; i += 16) {
    const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.add(v128.load(at(x, i)), one), k)));
    const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.add(v128.load(at(x, i + 4)), one), k)));
    const c = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.add(v128.load(at(x, i + 8)), one), k)));
    const d = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.add(v128.load(at(x, i + 12)), one), k)));
    const lo = i16x8.narrow_i32x4_s(a, b);
    const hi = i16x8.narrow_i32x4_s(c, d);
    // Saturate to [0, 127]: the 7-bit operand.
    v128.store(out + <usize>i, i8x16.min_u(i8x16.narrow_i16x8_u(lo, hi), i8x16.splat(127)));
  }
}

/** Four lanes of sum(a[j] * b[j]) over each lane's 4 bytes, plus acc (a signed, b in [0, 127]). */
@inline function dot4(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b, acc);
  const lo = i16x8.extmul_low_i8x16_s(a, b);
  const hi = i16x8.extmul_high_i8x16_s(a, b);
  const pairs = i16x8.narrow_i32x4_s(i32x4.extadd_pairwise_i16x8_s(lo), i32x4.extadd_pairwise_i16x8_s(hi));
  return i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(pairs));
}

/** out[c] += x . W[., c] with 8-bit W (packed), x coded in `u` ([rows] bytes, rows a multiple of 4); cols a multiple of 16. */
function matvecQ8(u: usize, rows: i32, packed: usize, scale: usize, colSum: usize, cols: i32, out: usize): void {
  const stride = (<usize>cols) << 2;
  const inv = f32x4.splat(1.0 / 63.5);
  for (let c = 0; c < cols; c += 16) {
    let a0 = i32x4.splat(0);
    let a1 = i32x4.splat(0);
    let a2 = i32x4.splat(0);
    let a3 = i32x4.splat(0);
    let wp = packed + ((<usize>c) << 2);
    for (let r = 0; r < rows; r += 4) {
      const uv = v128.load32_splat(u + <usize>r);
      a0 = dot4(v128.load(wp), uv, a0);
      a1 = dot4(v128.load(wp, 16), uv, a1);
      a2 = dot4(v128.load(wp, 32), uv, a2);
      a3 = dot4(v128.load(wp, 48), uv, a3);
      wp += stride;
    }
    const o = at(out, c);
    v128.store(o, fma(v128.load(o), v128.load(at(scale, c)), f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(a0), inv), v128.load(at(colSum, c)))));
    v128.store(o, fma(v128.load(o, 16), v128.load(at(scale, c + 4)), f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(a1), inv), v128.load(at(colSum, c + 4)))), 16);
    v128.store(o, fma(v128.load(o, 32), v128.load(at(scale, c + 8)), f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(a2), inv), v128.load(at(colSum, c + 8)))), 32);
    v128.store(o, fma(v128.load(o, 48), v128.load(at(scale, c + 12)), f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(a3), inv), v128.load(at(colSum, c + 12)))), 48);
  }
}

/** Scratch: ax, ah [GH]; logits [max(levels, 4)]; cp [GH]; per stream a feature row [F] and its projection [GH]. */
export function setScratch(axPtr: usize, ahPtr: usize, logitsPtr: usize, cpPtr: usize, lastRowPtr: usize, lastCpPtr: usize): void {
  ax = axPtr;
  ah = ahPtr;
  logits = logitsPtr;
  cp = cpPtr;
  lastRow = lastRowPtr;
  lastCp = lastCpPtr;
}

/** Forget the cached projections (a new plan). */
export function resetCache(streams: i32): void {
  for (let b = 0; b < streams; b++) store<f32>(at(lastRow, b * F), NaN);
}

/** out[0..cols) += x[0..rows) . W[rows, cols] (W row-major); cols a multiple of 4. */
function matvecAcc(x: usize, rows: i32, w: usize, cols: i32, out: usize): void {
  const stride = (<usize>cols) << 2;
  let c = 0;
  for (; c + 16 <= cols; c += 16) {
    const o = at(out, c);
    let a0 = v128.load(o);
    let a1 = v128.load(o, 16);
    let a2 = v128.load(o, 32);
    let a3 = v128.load(o, 48);
    let wp = at(w, c);
    let r = 0;
    // Two rows per iteration: two independent chains of multiply-adds per accumulator pair.
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let b3 = f32x4.splat(0);
    for (; r + 2 <= rows; r += 2) {
      const xv = v128.load32_splat(at(x, r));
      const yv = v128.load32_splat(at(x, r + 1));
      const wq = wp + stride;
      a0 = fma(a0, xv, v128.load(wp));
      a1 = fma(a1, xv, v128.load(wp, 16));
      a2 = fma(a2, xv, v128.load(wp, 32));
      a3 = fma(a3, xv, v128.load(wp, 48));
      b0 = fma(b0, yv, v128.load(wq));
      b1 = fma(b1, yv, v128.load(wq, 16));
      b2 = fma(b2, yv, v128.load(wq, 32));
      b3 = fma(b3, yv, v128.load(wq, 48));
      wp += stride << 1;
    }
    if (r < rows) {
      const xv = v128.load32_splat(at(x, r));
      a0 = fma(a0, xv, v128.load(wp));
      a1 = fma(a1, xv, v128.load(wp, 16));
      a2 = fma(a2, xv, v128.load(wp, 32));
      a3 = fma(a3, xv, v128.load(wp, 48));
    }
    a0 = f32x4.add(a0, b0);
    a1 = f32x4.add(a1, b1);
    a2 = f32x4.add(a2, b2);
    a3 = f32x4.add(a3, b3);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; c < cols; c += 4) {
    const o = at(out, c);
    let a = v128.load(o);
    let wp = at(w, c);
    for (let r = 0; r < rows; r++) {
      a = fma(a, v128.load32_splat(at(x, r)), v128.load(wp));
      wp += stride;
    }
    v128.store(o, a);
  }
}

/** out[0..cols) += s * W[row, 0..cols). */
@inline function axpyRow(s: f32, w: usize, row: i32, cols: i32, out: usize): void {
  const sv = f32x4.splat(s);
  const wr = at(w, row * cols);
  for (let c = 0; c < cols; c += 4) v128.store(at(out, c), fma(v128.load(at(out, c)), sv, v128.load(at(wr, c))));
}

@inline function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, (<usize>n) << 2);
}

/** The conditioning projection of one feature row into `out` [GH] (cached per stream while rows repeat). */
function project(row: usize, stream: i32, out: usize): void {
  const last = at(lastRow, stream * F);
  const lastOut = at(lastCp, stream * GH);
  let same = true;
  for (let i = 0; i < F; i++) {
    if (load<f32>(at(row, i)) != load<f32>(at(last, i))) {
      same = false;
      break;
    }
  }
  if (same) {
    copy(out, lastOut, GH);
    return;
  }
  if (slots == 0) copy(out, bias0, GH);
  for (let s = 0; s < slots; s++) {
    // ArgMax of the one-hot block (the first maximum, as ONNX ArgMax), then that table row.
    const block = at(row, s * phones);
    let best = 0;
    let bestValue = load<f32>(block);
    for (let v = 1; v < phones; v++) {
      const value = load<f32>(at(block, v));
      if (value > bestValue) {
        bestValue = value;
        best = v;
      }
    }
    const src = at(tables, (s * phones + best) * GH);
    if (s == 0) copy(out, src, GH);
    else for (let c = 0; c < GH; c += 4) v128.store(at(out, c), f32x4.add(v128.load(at(out, c)), v128.load(at(src, c))));
  }
  if (dense > 0) matvecAcc(at(row, slots * phones), dense, wDense, GH, out);
  copy(last, row, F);
  copy(lastOut, out, GH);
}

/**
 * One cell step: `a` [GH] holds the input pre-activations (bias included); `h` [H] is updated in place
 * (`c` [H] too for LSTM). For GRU, `whh`/`bhh` give the recurrent product; rnn and lstm callers have
 * already added h's product to `a`.
 */
function cellStep(a: usize, h: usize, c: usize, whh: usize, bhh: usize): void {
  if (cell == CELL_RNN) {
    for (let u = 0; u < H; u += 4) v128.store(at(h, u), tanh4(v128.load(at(a, u))));
    return;
  }
  if (cell == CELL_GRU) {
    copy(ah, bhh, GH);
    if (quantized && whh == whh0) {
      codeActivations(h, H, codes);
      matvecQ8(codes, H, whhQ, whhScale, whhColSum, GH, ah);
    } else matvecAcc(h, H, whh, GH, ah);
    for (let u = 0; u < H; u += 4) {
      const r = sigmoid4(f32x4.add(v128.load(at(a, u)), v128.load(at(ah, u))));
      const z = sigmoid4(f32x4.add(v128.load(at(a, H + u)), v128.load(at(ah, H + u))));
      const n = tanh4(f32x4.add(v128.load(at(a, 2 * H + u)), f32x4.mul(r, v128.load(at(ah, 2 * H + u)))));
      const hp = v128.load(at(h, u));
      v128.store(at(h, u), f32x4.add(n, f32x4.mul(z, f32x4.sub(hp, n))));
    }
    return;
  }
  for (let u = 0; u < H; u += 4) {
    const i = sigmoid4(v128.load(at(a, u)));
    const f = sigmoid4(v128.load(at(a, H + u)));
    const g = tanh4(v128.load(at(a, 2 * H + u)));
    const o = sigmoid4(v128.load(at(a, 3 * H + u)));
    const cn = f32x4.add(f32x4.mul(f, v128.load(at(c, u))), f32x4.mul(i, g));
    v128.store(at(c, u), cn);
    v128.store(at(h, u), f32x4.mul(o, tanh4(cn)));
  }
}

/** Inverse-CDF draw from softmax(logits * scale) with uniform u: the level's value (chunk.onnx's sampler). */
function sampleLevel(scale: f32, u: f32): f32 {
  let max: f32 = -Infinity;
  for (let i = 0; i < levels; i++) max = Mathf.max(max, load<f32>(at(logits, i)) * scale);
  const sv = f32x4.splat(scale);
  const mv = f32x4.splat(max);
  let sum: f32 = 0;
  for (let i = 0; i < levels; i += 4) {
    const e = exp4(f32x4.sub(f32x4.mul(v128.load(at(logits, i)), sv), mv));
    v128.store(at(logits, i), e);
    sum += f32x4.extract_lane(e, 0) + f32x4.extract_lane(e, 1) + f32x4.extract_lane(e, 2) + f32x4.extract_lane(e, 3);
  }
  const inv: f32 = 1 / sum;
  let cdf: f32 = 0;
  let level = 0;
  for (let i = 0; i < levels; i++) {
    cdf += load<f32>(at(logits, i)) * inv;
    if (cdf < u) level = i + 1;
  }
  if (level > levels - 1) level = levels - 1;
  return load<f32>(at(table, level));
}

/** The expected value of softmax(logits) over the level table (temperature 0). */
function meanLevel(): f32 {
  let max: f32 = -Infinity;
  for (let i = 0; i < levels; i++) max = Mathf.max(max, load<f32>(at(logits, i)));
  let sum: f32 = 0;
  let weighted: f32 = 0;
  for (let i = 0; i < levels; i++) {
    const e = Mathf.exp(load<f32>(at(logits, i)) - max);
    sum += e;
    weighted += e * load<f32>(at(table, i));
  }
  return weighted / sum;
}

/**
 * Generate `n` samples for `streams` streams.
 * hist [B, LH + nMax]: each stream's history in its first LH floats; samples are appended after it and
 * the last LH are moved back to the front at the end. state [layers, B, H] (h), cells likewise (LSTM).
 * features [n, B, F]; draws [n, B] (mulaw: uniforms; mse: Gaussian noise in audio units already scaled);
 * truth [n, B]; lpc [n, B, order] (oldest sample first); lags [n, B]; sharp [n, B]; raw out [n, B].
 * mode: 0 sample, 1 expected value / plain mean; inverseTemperature scales the logits when sampling.
 */
export function run(
  n: i32, streams: i32, nMax: i32, hist: usize, state: usize, cells: usize, features: usize, draws: usize,
  truth: usize, teacherForced: bool, lpc: usize, lags: usize, sharp: usize, mode: i32, inverseTemperature: f32, raw: usize,
): void {
  const span = LH + nMax;
  const BH = streams * H;
  for (let t = 0; t < n; t++) {
    for (let b = 0; b < streams; b++) {
      const row = t * streams + b;
      const hs = at(hist, b * span + t);
      // Layer 0: conditioning, window, signal inputs.
      project(at(features, row * F), b, cp);
      copy(ax, cp, GH);
      matvecAcc(at(hs, LH - K), K, w0, GH, ax);
      let next = K;
      let prediction: f32 = 0;
      if (order > 0) {
        const coefficients = at(lpc, row * order);
        const recent = at(hs, LH - order);
        for (let i = 0; i < order; i++) prediction += load<f32>(at(recent, i)) * load<f32>(at(coefficients, i));
        axpyRow(prediction, w0, next, GH, ax);
        next++;
      }
      if (taps > 0) {
        const lag = <i32>load<f32>(at(lags, row));
        for (let j = 0; j < taps; j++) {
          axpyRow(load<f32>(at(hs, LH - lag + j - 1)), w0, next, GH, ax);
          next++;
        }
      }
      const h0 = at(state, b * H);
      const c0 = at(cells, b * H);
      if (cell != CELL_GRU) matvecAcc(h0, H, at(w0, next * GH), GH, ax);
      cellStep(ax, h0, c0, whh0, bhh0);
      let top = h0;
      if (layers > 1) {
        const h1 = at(state, BH + b * H);
        copy(ax, b1, GH);
        matvecAcc(h0, H, w1, GH, ax);
        if (cell != CELL_GRU) matvecAcc(h1, H, whh1, GH, ax);
        cellStep(ax, h1, at(cells, BH + b * H), whh1, bhh1);
        top = h1;
      }
      // Head, sampler, guard.
      let value: f32;
      if (mulaw) {
        copy(logits, headB, levels);
        if (quantized) {
          codeActivations(top, H, codes);
          matvecQ8(codes, H, headQ, headScale, headColSum, levels, logits);
        } else matvecAcc(top, H, headW, levels, logits);
        value = mode == 0 ? sampleLevel(inverseTemperature * (taps > 0 || order > 0 ? load<f32>(at(sharp, row)) : 1), load<f32>(at(draws, row))) : meanLevel();
      } else {
        let s: f32 = load<f32>(headB);
        for (let u = 0; u < H; u++) s += load<f32>(at(top, u)) * load<f32>(at(headW, u));
        if (mode == 0) s += load<f32>(at(draws, row));
        value = Mathf.min(SAMPLE_MAX, Mathf.max(SAMPLE_MIN, s));
      }
      const out = value + prediction;
      store<f32>(at(raw, row), out);
      // What is fed back: the truth (teacher forcing), else the sample (clipped for excitation models).
      let fed = order > 0 ? Mathf.min(SAMPLE_MAX, Mathf.max(SAMPLE_MIN, out)) : out;
      if (teacherForced) fed = load<f32>(at(truth, row));
      if (!isFinite(fed)) fed = 0;
      store<f32>(at(hs, LH), fed);
    }
  }
  // The last LH samples become the history of the next call.
  for (let b = 0; b < streams; b++) memory.copy(at(hist, b * span), at(hist, b * span + n), (<usize>LH) << 2);
}
