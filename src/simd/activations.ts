// Vectorized tanh, sigmoid and exp. tanh is the rational approximation Eigen and MLAS use (a few ulp in
// float32), so trained weights behave the same in onnxruntime; exp is range reduction plus a degree-6
// polynomial (relative error about 2e-7).

const T_CLAMP: f32 = 7.90531110763549805;

@inline export function tanh4(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(T_CLAMP)), f32x4.splat(-T_CLAMP));
  const x2 = f32x4.mul(xc, xc);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-3));
  p = f32x4.mul(p, xc);
  let q = f32x4.splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.26843463243900e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-3));
  return f32x4.div(p, q);
}

@inline export function sigmoid4(x: v128): v128 {
  const half = f32x4.splat(0.5);
  return f32x4.add(half, f32x4.mul(half, tanh4(f32x4.mul(x, half))));
}

@inline export function exp4(x: v128): v128 {
  // exp(x) = 2^n * exp(r), r = x - n ln2, |r| <= ln2/2
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(88.0)), f32x4.splat(-87.3365478515625));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

@inline function lanes(n: i32): i32 {
  return n & ~3;
}

export function tanhArray(src: usize, dst: usize, n: i32): void {
  const m = lanes(n);
  for (let i = 0; i < m; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, tanh4(v128.load(src + o)));
  }
  for (let i = m; i < n; i++) {
    const o = (<usize>i) << 2;
    v128.store32_lane(dst + o, tanh4(v128.load32_splat(src + o)), 0);
  }
}

export function sigmoidArray(src: usize, dst: usize, n: i32): void {
  const m = lanes(n);
  for (let i = 0; i < m; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, sigmoid4(v128.load(src + o)));
  }
  for (let i = m; i < n; i++) {
    const o = (<usize>i) << 2;
    v128.store32_lane(dst + o, sigmoid4(v128.load32_splat(src + o)), 0);
  }
}

export function expArray(src: usize, dst: usize, n: i32): void {
  const m = lanes(n);
  for (let i = 0; i < m; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, exp4(v128.load(src + o)));
  }
  for (let i = m; i < n; i++) {
    const o = (<usize>i) << 2;
    v128.store32_lane(dst + o, exp4(v128.load32_splat(src + o)), 0);
  }
}
