import type { GuardCounts } from './generator.js';

/** A chunk of audio on its way to the sinks. */
export interface AudioChunk {
  index: number;
  /** Absolute index of the chunk's first sample in the utterance. */
  startSample: number;
  /** One array per stream. */
  samples: Float32Array[];
  /** True for the seed samples, which were copied from the recording, not generated. */
  seed: boolean;
  /** Graph time for the chunk (0 for the seed), microseconds. */
  computeUs: number;
  /** Per-sample latency: the chunk's time divided evenly over its samples (step mode: measured per sample). */
  latencyUs: number;
  stepUs?: Float64Array;
  /**
   * A sink that finishes with the chunk later (an asynchronous write) calls retain() while handling the
   * event and the returned release() when done; the engine generates further only as chunks are released.
   */
  retain(): () => void;
}

export interface SynthesisStart {
  type: 'start';
  sampleRateHz: number;
  lengthSamples: number;
  seedSamples: number;
  streams: number;
  mode: 'chunk' | 'step';
  teacherForced: boolean;
}

export interface SynthesisEnd {
  type: 'end';
  /** Samples generated per stream (seed excluded). */
  generatedSamples: number;
  guard: GuardCounts;
  /** True when the run was stopped before the end of the utterance. */
  stopped: boolean;
  /** From the start call to the first generated samples, ms. */
  firstAudioMs: number;
  /** Wall seconds from start to end. */
  wallSeconds: number;
  /** Seconds spent inside graph calls. */
  computeSeconds: number;
}

export type EngineEvent = SynthesisStart | { type: 'audio'; chunk: AudioChunk } | SynthesisEnd;
