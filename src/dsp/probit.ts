/**
 * Inverse of the standard normal CDF (Acklam's rational approximation; relative error below 5e-6):
 * turns one uniform random number into one Gaussian one. The ONNX graphs compute the same formula.
 */
export const PROBIT_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
export const PROBIT_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
export const PROBIT_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671348619542, 4.374664141464968, 2.938163982698783];
export const PROBIT_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
export const PROBIT_LOW = 0.02425;
/** Uniforms are clamped to [PROBIT_EPS, 1 - PROBIT_EPS] so that 0 and 1 map to finite values. */
export const PROBIT_EPS = 1e-7;

const poly = (coefficients: readonly number[], x: number): number => coefficients.reduce((acc, c) => acc * x + c, 0);

export function probit(uniform: number): number {
  const p = Math.min(1 - PROBIT_EPS, Math.max(PROBIT_EPS, uniform));
  const q = p - 0.5;
  if (Math.abs(q) <= 0.5 - PROBIT_LOW) {
    const r = q * q;
    return (poly(PROBIT_A, r) * q) / (poly(PROBIT_B, r) * r + 1);
  }
  const tail = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
  const x = poly(PROBIT_C, tail) / (poly(PROBIT_D, tail) * tail + 1);
  return p < 0.5 ? x : -x;
}
