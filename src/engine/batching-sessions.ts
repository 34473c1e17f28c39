import type { ChunkFeeds, ChunkResult, ModelSessions, StepFeeds, StepResult } from './model-sessions.js';

interface Pending {
  feeds: ChunkFeeds;
  resolve: (result: ChunkResult) => void;
  reject: (error: unknown) => void;
}

/** How long a chunk request waits for others to join its batch, at most (ms). */
const GATHER_MS = 2;

/**
 * Dynamic batching: several generators (different plans, positions and seeds) share one model, and their
 * chunk requests that arrive together run as one call with their streams side by side, so the weights are
 * read once for all of them. Requests batch when they agree on what a call fixes (samples per call,
 * temperature, teacher forcing); the others run in their own calls. The rows are time-major [N, B, .], so
 * the streams of each request are interleaved per sample and the results split back the same way.
 */
export class BatchingSessions implements ModelSessions {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Runs that are generating now (the batch closes early once all of them have asked). */
  private expected = 0;
  private running = false;
  /** Calls made and streams per call, for the figures. */
  readonly stats = { calls: 0, streams: 0 };

  constructor(private readonly inner: ModelSessions) {}

  /** How many runs may ask for a chunk: a batch fills when that many requests are waiting. */
  setExpected(count: number): void {
    this.expected = count;
    if (this.queue.length >= this.expected && this.queue.length > 0) this.schedule(0);
  }

  runChunk(feeds: ChunkFeeds): Promise<ChunkResult> {
    return new Promise<ChunkResult>((resolve, reject) => {
      this.queue.push({ feeds, resolve, reject });
      this.schedule(this.queue.length >= this.expected ? 0 : GATHER_MS);
    });
  }

  private schedule(delayMs: number): void {
    if (this.running) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const taken = this.queue;
    this.queue = [];
    try {
      const groups = new Map<string, Pending[]>();
      for (const p of taken) {
        const f = p.feeds;
        const key = `${f.samples}:${f.temperature}:${f.teacherForcing}`;
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      for (const group of groups.values()) await this.runGroup(group);
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule(this.queue.length >= this.expected ? 0 : GATHER_MS);
    }
  }

  private async runGroup(group: Pending[]): Promise<void> {
    const first = (group[0] as Pending).feeds;
    if (group.length === 1) {
      this.stats.calls++;
      this.stats.streams += first.streams;
      try {
        (group[0] as Pending).resolve(await this.inner.runChunk(first));
      } catch (error) {
        (group[0] as Pending).reject(error);
      }
      return;
    }
    const N = first.samples;
    const B = group.reduce((n, p) => n + p.feeds.streams, 0);
    const offsets: number[] = [];
    let at = 0;
    for (const p of group) {
      offsets.push(at);
      at += p.feeds.streams;
    }
    // Per-stream blocks ([B, w]) concatenate; per-sample rows ([N, B, w]) interleave by time.
    const blocks = (pick: (f: ChunkFeeds) => Float32Array): Float32Array => {
      const parts = group.map((p) => pick(p.feeds));
      const out = new Float32Array(parts.reduce((n, x) => n + x.length, 0));
      let o = 0;
      for (const x of parts) {
        out.set(x, o);
        o += x.length;
      }
      return out;
    };
    const rows = (pick: (f: ChunkFeeds) => Float32Array | undefined, width: number): Float32Array => {
      const out = new Float32Array(N * B * width);
      group.forEach((p, g) => {
        const src = pick(p.feeds) as Float32Array;
        const b = p.feeds.streams;
        for (let t = 0; t < N; t++) out.set(src.subarray(t * b * width, (t + 1) * b * width), (t * B + (offsets[g] as number)) * width);
      });
      return out;
    };
    const F = first.features.length / (N * first.streams);
    const order = first.lpc ? first.lpc.length / (N * first.streams) : 0;
    const feeds: ChunkFeeds = {
      features: rows((f) => f.features, F),
      window: blocks((f) => f.window),
      state: blocks((f) => f.state),
      uniforms: rows((f) => f.uniforms, 1),
      temperature: first.temperature,
      truth: rows((f) => f.truth, 1),
      teacherForcing: first.teacherForcing,
      samples: N,
      streams: B,
      ...(first.lpc ? { lpc: rows((f) => f.lpc, order) } : {}),
      ...(first.lags ? { lags: rows((f) => f.lags, 1) } : {}),
      ...(first.sharpness ? { sharpness: rows((f) => f.sharpness, 1) } : {}),
    };
    this.stats.calls++;
    this.stats.streams += B;
    let result: ChunkResult;
    try {
      result = await this.inner.runChunk(feeds);
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    const windowWidth = first.window.length / first.streams;
    const stateWidth = first.state.length / first.streams;
    group.forEach((p, g) => {
      const b = p.feeds.streams;
      const o = offsets[g] as number;
      const perSample = (x: Float32Array): Float32Array => {
        const out = new Float32Array(N * b);
        for (let t = 0; t < N; t++) out.set(x.subarray(t * B + o, t * B + o + b), t * b);
        return out;
      };
      p.resolve({
        samples: perSample(result.samples),
        raw: perSample(result.raw),
        window: result.window.slice(o * windowWidth, (o + b) * windowWidth),
        state: result.state.slice(o * stateWidth, (o + b) * stateWidth),
      });
    });
  }

  /** Step mode is one call per sample: it is not batched. */
  runStep(feeds: StepFeeds): Promise<StepResult> {
    return this.inner.runStep(feeds);
  }

  async dispose(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.inner.dispose();
  }
}
