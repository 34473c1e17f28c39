import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { DenseLayer, LtsWeights } from '../core/text-network-weights.js';
import type { ManifestGraph, ManifestText, ModelManifest } from '../core/manifest.js';

/** A trained letter-to-sound model as the writer stores it. */
export interface LtsModelData {
  weights: LtsWeights;
  inputs: number;
  wordAccuracyPct: number;
  perPct: number;
  heldOutWords: number;
}
import { buildMlpGraph } from './mlp-graph.js';
import { encodeModel, OPSET } from './onnx-graph-builder.js';

export const DURATION_FILE = 'duration.onnx';
export const PAUSE_FILE = 'pause.onnx';
export const LTS_FILE = 'lts.bin';
/** Pauses that open and close a spoken sentence (ARCTIC's are longer: they are the recording's silence). */
const EDGE_PAUSES_S: [number, number] = [0.15, 0.25];

async function writeGraph(dir: string, file: string, layers: readonly DenseLayer[], doc: string): Promise<ManifestGraph & { inputWidth: number }> {
  const graph = buildMlpGraph(file.replace('.onnx', ''), layers);
  const bytes = encodeModel(graph, '', doc);
  await writeFileAtomic(join(dir, file), bytes);
  return { file, opset: OPSET, ...graph.signature, nodesPerSample: 0, sha256: createHash('sha256').update(bytes).digest('hex'), inputWidth: (layers[0] as DenseLayer).inputs };
}

/**
 * Add the text front end to a bundle: duration.onnx and pause.onnx (exported here: they are small
 * feed-forward networks), the letter-to-sound weights, and the `text` section of manifest.json. A bundle
 * that already has letter-to-sound keeps it when none is given.
 */
export async function writeTextModels(
  dir: string,
  manifest: ModelManifest,
  models: { phoneSet: ManifestText['phoneSet']; duration: readonly DenseLayer[]; pause: readonly DenseLayer[]; lts?: LtsModelData; training: Record<string, unknown> },
): Promise<ModelManifest> {
  const duration = await writeGraph(dir, DURATION_FILE, models.duration, 'duration model: phone features to log(duration / 80 ms)');
  const pause = await writeGraph(dir, PAUSE_FILE, models.pause, 'pause model: break features to the probability of a pause');
  let lts = manifest.text?.lts;
  if (models.lts) {
    const w = models.lts.weights;
    const all = new Float32Array(w.w1.length + w.b1.length + w.w2.length + w.b2.length);
    let at = 0;
    for (const part of [w.w1, w.b1, w.w2, w.b2]) {
      all.set(part, at);
      at += part.length;
    }
    await writeFileAtomic(join(dir, LTS_FILE), new Uint8Array(all.buffer));
    lts = { file: LTS_FILE, inputs: models.lts.inputs, hidden: w.hidden, classes: w.classes, wordAccuracyPct: models.lts.wordAccuracyPct, perPct: models.lts.perPct, heldOutWords: models.lts.heldOutWords };
  }
  const text: ManifestText = {
    phoneSet: models.phoneSet,
    lexicon: 'cmu-pronouncing-dictionary 3.0.0 (CMUdict), Festival conventions',
    ...(lts ? { lts } : {}),
    duration,
    pause,
    pauseThreshold: 0.5,
    edgePauseS: EDGE_PAUSES_S,
    training: models.training,
  };
  const updated: ModelManifest = { ...manifest, text };
  await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(updated, null, 2)}\n`);
  return updated;
}
