import type { ModelManifest } from '../core/manifest.js';
import type { PhoneTrack } from '../data/features/phone-track.js';

/** What to generate, prepared and validated on the main thread; plain data, so it crosses to the worker. */
export interface GenerationPlan {
  /** Total samples per stream, seed included (the length of the labels' audio). */
  lengthSamples: number;
  /** The K seed samples (audio units); generation starts at sample K. */
  seed: Float32Array;
  /** The recording, when there is one (teacher forcing and drift metrics need it). */
  truth?: Float32Array;
  track: PhoneTrack;
  /** The track's acoustic frames are to be predicted by the bundle's frame network as generation goes. */
  framesFromNetwork?: boolean;
}

export type GenerationMode = 'chunk' | 'step';

export interface GenerationSettings {
  mode: GenerationMode;
  /** Samples per chunk.onnx call (rounded up to the graph's unroll). */
  chunkSamples: number;
  /** A smaller first chunk, so audio starts quickly. */
  firstChunkSamples: number;
  streams: number;
  temperature: number;
  rngSeed: number;
  teacherForced: boolean;
  /** Models with signal features: voiced sharpening slope (0 = off; see voicedSharpness). */
  voicedSharpening?: number;
}

/** The model facts the generator needs (from the validated manifest). */
export interface GeneratorModel {
  k: number;
  head: 'mse' | 'mulaw';
  /** Standard deviation of the mse head's Gaussian sampling, audio units. */
  sigmaAudio: number;
  /** Width of the packed state per stream (layers x (h, c) x hidden). */
  stateWidth: number;
  featureWidth: number;
  unroll: number;
  phoneCount: number;
  silenceId: number;
  slots: string[];
  dense: string[];
  featureSet: string;
  /** The model works on the pre-emphasized signal with this coefficient (0 = plain). */
  preEmphasis: number;
  /** Samples of history the loop carries: k, or longer for models with signal features (the graphs' window). */
  historySamples: number;
  /** Linear predictor order of an excitation model (0: none). */
  lpcOrder: number;
  /** The model reads pitch taps (and so takes a pitch lag per sample). */
  pitchTaps: boolean;
  /** Acoustic models: their frames' hop (the predictor and lag change once per frame). */
  frameHopSamples: number;
}

export function generatorModelOf(manifest: ModelManifest & { graphs: NonNullable<ModelManifest['graphs']> }): GeneratorModel {
  const { spec, features, graphs } = manifest;
  return {
    k: spec.k,
    head: spec.head,
    sigmaAudio: (manifest.sampling.sigma ?? 0) * manifest.normalization.inputScale,
    stateWidth: spec.layers * (spec.cell === 'lstm' ? 2 : 1) * spec.hidden,
    featureWidth: features.width,
    unroll: graphs.chunk.unroll ?? 1,
    phoneCount: features.phones.length,
    silenceId: Math.max(0, features.phones.indexOf(features.silence)),
    slots: features.slots,
    dense: features.dense,
    featureSet: spec.featureSet,
    preEmphasis: spec.preEmphasis ?? 0,
    historySamples: features.acoustic?.historySamples ?? spec.k,
    lpcOrder: features.acoustic?.lpcOrder ?? 0,
    pitchTaps: features.acoustic?.signal.includes('pitch_tap') ?? false,
    frameHopSamples: features.acoustic?.hopSamples ?? 0,
  };
}
