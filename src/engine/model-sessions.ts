/** Inputs of one chunk.onnx call for B streams and N samples (row-major, sample-major [N, B]). */
export interface ChunkFeeds {
  features: Float32Array; // [N, B, F]
  window: Float32Array; // [B, historySamples] (k for models without signal features)
  state: Float32Array; // [B, L*S*H]
  uniforms: Float32Array; // [N, B]
  temperature: number;
  truth: Float32Array; // [N, B]
  teacherForcing: boolean;
  samples: number;
  streams: number;
  /** Models with signal features: the predictor per sample [N, B, order] (oldest sample first) and the pitch lag [N, B]. */
  lpc?: Float32Array;
  lags?: Float32Array;
  /** ... and the sampling sharpness per sample [N, B] (1 = plain sampling). */
  sharpness?: Float32Array;
}

export interface ChunkResult {
  samples: Float32Array; // [N, B], guarded
  raw: Float32Array; // [N, B], before the guard
  window: Float32Array;
  state: Float32Array;
}

export interface StepFeeds {
  window: Float32Array; // [B, k]
  features: Float32Array; // [B, F]
  state: Float32Array; // [B, L*S*H]
  /** mse models: Gaussian noise [B] in audio units (probit(u) * temperature * sigma); mulaw models: uniforms [B]. */
  draws: Float32Array;
  temperature: number;
  streams: number;
  /** Models with signal features: [B, order], [B] and [B], as in ChunkFeeds. */
  lpc?: Float32Array;
  lags?: Float32Array;
  sharpness?: Float32Array;
}

export interface StepResult {
  /** The prediction before the guard [B] (mulaw: the sampled level's value). */
  raw: Float32Array;
  state: Float32Array;
}

/**
 * The two exported graphs behind one interface, so the generator does not depend on onnxruntime (tests and
 * other runtimes can supply their own). ort-model-sessions.ts is the onnxruntime-node implementation.
 */
export interface ModelSessions {
  runChunk(feeds: ChunkFeeds): Promise<ChunkResult>;
  runStep(feeds: StepFeeds): Promise<StepResult>;
  dispose(): Promise<void>;
}
