import type { DenseLayer } from '../core/text-network-weights.js';
import { FLOAT, GraphBuilder } from './onnx-graph-builder.js';

/** A small feed-forward network as an ONNX graph: `input` [N, inputs] -> `output` [N, outputs]. */
export function buildMlpGraph(name: string, layers: readonly DenseLayer[], input = 'inputs', output = 'outputs'): GraphBuilder {
  const g = new GraphBuilder(name, `${name[0]}_`);
  const first = layers[0];
  const last = layers[layers.length - 1];
  if (!first || !last) throw new RangeError(`${name}: a network needs at least one layer`);
  g.input(input, FLOAT, ['N', first.inputs]);
  let h = input;
  layers.forEach((layer, l) => {
    const z = g.op('Gemm', [h, g.floats(`w${l}`, [layer.inputs, layer.outputs], layer.w), g.floats(`b${l}`, [layer.outputs], layer.b)]);
    const lastLayer = l === layers.length - 1;
    const out = lastLayer ? output : undefined;
    if (layer.activation === 'tanh') h = g.op('Tanh', [z], {}, out);
    else if (layer.activation === 'sigmoid') h = g.op('Sigmoid', [z], {}, out);
    else h = lastLayer ? g.op('Identity', [z], {}, output) : z;
  });
  g.output(output, FLOAT, ['N', last.outputs]);
  return g;
}

/** The same network in plain TypeScript (the reference the graph is tested against). */
export function runMlp(layers: readonly DenseLayer[], x: Float32Array, rows: number): Float32Array {
  let h = x;
  for (const layer of layers) {
    const out = new Float32Array(rows * layer.outputs);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < layer.outputs; o++) {
        let s = layer.b[o] as number;
        for (let i = 0; i < layer.inputs; i++) s += (h[r * layer.inputs + i] as number) * (layer.w[i * layer.outputs + o] as number);
        out[r * layer.outputs + o] = layer.activation === 'tanh' ? Math.tanh(s) : layer.activation === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : s;
      }
    }
    h = out;
  }
  return h;
}
