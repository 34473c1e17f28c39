import { frameMemberPrefixes } from '../../core/manifest.js';
import type { Rng } from '../../core/rng.js';
import type { Tf } from '../tf-backend.js';

type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
type Variable = import('@tensorflow/tfjs').Variable;

/**
 * The frame network (acoustic model): per 10 ms frame, two dense tanh layers over the frame's linguistic
 * inputs, a 1-D convolution over time (tanh; it smooths the trajectories and sees `convWidth` frames), and a
 * linear output of the z-scored acoustic features. The convolution is the only look-ahead beyond the
 * inputs' own (the rest of the phrase), so frames can be computed block by block.
 */
export interface FrameNetworkSpec {
  inputWidth: number;
  hidden: number;
  convChannels: number;
  /** Odd: the convolution sees (convWidth - 1) / 2 frames on each side. */
  convWidth: number;
  outputWidth: number;
  /** An ensemble: this many networks of the shape above whose outputs are averaged (absent: 1). */
  members?: number;
}

/** Parameter names and shapes (each member's, prefixed). conv.w is [width, hidden, channels] (tfjs conv1d's layout). */
export function frameParameterShapes(spec: FrameNetworkSpec): Array<{ name: string; shape: number[] }> {
  return frameMemberPrefixes(spec).flatMap((p) => [
    { name: `${p}d1.w`, shape: [spec.inputWidth, spec.hidden] },
    { name: `${p}d1.b`, shape: [spec.hidden] },
    { name: `${p}d2.w`, shape: [spec.hidden, spec.hidden] },
    { name: `${p}d2.b`, shape: [spec.hidden] },
    { name: `${p}conv.w`, shape: [spec.convWidth, spec.hidden, spec.convChannels] },
    { name: `${p}conv.b`, shape: [spec.convChannels] },
    { name: `${p}out.w`, shape: [spec.convChannels, spec.outputWidth] },
    { name: `${p}out.b`, shape: [spec.outputWidth] },
  ]);
}

/** Glorot-uniform weights, zero biases; the same seed gives the same weights. */
export function initFrameWeights(spec: FrameNetworkSpec, rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const { name, shape } of frameParameterShapes(spec)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (name.endsWith('.w')) {
      const fanOut = shape[shape.length - 1] as number;
      const fanIn = size / fanOut;
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (2 * rng.uniform() - 1) * bound;
    }
    out.set(name, values);
  }
  return out;
}

/** The network in tfjs ops on a sequence [T, inputWidth] -> [T, outputWidth] (z-scored); an ensemble gives its members' mean. */
export function frameForward(tf: Tf, w: ReadonlyMap<string, Variable | import('@tensorflow/tfjs').Tensor>, inputs: Tensor2D, keep = 1): Tensor2D {
  const prefixes = membersOf(w);
  if (prefixes.length > 1) return tf.div(tf.addN(prefixes.map((p) => memberForward(tf, w, p, inputs, keep))), prefixes.length) as Tensor2D;
  return memberForward(tf, w, prefixes[0] ?? '', inputs, keep);
}

/** The member prefixes present in a weight map ('m1.', ... or the single network's ''). */
function membersOf(w: ReadonlyMap<string, unknown>): string[] {
  const prefixes = [...w.keys()].filter((n) => /^m\d+\.d1\.w$/.test(n)).map((n) => n.slice(0, n.indexOf('.') + 1));
  return prefixes.length > 0 ? prefixes.sort((a, b) => Number(a.slice(1, -1)) - Number(b.slice(1, -1))) : [''];
}

function memberForward(tf: Tf, w: ReadonlyMap<string, Variable | import('@tensorflow/tfjs').Tensor>, prefix: string, inputs: Tensor2D, keep: number): Tensor2D {
  const get = (name: string): import('@tensorflow/tfjs').Tensor => {
    const v = w.get(prefix + name);
    if (!v) throw new RangeError(`the frame network has no weight ${prefix + name}`);
    return v;
  };
  let h = tf.tanh(tf.add(tf.matMul(inputs, get('d1.w') as Tensor2D), get('d1.b'))) as Tensor2D;
  if (keep < 1) h = tf.dropout(h, 1 - keep) as Tensor2D;
  h = tf.tanh(tf.add(tf.matMul(h, get('d2.w') as Tensor2D), get('d2.b'))) as Tensor2D;
  if (keep < 1) h = tf.dropout(h, 1 - keep) as Tensor2D;
  // The 'same' convolution over time as one product: the K shifted copies of h side by side times
  // conv.w seen as [K*H, C] (tfjs-wasm has no gradient kernel for conv1d; this is the same computation).
  const [width, hidden, channels] = get('conv.w').shape as [number, number, number];
  const context = (width - 1) / 2;
  const T = h.shape[0];
  const padded = tf.pad(h, [[context, context], [0, 0]]);
  const shifted = Array.from({ length: width }, (_, k) => tf.slice(padded, [k, 0], [T, hidden]));
  const unfolded = width === 1 ? (shifted[0] as Tensor2D) : (tf.concat(shifted, 1) as Tensor2D);
  const conv = tf.matMul(unfolded, tf.reshape(get('conv.w'), [width * hidden, channels]) as Tensor2D);
  const c = tf.tanh(tf.add(conv, get('conv.b'))) as Tensor2D;
  return tf.add(tf.matMul(c, get('out.w') as Tensor2D), get('out.b')) as Tensor2D;
}
