/** Periodic Hann window of `lengthSamples` (the DFT-even form that STFT analysis uses). */
export function hannPeriodic(lengthSamples: number): Float64Array {
  const w = new Float64Array(lengthSamples);
  for (let i = 0; i < lengthSamples; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / lengthSamples);
  return w;
}

/** Number of whole frames of `frameSamples` at `hopSamples` that fit in `lengthSamples` (no padding). */
export function frameCount(lengthSamples: number, frameSamples: number, hopSamples: number): number {
  return lengthSamples < frameSamples ? 0 : Math.floor((lengthSamples - frameSamples) / hopSamples) + 1;
}

/** Mean square of `signal[start, start + length)`. */
export function meanSquare(signal: Float32Array, start: number, length: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) sum += (signal[i] as number) ** 2;
  return length > 0 ? sum / length : 0;
}
