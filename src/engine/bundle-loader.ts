import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import onnxProto from 'onnx-proto';
import { ModelError, describeSystemError } from '../core/errors.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type ManifestGraph, type ModelManifest } from '../core/manifest.js';
import { ACOUSTIC_FEATURE_NAMES, ACOUSTIC_HOP_SAMPLES, ACOUSTIC_PRE_EMPHASIS } from '../data/features/acoustic-frames.js';
import { FEATURE_SET_NAMES, isAcoustic } from '../data/features/feature-layout.js';

const { onnx } = onnxProto;

export interface LoadedBundle {
  dir: string;
  manifest: ModelManifest & { graphs: NonNullable<ModelManifest['graphs']> };
  /** The graph files' bytes, already checked against the manifest. */
  stepBytes: Uint8Array;
  chunkBytes: Uint8Array;
  /** frame.onnx, when the bundle has a frame network. */
  frameBytes?: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = { 1: 'float32', 7: 'int64', 9: 'bool' };

function fail(dir: string, code: string, message: string, hint?: string): never {
  throw new ModelError({ code, where: dir, message, ...(hint ? { hint } : {}) });
}

/** Structural problems of a parsed manifest, all of them. */
export function manifestProblems(m: unknown): string[] {
  const problems: string[] = [];
  if (m === null || typeof m !== 'object') return ['the manifest is not a JSON object'];
  const o = m as Record<string, unknown>;
  const need = (path: string, ok: (v: unknown) => boolean, what: string): void => {
    const value = path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), o);
    if (!ok(value)) problems.push(`${path} should be ${what}, found ${JSON.stringify(value) ?? 'nothing'}`);
  };
  const int = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  need('format', (v) => v === BUNDLE_FORMAT, `"${BUNDLE_FORMAT}"`);
  need('version', (v) => Number.isInteger(v), 'an integer');
  need('spec.cell', (v) => v === 'rnn' || v === 'gru' || v === 'lstm', 'rnn, gru or lstm');
  need('spec.head', (v) => v === 'mse' || v === 'mulaw', 'mse or mulaw');
  need('spec.hidden', int, 'a positive integer');
  need('spec.layers', int, 'a positive integer');
  need('spec.k', int, 'a positive integer');
  need('spec.sampleRateHz', int, 'a positive integer');
  need('spec.levels', int, 'a positive integer');
  need('spec.featureSet', (v) => typeof v === 'string' && (FEATURE_SET_NAMES as readonly string[]).includes(v), FEATURE_SET_NAMES.join(', '));
  need('spec.phoneSet', (v) => typeof v === 'string', 'a phone set name');
  need('features.phones', (v) => Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'string'), 'a list of phone symbols');
  need('features.width', int, 'a positive integer');
  need('features.slots', (v) => Array.isArray(v), 'a list');
  need('features.dense', (v) => Array.isArray(v), 'a list');
  need('normalization.inputScale', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0, 'a positive number');
  need('graphs.step.file', (v) => typeof v === 'string', 'a file name (run `synth export` on the bundle)');
  need('graphs.chunk.file', (v) => typeof v === 'string', 'a file name (run `synth export` on the bundle)');
  need('graphs.chunk.unroll', int, 'a positive integer');
  if (typeof (o['spec'] as Record<string, unknown> | undefined)?.['featureSet'] === 'string' && isAcoustic((o['spec'] as Record<string, string>)['featureSet'] as string)) {
    // The frames this synth measures or predicts must be the ones the model was trained on.
    need('features.acoustic.names', (v) => Array.isArray(v) && v.join(' ') === ACOUSTIC_FEATURE_NAMES.join(' '), `[${ACOUSTIC_FEATURE_NAMES.join(', ')}] (this synth's frame features)`);
    need('features.acoustic.hopSamples', (v) => v === ACOUSTIC_HOP_SAMPLES, String(ACOUSTIC_HOP_SAMPLES));
    need('features.acoustic.preEmphasis', (v) => v === ACOUSTIC_PRE_EMPHASIS, String(ACOUSTIC_PRE_EMPHASIS));
    need('features.acoustic.historySamples', int, 'a positive integer');
    need('features.acoustic.lpcOrder', (v) => Number.isInteger(v) && (v as number) >= 0, 'an integer >= 0');
    need('features.acoustic.signal', (v) => Array.isArray(v), 'a list');
  }
  return problems;
}

