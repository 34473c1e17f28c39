/** Decoded mono audio: float samples in [-1, 1) and where they came from. */
export interface Audio {
  samples: Float32Array;
  sampleRateHz: number;
  /** e.g. `RIFF WAV PCM 16-bit`, `NIST SPHERE PCM 16-bit big-endian`. */
  sourceFormat: string;
  /** Channels in the file (one was kept). */
  channelCount: number;
  path: string;
  /** Things that were fixed up while reading (for example a streaming WAV with no data size). */
  warnings: string[];
}

export interface ReadAudioOptions {
  /** 1-based channel to keep from a multi-channel file. Without it, multi-channel input is an error. */
  channel?: number;
  /** Required sample rate; a different rate is an error naming both. */
  expectedSampleRateHz?: number;
}
