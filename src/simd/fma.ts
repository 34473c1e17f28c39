// acc + a * b on four lanes. With relaxed SIMD (the kernels are built twice, and the relaxed build is used
// where V8 accepts it) this is one fused multiply-add.
@inline export function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
