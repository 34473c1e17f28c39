/**
 * Radix-2 FFT of real frames, for the spectral metrics and figures. Tables are built once per size and
 * the instance reuses its buffers, so a loop over frames allocates nothing.
 */
export class RealFft {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly bitReversed: Uint32Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two >= 2, got ${size}`);
    }
    this.size = size;
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size);
    }
    const bits = Math.log2(size);
    this.bitReversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = r;
    }
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
  }

  /**
   * Power spectrum |X[k]|^2 for k = 0..size/2 of `frame` (zero-padded to `size`), written into `out`
   * (length size/2 + 1).
   */
  powerSpectrum(frame: ArrayLike<number>, out: Float64Array): Float64Array {
    const n = this.size;
    const { re, im } = this;
    for (let i = 0; i < n; i++) {
      const j = this.bitReversed[i] as number;
      re[j] = i < frame.length ? (frame[i] as number) : 0;
      im[j] = 0;
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >>> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step] as number;
          const wi = this.sin[k * step] as number;
          const a = start + k;
          const b = a + half;
          const xr = (re[b] as number) * wr - (im[b] as number) * wi;
          const xi = (re[b] as number) * wi + (im[b] as number) * wr;
          re[b] = (re[a] as number) - xr;
          im[b] = (im[a] as number) - xi;
          re[a] = (re[a] as number) + xr;
          im[a] = (im[a] as number) + xi;
        }
      }
    }
    for (let k = 0; k <= n / 2; k++) out[k] = (re[k] as number) ** 2 + (im[k] as number) ** 2;
    return out;
  }
}
