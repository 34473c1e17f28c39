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
}

/** Parameter names and shapes. conv.w is [width, hidden, channels] (tfjs conv1d's layout). */
export function frameParameterShapes(spec: FrameNetworkSpec): Array<{ name: string; shape: number[] }> {
  return [
    { name: 'd1.w', shape: [spec.inputWidth, spec.hidden] },
    { name: 'd1.b', shape: [spec.hidden] },
    { name: 'd2.w', shape: [spec.hidden, spec.hidden] },
    { name: 'd2.b', shape: [spec.hidden] },
    { name: 'conv.w', shape: [spec.convWidth, spec.hidden, spec.convChannels] },
    { name: 'conv.b', shape: [spec.convChannels] },
    { name: 'out.w', shape: [spec.convChannels, spec.outputWidth] },
    { name: 'out.b', shape: [spec.outputWidth] },
  ];
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

/** The network in tfjs ops on a sequence [T, inputWidth] -> [T, outputWidth] (z-scored). */
export function frameForward(tf: Tf, w: ReadonlyMap<string, Variable | import('@tensorflow/tfjs').Tensor>, inputs: Tensor2D, keep = 1): Tensor2D {
  const get = (name: string): import('@tensorflow/tfjs').Tensor => w.get(name) as import('@tensorflow/tfjs').Tensor;
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
