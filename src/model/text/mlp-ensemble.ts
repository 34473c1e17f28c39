import type { DenseLayer } from '../../core/text-network-weights.js';

/**
 * Several networks of the same shape (dense layers, one linear output) as one wider network whose output is
 * their mean: the first layers side by side, the hidden layers block-diagonal, the output layer's weights and
 * bias divided by the count. The exporter and the runtime see an ordinary MLP, so an ensemble costs nothing
 * new at run time. Pure.
 */
export function mergeMlpEnsemble(members: ReadonlyArray<readonly DenseLayer[]>): DenseLayer[] {
  const first = members[0];
  if (!first || first.length === 0) throw new RangeError('an ensemble needs at least one network');
  const n = members.length;
  for (const m of members) {
    if (m.length !== first.length || m.some((l, i) => l.inputs !== first[i]?.inputs || l.outputs !== first[i]?.outputs || l.activation !== first[i]?.activation)) {
      throw new RangeError('the networks of an ensemble must have the same shape');
    }
  }
  const last = first.length - 1;
  return first.map((shape, li) => {
    // Inputs: the shared input for the first layer, else each member's own slice of the previous layer.
    const inputs = li === 0 ? shape.inputs : shape.inputs * n;
    const outputs = li === last ? shape.outputs : shape.outputs * n;
    const w = new Float32Array(inputs * outputs);
    const b = new Float32Array(outputs);
    members.forEach((m, k) => {
      const layer = m[li] as DenseLayer;
      const rowBase = li === 0 ? 0 : k * layer.inputs;
      const colBase = li === last ? 0 : k * layer.outputs;
      const scale = li === last ? 1 / n : 1;
      for (let i = 0; i < layer.inputs; i++) {
        for (let j = 0; j < layer.outputs; j++) w[(rowBase + i) * outputs + colBase + j] = (w[(rowBase + i) * outputs + colBase + j] as number) + scale * (layer.w[i * layer.outputs + j] as number);
      }
      for (let j = 0; j < layer.outputs; j++) b[colBase + j] = (b[colBase + j] as number) + scale * (layer.b[j] as number);
    });
    return { w, b, inputs, outputs, activation: shape.activation };
  });
}
