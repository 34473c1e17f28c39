// Recurrent cells over a window of T steps: forward keeps what backward needs, backward runs truncated
// BPTT inside the window. Layout is time-major: step t's B rows are contiguous. Gate order: GRU [r, z, n]
// (n uses r * (h W_hn + b_hn), as PyTorch and ONNX with linear_before_reset), LSTM [i, f, g, o].
import { gemm, addRowBias } from './gemm';
import { tanh4, sigmoid4 } from '../../../simd/activations';

export const CELL_RNN: i32 = 0;
export const CELL_GRU: i32 = 1;
export const CELL_LSTM: i32 = 2;

export function gateCount(cell: i32): i32 {
  return cell == CELL_RNN ? 1 : cell == CELL_GRU ? 3 : 4;
}

@inline function at(p: usize, index: i32): usize {
  return p + ((<usize>index) << 2);
}

/**
 * ax [T,B,G*H] input pre-activations (bias included); whh [H,G*H]; bhh [G*H] (GRU); states [T+1,B,H]
 * with states[0] = initial h; cells [T+1,B,H] (LSTM, cells[0] = initial c); gates [T,B,G*H] saved gate
 * values; ahn [T,B,H] saved h W_hn + b_hn (GRU); ah [B,G*H] scratch.
 */
export function layerForward(
  cell: i32, steps: i32, batch: i32, hidden: i32,
  ax: usize, whh: usize, bhh: usize, states: usize, cells: usize, gates: usize, ahn: usize, ah: usize,
): void {
  const G = gateCount(cell);
  const GH = G * hidden;
  const BH = batch * hidden;
  for (let t = 0; t < steps; t++) {
    const hprev = at(states, t * BH);
    const hout = at(states, (t + 1) * BH);
    gemm(hprev, whh, ah, batch, hidden, GH, false);
    if (cell == CELL_GRU) addRowBias(ah, bhh, batch, GH);
    for (let b = 0; b < batch; b++) {
      const axr = at(ax, (t * batch + b) * GH);
      const ahr = at(ah, b * GH);
      const gr = at(gates, (t * batch + b) * GH);
      const hp = at(hprev, b * hidden);
      const ho = at(hout, b * hidden);
      if (cell == CELL_RNN) {
        for (let u = 0; u < hidden; u += 4) {
          const o = (<usize>u) << 2;
          v128.store(ho + o, tanh4(f32x4.add(v128.load(axr + o), v128.load(ahr + o))));
        }
      } else if (cell == CELL_GRU) {
        const hb = (<usize>hidden) << 2;
        const an = at(ahn, (t * batch + b) * hidden);
        for (let u = 0; u < hidden; u += 4) {
          const o = (<usize>u) << 2;
          const r = sigmoid4(f32x4.add(v128.load(axr + o), v128.load(ahr + o)));
          const z = sigmoid4(f32x4.add(v128.load(axr + hb + o), v128.load(ahr + hb + o)));
          const hn = v128.load(ahr + 2 * hb + o);
          const n = tanh4(f32x4.add(v128.load(axr + 2 * hb + o), f32x4.mul(r, hn)));
          const h = v128.load(hp + o);
          v128.store(gr + o, r);
          v128.store(gr + hb + o, z);
          v128.store(gr + 2 * hb + o, n);
          v128.store(an + o, hn);
          v128.store(ho + o, f32x4.add(n, f32x4.mul(z, f32x4.sub(h, n))));
        }
      } else {
        const hb = (<usize>hidden) << 2;
        const cp = at(cells, t * BH + b * hidden);
        const co = at(cells, (t + 1) * BH + b * hidden);
        for (let u = 0; u < hidden; u += 4) {
          const o = (<usize>u) << 2;
          const i = sigmoid4(f32x4.add(v128.load(axr + o), v128.load(ahr + o)));
          const f = sigmoid4(f32x4.add(v128.load(axr + hb + o), v128.load(ahr + hb + o)));
          const g = tanh4(f32x4.add(v128.load(axr + 2 * hb + o), v128.load(ahr + 2 * hb + o)));
          const og = sigmoid4(f32x4.add(v128.load(axr + 3 * hb + o), v128.load(ahr + 3 * hb + o)));
          const c = f32x4.add(f32x4.mul(f, v128.load(cp + o)), f32x4.mul(i, g));
          v128.store(gr + o, i);
          v128.store(gr + hb + o, f);
          v128.store(gr + 2 * hb + o, g);
          v128.store(gr + 3 * hb + o, og);
          v128.store(co + o, c);
          v128.store(ho + o, f32x4.mul(og, tanh4(c)));
        }
      }
    }
  }
}

/**
 * Truncated BPTT through one layer. dout [T,B,H]: gradient of the loss with respect to each step's output
 * h_t. Writes dax [T,B,G*H] (gradient of the input pre-activations) and, for GRU, dah [T,B,G*H] (of the
 * recurrent pre-activations; for rnn and lstm they equal dax, so pass dah = dax). whhT [G*H,H]; dh, dc,
 * dprev [B,H] scratch.
 */
