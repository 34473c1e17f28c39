import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { OutputError, describeSystemError } from '../core/errors.js';
import type { ModelManifest } from '../core/manifest.js';
import type { ParameterShape, Weights } from './model-spec.js';

export const WEIGHTS_MANIFEST_FILE = 'weights.json';
export const WEIGHTS_DATA_FILE = 'weights.bin';

/**
 * The tfjs weights format (what tf.io.encodeWeights writes and tf.io.loadWeights reads): a manifest
 * [{paths, weights: [{name, shape, dtype}]}] and one binary file of little-endian float32 in that order.
 */
export function encodeTfjsWeights(weights: Weights, shapes: readonly ParameterShape[], dataFile = WEIGHTS_DATA_FILE): { manifest: unknown; data: Uint8Array } {
  const specs = shapes.map((p) => ({ name: p.name, shape: [...p.shape], dtype: 'float32' }));
  const total = shapes.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  const data = new Float32Array(total);
  let at = 0;
  for (const p of shapes) {
    const w = weights.get(p.name);
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (!w || w.length !== size) throw new RangeError(`weight ${p.name}: expected ${size} values`);
    data.set(w, at);
    at += size;
  }
  return { manifest: [{ paths: [dataFile], weights: specs }], data: new Uint8Array(data.buffer) };
}

/** Write manifest.json and the weights into `dir`, each file atomically. */
export async function writeBundle(dir: string, manifest: ModelManifest, weights: Weights, shapes: readonly ParameterShape[]): Promise<void> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new OutputError({ code: 'E_WRITE', where: dir, message: `cannot create the model folder (${describeSystemError(error)})` });
  }
  const encoded = encodeTfjsWeights(weights, shapes);
  await writeFileAtomic(join(dir, WEIGHTS_DATA_FILE), encoded.data);
  await writeFileAtomic(join(dir, WEIGHTS_MANIFEST_FILE), `${JSON.stringify(encoded.manifest, null, 1)}\n`);
  await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
