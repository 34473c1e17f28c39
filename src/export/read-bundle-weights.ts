import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError, describeSystemError } from '../core/errors.js';
import type { ModelManifest } from '../core/manifest.js';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/** Read a bundle's manifest.json (shape-checked only as far as export needs). */
export function readManifestFile(dir: string): ModelManifest {
  const path = join(dir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ModelError({ code: 'E_MODEL_MANIFEST', where: path, message: `cannot read the manifest (${describeSystemError(error)})`, hint: 'give a model folder written by `synth train`' });
  }
  try {
    return JSON.parse(text) as ModelManifest;
  } catch (error) {
    throw new ModelError({ code: 'E_MODEL_MANIFEST', where: path, message: `the manifest is not valid JSON (${(error as Error).message})` });
  }
}

/** Read weights in the tfjs weights format (weights.json + weights.bin) without tfjs. */
export function readBundleWeights(dir: string, manifest: Pick<ModelManifest, 'weights'>): Map<string, { shape: number[]; values: Float32Array }> {
  const manifestPath = join(dir, manifest.weights.manifest);
  let groups: Array<{ paths: string[]; weights: WeightSpec[] }>;
  try {
    groups = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new ModelError({ code: 'E_MODEL_WEIGHTS', where: manifestPath, message: `cannot read the weights manifest (${describeSystemError(error)})` });
  }
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const group of groups) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let at = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new ModelError({ code: 'E_MODEL_WEIGHTS', where: manifestPath, message: `weight ${w.name} has dtype ${w.dtype}; only float32 is supported` });
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (at + size > data.length) throw new ModelError({ code: 'E_MODEL_WEIGHTS', where: manifestPath, message: `the weight data is shorter than the manifest says (at ${w.name})` });
      out.set(w.name, { shape: w.shape, values: data.slice(at, at + size) });
      at += size;
    }
  }
  return out;
}
