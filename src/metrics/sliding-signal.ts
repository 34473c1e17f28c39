/**
 * The recent part of a signal that arrives in chunks: frame measures of a long synthesis need only the
 * last few hundred samples, so memory stays bounded by the chunk size, not the utterance length.
 * Positions are absolute sample indices; `data[i - offset]` holds sample i for offset <= i < end.
 */
export class SlidingSignal {
  data: Float32Array;
  /** Absolute index of data[0]. */
  offset: number;
  /** One past the last sample written. */
  end: number;

  constructor(startSample = 0, capacitySamples = 4096) {
    this.data = new Float32Array(capacitySamples);
    this.offset = startSample;
    this.end = startSample;
  }

  /**
   * Append `samples` that start at `startSample` (must continue the signal; anything before `end` is
   * ignored), first dropping what precedes `keepFrom`.
   */
  write(samples: Float32Array, startSample: number, keepFrom: number): void {
    if (startSample > this.end) throw new RangeError(`a gap in the signal: samples ${this.end}-${startSample - 1} never arrived`);
    const skip = Math.max(0, this.end - startSample);
    if (skip >= samples.length) return;
    const keep = Math.min(Math.max(keepFrom, this.offset), this.end);
    const kept = this.end - keep;
    const needed = kept + samples.length - skip;
    if (needed > this.data.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.data.length));
      grown.set(this.data.subarray(keep - this.offset, this.end - this.offset));
      this.data = grown;
    } else if (keep > this.offset) {
      this.data.copyWithin(0, keep - this.offset, this.end - this.offset);
    }
    this.offset = keep;
    this.data.set(samples.subarray(skip), kept);
    this.end += samples.length - skip;
  }
}
