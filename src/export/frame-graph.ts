import { FLOAT, GraphBuilder } from './onnx-graph-builder.js';

/** Graph input and output names of frame.onnx, shared with the engine. */
export const FRAME_IO = { input: 'inputs', output: 'frames' } as const;

export interface FrameGraphWeights {
  inputWidth: number;
  hidden: number;
  convChannels: number;
  convWidth: number;
  outputWidth: number;
  /** By parameter name (frame-model.ts): d1.w [in, H], d1.b, d2.w [H, H], d2.b, conv.w [width, H, C], conv.b, out.w [C, O], out.b. */
  weights: ReadonlyMap<string, Float32Array>;
  /** The features' mean and standard deviation: the graph outputs features, not z-scores. */
  targetMean: Float32Array;
  targetStd: Float32Array;
}

/**
 * frame.onnx: frame inputs [T, inputWidth] to acoustic frame features [T, outputWidth] (two dense tanh
 * layers, a 'same'-padded convolution over time, a linear output with the z-score undone in its weights).
 * The caller feeds a block with (convWidth - 1) / 2 frames of context on each side and keeps the middle.
 */
export function buildFrameGraph(w: FrameGraphWeights): GraphBuilder {
  const g = new GraphBuilder('frame', 'f_');
  const { inputWidth: I, hidden: H, convChannels: C, convWidth: K, outputWidth: O } = w;
  const get = (name: string): Float32Array => {
    const v = w.weights.get(name);
    if (!v) throw new RangeError(`the frame network has no weight ${name}`);
    return v;
  };
  g.input(FRAME_IO.input, FLOAT, ['T', I]);
  const dense = (x: string, name: string, rows: number, cols: number): string =>
    g.op('Tanh', [g.op('Add', [g.op('MatMul', [x, g.floats(`${name}_w`, [rows, cols], get(`${name}.w`))]), g.floats(`${name}_b`, [cols], get(`${name}.b`))])]);
  const h2 = dense(dense(FRAME_IO.input, 'd1', I, H), 'd2', H, H);
  // Conv wants [N, C, T] and weights [out, in, width]; tfjs keeps conv weights as [width, in, out].
  const convW = get('conv.w');
  const onnxW = new Float32Array(C * H * K);
  for (let k = 0; k < K; k++) for (let i = 0; i < H; i++) for (let o = 0; o < C; o++) onnxW[(o * H + i) * K + k] = convW[(k * H + i) * C + o] as number;
  const nct = g.op('Unsqueeze', [g.op('Transpose', [h2], { perm: [1, 0] }), g.int64s([0])]);
  const pad = (K - 1) / 2;
  const conv = g.op('Conv', [nct, g.floats('conv_w', [C, H, K], onnxW), g.floats('conv_b', [C], get('conv.b'))], { kernel_shape: [K], pads: [pad, pad] });
  const c = g.op('Transpose', [g.op('Squeeze', [g.op('Tanh', [conv]), g.int64s([0])])], { perm: [1, 0] });
  // Undo the z-score in the output layer: y = (c W + b) * std + mean.
  const outW = get('out.w').slice();
  const outB = get('out.b').slice();
  for (let o = 0; o < O; o++) {
    const s = w.targetStd[o] as number;
    for (let r = 0; r < C; r++) outW[r * O + o] = (outW[r * O + o] as number) * s;
    outB[o] = (outB[o] as number) * s + (w.targetMean[o] as number);
  }
  g.op('Add', [g.op('MatMul', [c, g.floats('out_w', [C, O], outW)]), g.floats('out_b', [O], outB)], {}, FRAME_IO.output);
  g.output(FRAME_IO.output, FLOAT, ['T', O]);
  return g;
}
