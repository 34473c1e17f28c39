import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ModelError } from '../core/errors.js';
import type { ManifestGraph, ModelManifest } from '../core/manifest.js';
import { buildChunkGraph } from './chunk-graph.js';
import { NetworkEmitter, type ConditioningLayout } from './network-emitter.js';
import { encodeModel, OPSET } from './onnx-graph-builder.js';
import { readBundleWeights, readManifestFile } from './read-bundle-weights.js';
import { buildStepGraph } from './step-graph.js';

export const STEP_FILE = 'step.onnx';
export const CHUNK_FILE = 'chunk.onnx';
/** Steps unrolled per Loop iteration (measured best for the 2014 model on one core; see bench:synth). */
export const DEFAULT_UNROLL = 8;

export interface ExportOptions {
  unroll?: number;
  producerVersion?: string;
}

export interface ExportResult {
  files: string[];
  manifest: ModelManifest;
  stepNodes: number;
  chunkNodesPerSample: number;
}

/**
 * Export a trained bundle's weights to step.onnx and chunk.onnx (opset 17) and record both graphs' inputs,
 * outputs, node counts and hashes in manifest.json. Pure TypeScript: no Python in the path.
 */
export async function exportBundle(dir: string, options: ExportOptions = {}): Promise<ExportResult> {
  const manifest = readManifestFile(dir);
  const weights = readBundleWeights(dir, manifest);
  const unroll = options.unroll ?? DEFAULT_UNROLL;
  if (!Number.isInteger(unroll) || unroll < 1 || unroll > 64) {
    throw new ModelError({ code: 'E_EXPORT_UNROLL', message: `unroll ${unroll} is out of range [1, 64]` });
  }
  const sigma = manifest.sampling.sigma ?? 0;
  const em = new NetworkEmitter(manifest.spec, weights, manifest.normalization.inputScale, sigma);
  const F = manifest.features.width;
  const layout: ConditioningLayout = { slots: manifest.features.slots.length, phones: manifest.features.phones.length, dense: manifest.features.dense.length };
  const step = buildStepGraph(em, F, layout);
  const chunk = buildChunkGraph(em, F, unroll, layout);
  const version = options.producerVersion ?? '';
  const doc = `${manifest.spec.cell}-${manifest.spec.hidden} ${manifest.spec.head} k=${manifest.spec.k} features=${manifest.spec.featureSet}`;
  const stepBytes = encodeModel(step, version, `step: one sample; ${doc}`);
  const chunkBytes = encodeModel(chunk.graph, version, `chunk: N samples, ${unroll} per Loop iteration; ${doc}`);
  await writeFileAtomic(join(dir, STEP_FILE), stepBytes);
  await writeFileAtomic(join(dir, CHUNK_FILE), chunkBytes);
  const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
  const stepGraph: ManifestGraph = { file: STEP_FILE, opset: OPSET, ...step.signature, nodesPerSample: step.nodeCount, sha256: sha(stepBytes) };
  const chunkGraph: ManifestGraph = {
    file: CHUNK_FILE,
    opset: OPSET,
    ...chunk.graph.signature,
    nodesPerSample: Math.round(chunk.nodesPerSample * 100) / 100,
    unroll,
    sha256: sha(chunkBytes),
  };
  const updated: ModelManifest = { ...manifest, graphs: { step: stepGraph, chunk: chunkGraph } };
  await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(updated, null, 2)}\n`);
  return { files: [STEP_FILE, CHUNK_FILE, 'manifest.json'], manifest: updated, stepNodes: step.nodeCount, chunkNodesPerSample: chunk.nodesPerSample };
}