export function layerBackward(
  cell: i32, steps: i32, batch: i32, hidden: i32,
  whhT: usize, states: usize, cells: usize, gates: usize, ahn: usize,
  dout: usize, dax: usize, dah: usize, dh: usize, dc: usize, dprev: usize,
): void {
  const G = gateCount(cell);
  const GH = G * hidden;
  const BH = batch * hidden;
  const one = f32x4.splat(1);
  for (let i = 0; i < BH; i += 4) {
    v128.store(at(dh, i), f32x4.splat(0));
    v128.store(at(dc, i), f32x4.splat(0));
    v128.store(at(dprev, i), f32x4.splat(0));
  }
  for (let t = steps - 1; t >= 0; t--) {
    for (let b = 0; b < batch; b++) {
      const row = t * batch + b;
      const dhr = at(dh, b * hidden);
      const dor = at(dout, row * hidden);
      const dpr = at(dprev, b * hidden);
      const dxr = at(dax, row * GH);
      const dar = at(dah, row * GH);
      const hb = (<usize>hidden) << 2;
      if (cell == CELL_RNN) {
        const hr = at(states, (t + 1) * BH + b * hidden);
        for (let u = 0; u < hidden; u += 4) {
          const o = (<usize>u) << 2;
          const g = f32x4.add(v128.load(dor + o), v128.load(dhr + o));
          const h = v128.load(hr + o);
          v128.store(dxr + o, f32x4.mul(g, f32x4.sub(one, f32x4.mul(h, h))));
        }
      } else if (cell == CELL_GRU) {
        const gr = at(gates, row * GH);
        const an = at(ahn, row * hidden);
        const hp = at(states, t * BH + b * hidden);
        for (let u = 0; u < hidden; u += 4) {
          const o = (<usize>u) << 2;
          const g = f32x4.add(v128.load(dor + o), v128.load(dhr + o));
          const r = v128.load(gr + o);
          const z = v128.load(gr + hb + o);
          const n = v128.load(gr + 2 * hb + o);
          const dn = f32x4.mul(g, f32x4.sub(one, z));
          const dz = f32x4.mul(g, f32x4.sub(v128.load(hp + o), n));
          v128.store(dpr + o, f32x4.mul(g, z));
          const dan = f32x4.mul(dn, f32x4.sub(one, f32x4.mul(n, n)));
          const dr = f32x4.mul(dan, v128.load(an + o));
          const darr = f32x4.mul(dr, f32x4.mul(r, f32x4.sub(one, r)));
          const dazz = f32x4.mul(dz, f32x4.mul(z, f32x4.sub(one, z)));
          v128.store(dxr + o, darr);
          v128.store(dxr + hb + o, dazz);
          v128.store(dxr + 2 * hb + o, dan);
          v128.store(dar + o, darr);
          v128.store(dar + hb + o, dazz);
          v128.store(dar + 2 * hb + o, f32x4.mul(dan, r));
        }
      } else {
        const gr = at(gates, row * GH);
        const dcr = at(dc, b * hidden);
        const cr = at(cells, (t + 1) * BH + b * hidden);
        const cpr = at(cells, t * BH + b * hidden);
        for (let u = 0; u < hidden; u += 4) {
          const o = (<usize>u) << 2;
          const g = f32x4.add(v128.load(dor + o), v128.load(dhr + o));
          const ig = v128.load(gr + o);
          const fg = v128.load(gr + hb + o);
          const gg = v128.load(gr + 2 * hb + o);
          const og = v128.load(gr + 3 * hb + o);
          const tc = tanh4(v128.load(cr + o));
          const dog = f32x4.mul(g, tc);
          const dcv = f32x4.add(v128.load(dcr + o), f32x4.mul(f32x4.mul(g, og), f32x4.sub(one, f32x4.mul(tc, tc))));
          const di = f32x4.mul(dcv, gg);
          const dgg = f32x4.mul(dcv, ig);
          const df = f32x4.mul(dcv, v128.load(cpr + o));
          v128.store(dcr + o, f32x4.mul(dcv, fg));
          v128.store(dxr + o, f32x4.mul(di, f32x4.mul(ig, f32x4.sub(one, ig))));
          v128.store(dxr + hb + o, f32x4.mul(df, f32x4.mul(fg, f32x4.sub(one, fg))));
          v128.store(dxr + 2 * hb + o, f32x4.mul(dgg, f32x4.sub(one, f32x4.mul(gg, gg))));
          v128.store(dxr + 3 * hb + o, f32x4.mul(dog, f32x4.mul(og, f32x4.sub(one, og))));
        }
      }
    }
    // dh for step t-1: through the recurrent weights, plus GRU's direct path z * dh.
    gemm(at(dah, t * batch * GH), whhT, dh, batch, GH, hidden, false);
    if (cell == CELL_GRU) {
      for (let i = 0; i < BH; i += 4) v128.store(at(dh, i), f32x4.add(v128.load(at(dh, i)), v128.load(at(dprev, i))));
    }
  }
}
