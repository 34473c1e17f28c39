/**
 * Mu-law companding with 256 levels (mu = 255), as WaveNet, WaveRNN and LPCNet use for their softmax heads.
 * Level i decodes to the centre of its companded bin; encoding rounds to the nearest level.
 */
export const MULAW_LEVELS = 256;
export const MULAW_MU = 255;

/** Companded value in [-1, 1] for a sample in [-1, 1]. */
export function mulawCompress(sample: number, mu = MULAW_MU): number {
  const x = sample > 1 ? 1 : sample < -1 ? -1 : sample;
  return Math.sign(x) * (Math.log1p(mu * Math.abs(x)) / Math.log1p(mu));
}

export function mulawExpand(companded: number, mu = MULAW_MU): number {
  return (Math.sign(companded) * Math.expm1(Math.abs(companded) * Math.log1p(mu))) / mu;
}

/** Level index in [0, levels) of a sample in [-1, 1]. */
export function mulawEncode(sample: number, levels = MULAW_LEVELS): number {
  const y = mulawCompress(sample, levels - 1);
  const index = Math.round(((y + 1) / 2) * (levels - 1));
  return index < 0 ? 0 : index > levels - 1 ? levels - 1 : index;
}

export function mulawDecode(index: number, levels = MULAW_LEVELS): number {
  return mulawExpand((2 * index) / (levels - 1) - 1, levels - 1);
}

/** The decoded value of every level: the table the sampling head and the ONNX graphs use. */
export function mulawTable(levels = MULAW_LEVELS): Float32Array {
  const table = new Float32Array(levels);
  for (let i = 0; i < levels; i++) table[i] = mulawDecode(i, levels);
  return table;
}

export function mulawEncodeArray(samples: Float32Array, levels = MULAW_LEVELS): Int32Array {
  const out = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = mulawEncode(samples[i] as number, levels);
  return out;
}
