// Output heads with their loss and gradients, over R = T*B rows. Results go to a small f64 array:
// [0] sum of masked losses, [1] sum of the mask, [2] (mse) sum of masked squared errors.
import { gemm, gemmAtB, addRowBias, addColumnSums } from './gemm';
import { exp4 } from '../../../simd/activations';

@inline function at(p: usize, index: i32): usize {
  return p + ((<usize>index) << 2);
}

/** Linear regression head: y = h w + b, loss = mean squared error over unmasked rows. */
export function mseHead(
  rows: i32, hidden: i32, h: usize, w: usize, bias: f32, target: usize, mask: usize,
  y: usize, dh: usize, dw: usize, results: usize,
): void {
  let count: f64 = 0;
  for (let r = 0; r < rows; r++) count += <f64>load<f32>(at(mask, r));
  let sse: f64 = 0;
  let db: f64 = 0;
  const scale: f32 = count > 0 ? <f32>(2.0 / count) : 0;
  for (let i = 0; i < hidden; i++) store<f32>(at(dw, i), 0);
  for (let r = 0; r < rows; r++) {
    const hr = at(h, r * hidden);
    let acc = f32x4.splat(0);
    let u = 0;
    for (; u + 4 <= hidden; u += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(at(hr, u)), v128.load(at(w, u))));
    let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; u < hidden; u++) s += load<f32>(at(hr, u)) * load<f32>(at(w, u));
    s += bias;
    store<f32>(at(y, r), s);
    const m = load<f32>(at(mask, r));
    const e = s - load<f32>(at(target, r));
    sse += <f64>(m * e * e);
    const g = scale * m * e;
    db += <f64>g;
    const dhr = at(dh, r * hidden);
    const gv = f32x4.splat(g);
    u = 0;
    for (; u + 4 <= hidden; u += 4) {
      v128.store(at(dhr, u), f32x4.mul(gv, v128.load(at(w, u))));
      v128.store(at(dw, u), f32x4.add(v128.load(at(dw, u)), f32x4.mul(gv, v128.load(at(hr, u)))));
    }
    for (; u < hidden; u++) {
      store<f32>(at(dhr, u), g * load<f32>(at(w, u)));
      store<f32>(at(dw, u), load<f32>(at(dw, u)) + g * load<f32>(at(hr, u)));
    }
  }
  store<f64>(results, count > 0 ? sse / count : 0);
  store<f64>(results + 8, count);
  store<f64>(results + 16, sse);
  store<f64>(results + 24, db);
}

/**
 * Softmax head over `classes` levels with cross-entropy against integer targets. logits [R,classes] is
 * scratch and ends holding the logit gradients. wT [classes,hidden] is w transposed (for dh).
 */
export function softmaxHead(
  rows: i32, hidden: i32, classes: i32, h: usize, w: usize, bias: usize, wT: usize, target: usize, mask: usize,
  logits: usize, dh: usize, dw: usize, db: usize, results: usize,
): void {
  gemm(h, w, logits, rows, hidden, classes, false);
  addRowBias(logits, bias, rows, classes);
  let count: f64 = 0;
  for (let r = 0; r < rows; r++) count += <f64>load<f32>(at(mask, r));
  const inv: f32 = count > 0 ? <f32>(1.0 / count) : 0;
  let loss: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const lr = at(logits, r * classes);
    let mx = f32x4.splat(-3.4e38);
    for (let c = 0; c < classes; c += 4) mx = f32x4.max(mx, v128.load(at(lr, c)));
    const m0 = Mathf.max(Mathf.max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)), Mathf.max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)));
    const mv = f32x4.splat(m0);
    let sum = f32x4.splat(0);
    for (let c = 0; c < classes; c += 4) {
      const e = exp4(f32x4.sub(v128.load(at(lr, c)), mv));
      v128.store(at(lr, c), e);
      sum = f32x4.add(sum, e);
    }
    const total: f32 = f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3);
    const m = load<f32>(at(mask, r));
    const k = load<i32>(at(target, r));
    const pk = load<f32>(at(lr, k)) / total;
    loss += <f64>m * -Math.log(<f64>Mathf.max(pk, 1e-30));
    const scale = f32x4.splat((m * inv) / total);
    for (let c = 0; c < classes; c += 4) v128.store(at(lr, c), f32x4.mul(v128.load(at(lr, c)), scale));
    store<f32>(at(lr, k), load<f32>(at(lr, k)) - m * inv);
  }
  gemmAtB(h, logits, dw, rows, hidden, classes, false);
  for (let c = 0; c < classes; c++) store<f32>(at(db, c), 0);
  addColumnSums(logits, db, rows, classes);
  gemm(logits, wT, dh, rows, classes, hidden, false);
  store<f64>(results, count > 0 ? loss / count : 0);
  store<f64>(results + 8, count);
  store<f64>(results + 16, loss);
}

/** Forward only: logits = h w + b (for predictions and parallel scheduled sampling). */
export function softmaxLogits(rows: i32, hidden: i32, classes: i32, h: usize, w: usize, bias: usize, logits: usize): void {
  gemm(h, w, logits, rows, hidden, classes, false);
  addRowBias(logits, bias, rows, classes);
}
