/** Where audio goes: a file, a pipe, a sound card. One stream of float samples in [-1, 1). */
export interface AudioSink {
  readonly name: string;
  /** Write samples; resolves when the sink has taken them (so a slow sink slows generation). */
  write(samples: Float32Array): Promise<void>;
  /** Flush and close. Safe to call twice. */
  close(): Promise<void>;
  /** True once the far end went away (a closed pipe): the run should end quietly. */
  readonly gone: boolean;
}
