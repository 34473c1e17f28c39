/** Latency percentiles of METRICS.md, from per-sample latencies in microseconds. */
export interface LatencySummary {
  latency_us_p50: number;
  latency_us_p99: number;
  latency_us_max: number;
  samples: number;
}

/**
 * Accumulates per-sample latencies without keeping every sample: a chunk of n samples that took t us
 * counts as n samples of t/n us (METRICS.md), so storing (value, weight) pairs per chunk is exact.
 */
export class LatencyAccumulator {
  private values: number[] = [];
  private weights: number[] = [];
  private total = 0;
  private max = 0;

  /** Record `count` samples that each took `latencyUs`. */
  add(latencyUs: number, count = 1): void {
    this.values.push(latencyUs);
    this.weights.push(count);
    this.total += count;
    if (latencyUs > this.max) this.max = latencyUs;
  }

  reset(): void {
    this.values = [];
    this.weights = [];
    this.total = 0;
    this.max = 0;
  }

  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const order = this.values.map((_, i) => i).sort((a, b) => (this.values[a] as number) - (this.values[b] as number));
    const target = (p / 100) * this.total;
    let seen = 0;
    for (const i of order) {
      seen += this.weights[i] as number;
      if (seen >= target) return this.values[i] as number;
    }
    return this.values[order[order.length - 1] as number] as number;
  }

  summary(): LatencySummary {
    return { latency_us_p50: this.percentile(50), latency_us_p99: this.percentile(99), latency_us_max: this.max, samples: this.total };
  }
}
