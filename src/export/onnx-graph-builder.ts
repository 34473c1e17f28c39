import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export type OnnxModel = InstanceType<typeof onnx.ModelProto>;
type NodeProto = InstanceType<typeof onnx.NodeProto>;
type GraphProto = InstanceType<typeof onnx.GraphProto>;

export const OPSET = 17;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;
export const BOOL = onnx.TensorProto.DataType.BOOL;

export type Dim = number | string;

export interface IoDeclaration {
  name: string;
  shape: Dim[];
  type: 'float32' | 'int64' | 'bool';
}

const TYPE_NAMES: Record<number, IoDeclaration['type']> = { [FLOAT]: 'float32', [INT64]: 'int64', [BOOL]: 'bool' };
export type AttributeValue = number | number[] | string | GraphBuilder | { float: number } | { int: number };

/**
 * A small builder for ONNX graphs: unique names, initializers, nodes with attributes, subgraphs for Loop
 * and If bodies. Names are prefixed per graph so that subgraphs never shadow their parents.
 */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  /** Declared inputs and outputs, for the manifest. */
  readonly signature: { inputs: IoDeclaration[]; outputs: IoDeclaration[] } = { inputs: [], outputs: [] };
  private counter = 0;
  private readonly constants = new Map<string, string>();

  constructor(
    readonly name: string,
    private readonly prefix: string,
  ) {}

  /** A fresh tensor name. */
  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.counter++}`;
  }

  input(name: string, elemType: number, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, shape));
    this.signature.inputs.push({ name, shape: [...shape], type: TYPE_NAMES[elemType] ?? 'float32' });
    return name;
  }

  output(name: string, elemType: number, shape?: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, shape));
    if (shape) this.signature.outputs.push({ name, shape: [...shape], type: TYPE_NAMES[elemType] ?? 'float32' });
  }

  /** A float initializer. */
  floats(hint: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(hint);
    const raw = Float32Array.from(values as ArrayLike<number>);
    if (raw.length !== dims.reduce((a, b) => a * b, 1)) throw new RangeError(`${hint}: ${raw.length} values for dims ${dims}`);
    this.initializers.push(
      onnx.TensorProto.create({ name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) }),
    );
    return name;
  }

  /** A scalar or vector float constant, shared within the graph. */
  scalar(value: number, dims: readonly number[] = []): string {
    const key = `f${value}:${dims.join('x')}`;
    const found = this.constants.get(key);
    if (found) return found;
    const name = this.floats('c', dims, dims.length === 0 ? [value] : new Array(dims.reduce((a, b) => a * b, 1)).fill(value));
    this.constants.set(key, name);
    return name;
  }

  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i${values.join(',')}:${dims.join('x')}`;
    const found = this.constants.get(key);
    if (found) return found;
    const name = this.fresh('i');
    const raw = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push(onnx.TensorProto.create({ name, dims: [...dims], dataType: INT64, rawData: new Uint8Array(raw.buffer) }));
    this.constants.set(key, name);
    return name;
  }

  bool(value: boolean): string {
    const name = this.fresh('b');
    this.initializers.push(onnx.TensorProto.create({ name, dims: [], dataType: BOOL, rawData: new Uint8Array([value ? 1 : 0]) }));
    return name;
  }

  /** Add a node; returns its output names (fresh unless given). */
  node(opType: string, inputs: readonly string[], outputCount = 1, attributes: Record<string, AttributeValue> = {}, outputs?: readonly string[], domain = ''): string[] {
    const outs = outputs ? [...outputs] : Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        domain,
        input: [...inputs],
        output: outs,
        name: this.fresh(`${opType}_node`),
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return outs;
  }

  /** Single-output convenience. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    return this.node(opType, inputs, 1, attributes, output ? [output] : undefined)[0] as string;
  }

  /**
   * Rename a tensor produced in this graph (so a body output needs no Identity node), including where
   * nested subgraphs (If, Loop bodies) read it from this outer scope.
   */
  rename(from: string, to: string): void {
    const visit = (nodes: readonly NodeProto[]): void => {
      for (const node of nodes) {
        node.output = node.output.map((o) => (o === from ? to : o));
        node.input = node.input.map((i) => (i === from ? to : i));
        for (const a of node.attribute ?? []) if (a.g?.node) visit(a.g.node as NodeProto[]);
      }
    };
    visit(this.nodes);
  }

  /** True if a node of this graph produces `name`. */
  produces(name: string): boolean {
    return this.nodes.some((n) => n.output.includes(name));
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Count nodes of this graph, including those inside subgraph attributes (counted once each). */
  totalNodeCount(): number {
    let n = 0;
    const visit = (nodes: readonly NodeProto[]): void => {
      for (const node of nodes) {
        n++;
        for (const a of node.attribute ?? []) if (a.g?.node) visit(a.g.node as NodeProto[]);
      }
    };
    visit(this.nodes);
    return n;
  }

  build(): GraphProto {
    return onnx.GraphProto.create({
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
  }
}

function valueInfo(name: string, elemType: number, shape?: readonly Dim[]): InstanceType<typeof onnx.ValueInfoProto> {
  const tensorType: Record<string, unknown> = { elemType };
  if (shape) tensorType['shape'] = { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) };
  return onnx.ValueInfoProto.create({ name, type: { tensorType } });
}

function attribute(name: string, value: AttributeValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (value instanceof GraphBuilder) return onnx.AttributeProto.create({ name, type: T.GRAPH, g: value.build() });
  if (typeof value === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: value });
  if (typeof value === 'object' && 'float' in value) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: value.float });
  if (typeof value === 'object' && 'int' in value) return onnx.AttributeProto.create({ name, type: T.INT, i: value.int });
  return Number.isInteger(value)
    ? onnx.AttributeProto.create({ name, type: T.INT, i: value })
    : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
}

/** Serialize a model with the default domain at OPSET. */
export function encodeModel(graph: GraphBuilder, producerVersion: string, docString: string): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'sample-rnn-synth',
    producerVersion,
    docString,
    graph: graph.build(),
  });
  return onnx.ModelProto.encode(model).finish();
}
