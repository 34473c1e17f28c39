/**
 * The model bundle's manifest.json: what the trainer writes, the exporter extends and the engine checks.
 * A bundle holds manifest.json, weights.json + weights.bin (tfjs weights format) and, once exported,
 * step.onnx and chunk.onnx.
 */
export const BUNDLE_FORMAT = 'sample-rnn-synth-bundle';
/** Bumped when a reader of an older version could misread a newer bundle. */
export const BUNDLE_VERSION = 1;

export interface ManifestSpec {
  cell: 'rnn' | 'gru' | 'lstm';
  hidden: number;
  layers: number;
  head: 'mse' | 'mulaw';
  k: number;
  featureSet: 'seed' | 'rich' | 'prosody' | 'prosody-energy' | 'acoustic' | 'acoustic-taps' | 'acoustic-plain';
  phoneSet: 'timit61' | 'timit39' | 'radio';
  sampleRateHz: number;
  levels: number;
  /** The model works on s[n] - a s[n-1]; the engine de-emphasizes its output. Absent or 0: plain samples. */
  preEmphasis?: number;
}

export interface ManifestFeatures {
  phones: string[];
  silence: string;
  slots: string[];
  dense: string[];
  /** F: width of the dense feature vector the graphs take (one-hots, then dense values). */
  width: number;
  durationScalePerSecond: number;
  prosody?: { hopSamples: number; referenceHz: number; tracker: string };
  /** Acoustic feature sets: how the frame features are defined and what the loop computes from the signal. */
  acoustic?: ManifestAcoustic;
}

export interface ManifestAcoustic {
  hopSamples: number;
  /** Frame feature names, in the order of a frame's values (cepstrum, log F0, periodicity). */
  names: string[];
  /** The envelope describes the signal pre-emphasized by this. */
  preEmphasis: number;
  /** Each feature enters the network as (value - mean) / scale. */
  inputMean: number[];
  inputScale: number[];
  /** Signal features computed inside the sample loop (a subset of features.dense, after the frame ones). */
  signal: string[];
  /** Linear predictor order (0: the network predicts the sample itself). */
  lpcOrder: number;
  /** Samples of history the loop carries (the graphs' window input): covers the longest pitch lag. */
  historySamples: number;
}

export interface ManifestGraphIo {
  name: string;
  /** Dimensions; strings are symbolic (B, N). */
  shape: Array<number | string>;
  type: 'float32' | 'int64' | 'bool';
}

export interface ManifestGraph {
  file: string;
  opset: number;
  inputs: ManifestGraphIo[];
  outputs: ManifestGraphIo[];
  /** Nodes executed per generated sample (for the chunk graph: per step inside the loop). */
  nodesPerSample: number;
  /** Samples computed per Loop iteration (chunk graph). */
  unroll?: number;
  sha256: string;
}

export interface ManifestTraining {
  data: string;
  utterances: string[];
  devUtterances: string[];
  skippedUtterances: Array<{ id: string; reason: string }>;
  command: string;
  config: Record<string, unknown>;
  epochsRun: number;
  steps: number;
  finalTrainLoss: number | null;
  bestDevLoss: number | null;
  backend: string;
  kernel: string;
  seconds: number;
  trainSamplesPerSecond: number;
  status: string;
}

export interface ModelManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  createdBy: string;
  createdAt: string;
  spec: ManifestSpec;
  features: ManifestFeatures;
  normalization: { inputScale: number };
  /**
   * Sampling: sigma is the mse head's Gaussian (the training RMSE, normalized units); temperature is the
   * model's default sampling temperature (chosen on training utterances; absent: 1 for mulaw, 0 for mse).
   */
  sampling: { sigma: number | null; temperature?: number; temperatureChosenOn?: string[]; voicedSharpening?: number };
  training: ManifestTraining;
  weights: { manifest: string; format: 'tfjs-weights' };
  graphs?: { step: ManifestGraph; chunk: ManifestGraph };
  /** The frame network (acoustic model) of a vocoder bundle: phones to acoustic frame features. */
  frame?: ManifestFrameNetwork;
  /** The text front end: letter-to-sound, pause and duration models. */
  text?: ManifestText;
}

export interface ManifestText {
  phoneSet: 'timit61' | 'timit39' | 'radio';
  lexicon: string;
  /** Letter-to-sound weights (float32: w1, b1, w2, b2) and its shape, with its held-out accuracy. */
  lts?: { file: string; inputs: number; hidden: number; classes: string[]; wordAccuracyPct: number; perPct: number; heldOutWords: number };
  duration: ManifestGraph & { inputWidth: number };
  pause: ManifestGraph & { inputWidth: number };
  /** A break gets a pause when the pause model's probability reaches this. */
  pauseThreshold: number;
  /** Fixed lengths of the pauses that open and close a sentence, seconds. */
  edgePauseS: [number, number];
  training: Record<string, unknown>;
}

/**
 * The parameter-name prefix of each member of a frame network ensemble (its weights and graph): '' for a
 * single network, else 'm1.', 'm2.', ...
 */
export function frameMemberPrefixes(spec: { members?: number }): string[] {
  const n = spec.members ?? 1;
  return n === 1 ? [''] : Array.from({ length: n }, (_, k) => `m${k + 1}.`);
}

export interface ManifestFrameNetwork {
  /** members: an ensemble of this many networks of this shape, averaged (absent: 1). */
  spec: { inputWidth: number; hidden: number; convChannels: number; convWidth: number; outputWidth: number; members?: number };
  /** Its inputs are built from labels in this phone set (data/features/frame-inputs.ts). */
  phoneSet: 'timit61' | 'timit39' | 'radio';
  hopSamples: number;
  /** Frames of context the convolution reads on each side: a block needs this many more each way. */
  contextFrames: number;
  targetMean: number[];
  targetStd: number[];
  weights: { manifest: string; format: 'tfjs-weights' };
  training: {
    data: string;
    utterances: string[];
    validUtterances: string[];
    config: Record<string, unknown>;
    epochsRun: number;
    bestEpoch: number;
    trainLoss: number;
    devLoss: number | null;
    seconds: number;
    backend: string;
  };
  /** Written by export. */
  graph?: ManifestGraph;
}
