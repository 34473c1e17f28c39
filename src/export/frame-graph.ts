import { frameMemberPrefixes } from '../core/manifest.js';
import { FLOAT, GraphBuilder } from './onnx-graph-builder.js';

/** Graph input and output names of frame.onnx, shared with the engine. */
export const FRAME_IO = { input: 'inputs', output: 'frames' } as const;

export interface FrameGraphWeights {
  inputWidth: number;
  hidden: number;
  convChannels: number;
  convWidth: number;
  outputWidth: number;
  /** An ensemble of this many members, averaged (absent: 1). */
  members?: number;
  /** By parameter name (frame-model.ts, each member's under its prefix): d1.w [in, H], d1.b, d2.w [H, H], d2.b, conv.w [width, H, C], conv.b, out.w [C, O], out.b. */
  weights: ReadonlyMap<string, Float32Array>;
  /** The features' mean and standard deviation: the graph outputs features, not z-scores. */
  targetMean: Float32Array;
  targetStd: Float32Array;
}

/**
 * frame.onnx: frame inputs [T, inputWidth] to acoustic frame features [T, outputWidth] (two dense tanh
 * layers, a 'same'-padded convolution over time, a linear output with the z-score undone in its weights).
 * An ensemble's members are parallel branches whose output layers are summed, each scaled by 1 / members.
 * The caller feeds a block with (convWidth - 1) / 2 frames of context on each side and keeps the middle.
 */
export function buildFrameGraph(w: FrameGraphWeights): GraphBuilder {
  const g = new GraphBuilder('frame', 'f_');
  const { inputWidth: I, hidden: H, convChannels: C, convWidth: K, outputWidth: O } = w;
  const prefixes = frameMemberPrefixes(w);
  const n = prefixes.length;
  g.input(FRAME_IO.input, FLOAT, ['T', I]);
  // Undo the z-score and average in the output layers: y = sum_k (c_k W_k + b_k) * std / n + mean.
  const outB = new Float32Array(O);
  for (let o = 0; o < O; o++) outB[o] = w.targetMean[o] as number;
  const branches = prefixes.map((prefix, k) => {
    const get = (name: string): Float32Array => {
      const v = w.weights.get(prefix + name);
      if (!v) throw new RangeError(`the frame network has no weight ${prefix + name}`);
      return v;
    };
    const id = n === 1 ? '' : `m${k + 1}_`;
    const dense = (x: string, name: string, rows: number, cols: number): string =>
      g.op('Tanh', [g.op('Add', [g.op('MatMul', [x, g.floats(`${id}${name}_w`, [rows, cols], get(`${name}.w`))]), g.floats(`${id}${name}_b`, [cols], get(`${name}.b`))])]);
    const h2 = dense(dense(FRAME_IO.input, 'd1', I, H), 'd2', H, H);
    // Conv wants [N, C, T] and weights [out, in, width]; tfjs keeps conv weights as [width, in, out].
    const convW = get('conv.w');
    const onnxW = new Float32Array(C * H * K);
    for (let t = 0; t < K; t++) for (let i = 0; i < H; i++) for (let o = 0; o < C; o++) onnxW[(o * H + i) * K + t] = convW[(t * H + i) * C + o] as number;
    const nct = g.op('Unsqueeze', [g.op('Transpose', [h2], { perm: [1, 0] }), g.int64s([0])]);
    const pad = (K - 1) / 2;
    const conv = g.op('Conv', [nct, g.floats(`${id}conv_w`, [C, H, K], onnxW), g.floats(`${id}conv_b`, [C], get('conv.b'))], { kernel_shape: [K], pads: [pad, pad] });
    const c = g.op('Transpose', [g.op('Squeeze', [g.op('Tanh', [conv]), g.int64s([0])])], { perm: [1, 0] });
    const outW = get('out.w').slice();
    const b = get('out.b');
    for (let o = 0; o < O; o++) {
      const s = (w.targetStd[o] as number) / n;
      for (let r = 0; r < C; r++) outW[r * O + o] = (outW[r * O + o] as number) * s;
      outB[o] = (outB[o] as number) + (b[o] as number) * s;
    }
    return g.op('MatMul', [c, g.floats(`${id}out_w`, [C, O], outW)]);
  });
  const summed = branches.length === 1 ? (branches[0] as string) : g.op('Sum', branches);
  g.op('Add', [summed, g.floats('out_b', [O], outB)], {}, FRAME_IO.output);
  g.output(FRAME_IO.output, FLOAT, ['T', O]);
  return g;
}
