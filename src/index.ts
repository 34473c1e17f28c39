/**
 * The library API of sample-rnn-synth: load a model bundle, turn labels or text into a plan, synthesize it as
 * an RxJS Observable of audio chunks with drift and latency events, and dispose. The CLI and the server use
 * only what this file exports.
 *
 * @example
 * ```ts
 * import { loadModel, preparePlan, audioChunks } from 'sample-rnn-synth';
 * const model = await loadModel('models/default');
 * const plan = await preparePlan(model.manifest, { phonesPath: 'hello.lab', seedSamples: 0 });
 * model.synthesize(plan).pipe(audioChunks()).subscribe((chunk) => process.stdout.write(Buffer.from(chunk.samples[0].buffer)));
 * ```
 */
import { Engine, type EngineOptions } from './engine/engine.js';

export { Engine, synthesize$, type EngineOptions, type RunOptions } from './engine/engine.js';
export { EnginePool } from './engine/engine-pool.js';
export type { AudioChunk, EngineEvent, SynthesisEnd, SynthesisStart } from './engine/engine-events.js';
export type { GenerationPlan, GenerationSettings } from './engine/generation-plan.js';
export { preparePlan, findRecording, type Condition, type PreparedPlan, type SynthesisInput } from './engine/prepare-plan.js';
export { TextFrontEnd, textSentencePlan, type TextSentencePlan } from './engine/text-plan.js';
export { synthesizeText$ } from './engine/text-synthesis.js';
export { audioChunks } from './engine/operators/audio-chunks.js';
export { driftFrames, type DriftFrame } from './metrics/operators/drift-frames.js';
export { latencyStats, type SpeedSnapshot } from './metrics/operators/latency-stats.js';
export { fidelity, type FidelityReport } from './metrics/fidelity.js';
export { pitchFidelity, type PitchReport } from './metrics/pitch-fidelity.js';
export { melDistanceDtwDb } from './metrics/dtw-mel-distance.js';
export { SynthError, EXIT_CODES } from './core/errors.js';
export type { ModelManifest } from './core/manifest.js';
export { DEFAULT_MODEL_DIR } from './cli/default-model.js';

/** Load a model bundle (validated once) and start its generation worker; call dispose() when done. */
export function loadModel(bundleDir: string, options: EngineOptions = {}): Promise<Engine> {
  return Engine.load(bundleDir, options);
}
