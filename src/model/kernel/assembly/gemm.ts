// Dense matrix products on f32 with 128-bit SIMD. All pointers are byte offsets into linear memory; all
// matrices are row-major. One strided micro-kernel (4 rows x 8 columns of C in registers) serves
// C = A B and C = A^T B, the two shapes a recurrent layer's forward and backward passes need.

import { fma } from '../../../simd/fma';

// Blocking sizes: a packed B block (KC x NC floats, 128 kB) stays in L2 while every 4-row strip of A
// sweeps it; a packed A strip (KC x 4) stays in L1.
const KC: i32 = 128;
const NC: i32 = 256;
let packA: usize = 0;
let packB: usize = 0;
let edge: usize = 0;

/** Scratch for packing: 3 regions the caller reserves (see scratchFloats) starting at `base`. */
export function setScratch(base: usize): void {
  packA = base;
  packB = base + (<usize>(KC * 4) << 2);
  edge = packB + (<usize>(KC * (NC + 8)) << 2);
}

/** Floats of scratch the blocked products need. */
export function scratchFloats(): i32 {
  return KC * 4 + KC * (NC + 8) + 32;
}

// 4 x 8 block of C from packed A (kc x 4) and one packed B panel (kc x 8): results to `out` (ld = ldo).
@inline function micro(ap: usize, bp: usize, kc: i32, out: usize, ldo: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (accumulate) {
    c00 = v128.load(out); c01 = v128.load(out, 16);
    c10 = v128.load(out + ldo); c11 = v128.load(out + ldo, 16);
    c20 = v128.load(out + 2 * ldo); c21 = v128.load(out + 2 * ldo, 16);
    c30 = v128.load(out + 3 * ldo); c31 = v128.load(out + 3 * ldo, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const x0 = v128.load32_splat(ap);
    const x1 = v128.load32_splat(ap, 4);
    const x2 = v128.load32_splat(ap, 8);
    const x3 = v128.load32_splat(ap, 12);
    c00 = fma(c00, x0, b0); c01 = fma(c01, x0, b1);
    c10 = fma(c10, x1, b0); c11 = fma(c11, x1, b1);
    c20 = fma(c20, x2, b0); c21 = fma(c21, x2, b1);
    c30 = fma(c30, x3, b0); c31 = fma(c31, x3, b1);
    bp += 32;
    ap += 16;
  }
  v128.store(out, c00); v128.store(out, c01, 16);
  v128.store(out + ldo, c10); v128.store(out + ldo, c11, 16);
  v128.store(out + 2 * ldo, c20); v128.store(out + 2 * ldo, c21, 16);
  v128.store(out + 3 * ldo, c30); v128.store(out + 3 * ldo, c31, 16);
}

function stridedGemm(a: usize, rsA: usize, csA: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: bool): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) fill(c, m * n, 0);
    return;
  }
  const ldc = (<usize>n) << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const panels = (nc + 7) >> 3;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const acc = accumulate || pc > 0;
      // Pack B[pc.., jc..] as panels of 8 columns, zero-padded on the right.
      for (let q = 0; q < panels; q++) {
        const j0 = jc + q * 8;
        const w = min(8, n - j0);
        let dst = packB + ((<usize>(q * kc * 8)) << 2);
        for (let p = 0; p < kc; p++) {
          const src = b + ((<usize>(pc + p) * <usize>n + <usize>j0) << 2);
          if (w == 8) {
            v128.store(dst, v128.load(src));
            v128.store(dst, v128.load(src, 16), 16);
          } else {
            for (let x = 0; x < 8; x++) store<f32>(dst + ((<usize>x) << 2), x < w ? load<f32>(src + ((<usize>x) << 2)) : 0);
          }
          dst += 32;
        }
      }
      for (let i = 0; i < m; i += 4) {
        const h = min(4, m - i);
        // Pack A rows i..i+3 over pc..pc+kc as [p][4], zero rows past the end.
        for (let p = 0; p < kc; p++) {
          const dst = packA + ((<usize>(p * 4)) << 2);
          for (let r = 0; r < 4; r++) {
            const v: f32 = r < h ? load<f32>(a + (((<usize>(i + r)) * rsA + (<usize>(pc + p)) * csA) << 2)) : 0;
            store<f32>(dst + ((<usize>r) << 2), v);
          }
        }
        for (let q = 0; q < panels; q++) {
          const j0 = jc + q * 8;
          const w = min(8, n - j0);
          const bp = packB + ((<usize>(q * kc * 8)) << 2);
          const cp = c + (<usize>i) * ldc + ((<usize>j0) << 2);
          if (h == 4 && w == 8) {
            micro(packA, bp, kc, cp, ldc, acc);
          } else {
            // Edge block: compute into a 4 x 8 scratch, then copy the valid part.
            for (let r = 0; r < 4; r++) {
              for (let x = 0; x < 8; x++) {
                store<f32>(edge + ((<usize>(r * 8 + x)) << 2), acc && r < h && x < w ? load<f32>(cp + (<usize>r) * ldc + ((<usize>x) << 2)) : 0);
              }
            }
            micro(packA, bp, kc, edge, 32, true);
            for (let r = 0; r < h; r++) {
              for (let x = 0; x < w; x++) store<f32>(cp + (<usize>r) * ldc + ((<usize>x) << 2), load<f32>(edge + ((<usize>(r * 8 + x)) << 2)));
            }
          }
        }
      }
    }
  }
}

/** C[m x n] (+)= A[m x k] B[k x n]. */
export function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: bool): void {
  stridedGemm(a, <usize>k, 1, b, c, m, k, n, accumulate);
}

/** C[k x n] (+)= A[m x k]^T B[m x n]: weight gradients summed over all rows of a window in one product. */
export function gemmAtB(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: bool): void {
  stridedGemm(a, 1, <usize>k, b, c, k, m, n, accumulate);
}

/** out[cols x rows] = in[rows x cols]^T. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + ((<usize>(c * rows + r)) << 2), load<f32>(src + ((<usize>(r * cols + c)) << 2)));
    }
  }
}

/** y[n] += x[n] (both contiguous). */
export function addInPlace(y: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

/** out[n] += column sums of a[m x n]. */
export function addColumnSums(a: usize, out: usize, m: i32, n: i32): void {
  for (let r = 0; r < m; r++) addInPlace(out, a + ((<usize>(r * n)) << 2), n);
}

/** Each of the m rows of a[m x n] += bias[n]. */
export function addRowBias(a: usize, bias: usize, m: i32, n: i32): void {
  for (let r = 0; r < m; r++) addInPlace(a + ((<usize>(r * n)) << 2), bias, n);
}

/** Fill n floats with a value. */
export function fill(p: usize, n: i32, value: f32): void {
  for (let i = 0; i < n; i++) store<f32>(p + ((<usize>i) << 2), value);
}
