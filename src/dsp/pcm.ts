/** Conversions between integer PCM and float samples in [-1, 1) (int16 / 32768, as ../shared/METRICS.md says). */

export function int16ToFloat(input: Int16Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = (input[i] as number) / 32768;
  return out;
}

/** Float to int16 with rounding and saturation; NaN becomes 0. */
export function floatToInt16(input: Float32Array, out = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) {
    const v = input[i] as number;
    const scaled = Math.round(v * 32768);
    out[i] = Number.isNaN(scaled) ? 0 : scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
  }
  return out;
}

/** Float samples as little-endian signed 16-bit bytes. */
export function floatToS16leBytes(input: Float32Array): Uint8Array {
  const ints = floatToInt16(input);
  return new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength);
}

/** Float samples as little-endian 32-bit float bytes (a copy; NaN is written as 0). */
export function floatToF32leBytes(input: Float32Array): Uint8Array {
  const copy = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const v = input[i] as number;
    copy[i] = Number.isFinite(v) ? v : 0;
  }
  return new Uint8Array(copy.buffer);
}
