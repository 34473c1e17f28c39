import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ModelError } from '../core/errors.js';
import type { ManifestFrameNetwork, ManifestGraph, ModelManifest } from '../core/manifest.js';
import { buildFrameGraph } from './frame-graph.js';
import { buildChunkGraph, type HistorySettings } from './chunk-graph.js';
import { NetworkEmitter, type ConditioningLayout } from './network-emitter.js';
import { encodeModel, OPSET } from './onnx-graph-builder.js';
import { readBundleWeights, readManifestFile } from './read-bundle-weights.js';
import { buildHistoryStepGraph, buildStepGraph } from './step-graph.js';

export const STEP_FILE = 'step.onnx';
export const FRAME_FILE = 'frame.onnx';
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
  const signal = manifest.features.acoustic?.signal ?? [];
  const layout: ConditioningLayout = { slots: manifest.features.slots.length, phones: manifest.features.phones.length, dense: manifest.features.dense.length - signal.length, signal };
  const acoustic = manifest.features.acoustic;
  const history: HistorySettings | undefined =
    acoustic && signal.length > 0 ? { samples: acoustic.historySamples, lpcOrder: acoustic.lpcOrder, taps: signal.includes('pitch_tap') } : undefined;
  const step = history ? buildHistoryStepGraph(em, F, layout, history) : buildStepGraph(em, F, layout);
  const chunk = buildChunkGraph(em, F, unroll, layout, history);
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
  const frame = manifest.frame ? await exportFrameNetwork(dir, manifest.frame, version) : undefined;
  const updated: ModelManifest = { ...manifest, graphs: { step: stepGraph, chunk: chunkGraph }, ...(frame ? { frame } : {}) };
  await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(updated, null, 2)}\n`);
  return { files: [STEP_FILE, CHUNK_FILE, ...(frame ? [FRAME_FILE] : []), 'manifest.json'], manifest: updated, stepNodes: step.nodeCount, chunkNodesPerSample: chunk.nodesPerSample };
}

/** frame.onnx from the frame network's weights; returns its manifest section with the graph recorded. */
async function exportFrameNetwork(dir: string, frame: ManifestFrameNetwork, version: string): Promise<ManifestFrameNetwork> {
  const stored = readBundleWeights(dir, frame);
  const graph = buildFrameGraph({
    ...frame.spec,
    weights: new Map([...stored].map(([name, w]) => [name, w.values])),
    targetMean: Float32Array.from(frame.targetMean),
    targetStd: Float32Array.from(frame.targetStd),
  });
  const bytes = encodeModel(graph, version, `frame network: phones to ${frame.spec.outputWidth} acoustic features per ${frame.hopSamples}-sample frame`);
  await writeFileAtomic(join(dir, FRAME_FILE), bytes);
  return { ...frame, graph: { file: FRAME_FILE, opset: OPSET, ...graph.signature, nodesPerSample: 0, sha256: createHash('sha256').update(bytes).digest('hex') } };
}
