import type { Weights } from '../model-spec.js';

/** Global L2 norm of all gradients (NaN if any is not finite). */
export function globalNorm(gradients: Weights): number {
  let sum = 0;
  for (const g of gradients.values()) for (let i = 0; i < g.length; i++) sum += (g[i] as number) ** 2;
  return Math.sqrt(sum);
}

/**
 * Copy the gradients, adding L2 weight decay (to weight matrices, not biases) and scaling so that the
 * global norm is at most `clipNorm` (0 = no clipping).
 */
export function prepareGradients(gradients: Weights, weights: Weights, norm: number, clipNorm: number, weightDecay: number): Weights {
  const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
  const out: Weights = new Map();
  for (const [name, g] of gradients) {
    const copy = new Float32Array(g.length);
    const decay = weightDecay > 0 && !name.endsWith('.b') && !name.endsWith('.b_hh') ? weightDecay : 0;
    const w = weights.get(name) as Float32Array;
    for (let i = 0; i < g.length; i++) copy[i] = (g[i] as number) * scale + decay * (w[i] as number);
    out.set(name, copy);
  }
  return out;
}
