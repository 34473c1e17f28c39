import onnxProto from 'onnx-proto';
import { ModelError } from '../../core/errors.js';

const { onnx } = onnxProto;
const FLOAT = 1;

/** A float initializer of an exported graph. */
export interface GraphTensor {
  dims: number[];
  values: Float32Array;
}

/** Prefixes the exporter gives the step graph and its branches (export/step-graph.ts). */
const GRAPH_PREFIX = /^(s|ss|sm|sampled|mean)_/;

/**
 * The float initializers of an exported graph and of its subgraphs, by the name the exporter gave the
 * weight (`s_table0_7` -> `table0`, `sampled_wsig_22` -> `wsig`): the weights the synthesis kernel runs, read
 * from the ONNX file so that ONNX stays the one exchange format.
 */
export function readGraphWeights(bytes: Uint8Array): Map<string, GraphTensor> {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelError({ code: 'E_MODEL_LOAD', message: `the kernel cannot read step.onnx (${(error as Error).message.split('\n')[0]})`, hint: 're-export the bundle with `synth export DIR`' });
  }
  const out = new Map<string, GraphTensor>();
  const walk = (graph: onnxProto.onnx.IGraphProto | null | undefined): void => {
    if (!graph) return;
    for (const t of graph.initializer ?? []) {
      if (t.dataType !== FLOAT || !t.name) continue;
      const key = t.name.replace(GRAPH_PREFIX, '').replace(/_\d+$/, '');
      if (out.has(key)) continue;
      const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
      const values = raw ? new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) : Float32Array.from(t.floatData ?? []);
      out.set(key, { dims: (t.dims ?? []).map(Number), values });
    }
    for (const node of graph.node ?? []) for (const a of node.attribute ?? []) walk(a.g);
  };
  walk(model.graph);
  return out;
}