/** Differences between a graph's declared inputs/outputs and the ONNX file's, all of them. */
export function graphMismatches(label: string, declared: ManifestGraph, bytes: Uint8Array): string[] {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    return [`${label}: not a readable ONNX file (${(error as Error).message.split('\n')[0]})`];
  }
  const problems: string[] = [];
  const opset = model.opsetImport.find((o) => !o.domain)?.version;
  if (Number(opset) !== declared.opset) problems.push(`${label}: opset is ${opset}, the manifest says ${declared.opset}`);
  const graph = model.graph;
  if (!graph) return [...problems, `${label}: the file holds no graph`];
  const compare = (kind: 'input' | 'output', actualOrNull: typeof graph.input, wanted: ManifestGraph['inputs']): void => {
    const actual = actualOrNull ?? [];
    const byName = new Map(actual.map((v) => [v.name, v]));
    for (const w of wanted) {
      const v = byName.get(w.name);
      if (!v) {
        problems.push(`${label}: no ${kind} "${w.name}" (the graph has ${actual.map((a) => a.name).join(', ') || 'none'})`);
        continue;
      }
      const t = v.type?.tensorType;
      const type = TYPE_NAMES[t?.elemType ?? 0] ?? `type ${t?.elemType}`;
      if (type !== w.type) problems.push(`${label}: ${kind} "${w.name}" is ${type}, the manifest says ${w.type}`);
      const dims = (t?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
      if (dims.length !== w.shape.length || dims.some((d, i) => typeof d === 'number' && typeof w.shape[i] === 'number' && d !== w.shape[i])) {
        problems.push(`${label}: ${kind} "${w.name}" has shape [${dims.join(', ')}], the manifest says [${w.shape.join(', ')}]`);
      }
    }
    for (const a of actual) if (!wanted.some((w) => w.name === a.name)) problems.push(`${label}: ${kind} "${a.name}" is not in the manifest`);
  };
  compare('input', graph.input, declared.inputs);
  compare('output', graph.output, declared.outputs);
  return problems;
}

/**
 * Load a model bundle for synthesis and validate it once, at the boundary: the manifest's structure and
 * version, the graph files' presence and hashes, and the manifest against each graph. Every problem found
 * is listed in one error.
 */
export function loadBundle(dirInput: string): LoadedBundle {
  const dir = resolve(dirInput);
  try {
    if (!statSync(dir).isDirectory()) fail(dir, 'E_MODEL_MISSING', 'not a folder', 'give a model bundle folder (manifest.json + .onnx files)');
  } catch (error) {
    if (error instanceof ModelError) throw error;
    fail(dir, 'E_MODEL_MISSING', `the model folder cannot be read (${describeSystemError(error)})`, 'give a bundle written by `synth train` (or the shipped models/default)');
  }
  const manifestPath = join(dir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    return fail(dir, 'E_MODEL_MANIFEST', `no readable manifest.json (${describeSystemError(error)})`, 'a bundle holds manifest.json next to its .onnx files');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(manifestPath, 'E_MODEL_MANIFEST', `manifest.json is not valid JSON (${(error as Error).message})`);
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > BUNDLE_VERSION) {
    fail(dir, 'E_MODEL_VERSION', `the bundle was made by a newer version of synth (bundle version ${version}; this synth reads up to ${BUNDLE_VERSION})`, 'upgrade synth, or re-export the model with this version');
  }
  const structural = manifestProblems(parsed);
  if (structural.length > 0) fail(manifestPath, 'E_MODEL_MANIFEST', `the manifest has ${structural.length} problem(s): ${structural.join('; ')}`);
  const manifest = parsed as LoadedBundle['manifest'];
  const problems: string[] = [];
  const readGraph = (label: string, graph: ManifestGraph): Uint8Array => {
    try {
      const bytes = readFileSync(join(dir, graph.file));
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (graph.sha256 && sha !== graph.sha256) problems.push(`${label}: ${graph.file} does not match its recorded sha256 (damaged or replaced)`);
      problems.push(...graphMismatches(label, graph, bytes));
      return bytes;
    } catch (error) {
      problems.push(`${label}: cannot read ${graph.file} (${describeSystemError(error)})`);
      return new Uint8Array(0);
    }
  };
  const stepBytes = readGraph('step graph', manifest.graphs.step);
  const chunkBytes = readGraph('chunk graph', manifest.graphs.chunk);
  const frameBytes = manifest.frame?.graph ? readGraph('frame graph', manifest.frame.graph) : undefined;
  if (problems.length > 0) {
    fail(dir, 'E_MODEL_MISMATCH', `the bundle does not match its manifest (${problems.length} problem(s)): ${problems.join('; ')}`, 're-export it with `synth export DIR`');
  }
  return { dir, manifest, stepBytes, chunkBytes, ...(frameBytes ? { frameBytes } : {}) };
}
