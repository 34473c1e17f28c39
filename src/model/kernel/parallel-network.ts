import { Worker } from 'node:worker_threads';
import type { FeatureLayout } from '../../data/features/feature-layout.js';
import { allocateBatch, type BatchShape, type TrainingBatch } from '../../data/features/stream-batcher.js';
import { outputWidth, type ModelSpec, type Weights } from '../model-spec.js';
import type { KernelRequest, KernelWorkerData } from './kernel-worker.js';
import type { KernelVariant } from './training-kernel.js';
import type { StepResult, TrainingNetwork, TrainStepOptions } from './training-network.js';

/** A request without its id (the id is added when it is sent). */
type KernelRequestBody = KernelRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The compiled worker (the same path from src/ and dist/). */
const WORKER_URL = new URL('../../../dist/model/kernel/kernel-worker.js', import.meta.url);

interface Part {
  worker: Worker;
  first: number;
  streams: number;
  batch: TrainingBatch;
  pending: Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>;
}

/** The shares' losses as one: the mean over all real targets. */
function pool(results: readonly StepResult[]): StepResult {
  const count = results.reduce((n, r) => n + r.count, 0);
  return { loss: count > 0 ? results.reduce((s, r) => s + r.loss * r.count, 0) / count : 0, count };
}

/**
 * Data-parallel training on worker threads: the B streams are split into contiguous shares, each share runs
 * the WebAssembly kernel in its own thread, and the loss and gradients are combined weighted by each share's
 * real targets, which gives the same gradient as one kernel over all B streams (up to float summation
 * order). Results repeat exactly for the same seed and thread count.
 */
export class ParallelNetwork implements TrainingNetwork {
  private requestId = 0;
  private combined: Weights = new Map();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly parts: Part[],
    readonly spec: ModelSpec,
    readonly shape: BatchShape,
  ) {}

  static async create(spec: ModelSpec, layout: FeatureLayout, shape: BatchShape, threads: number, variant: KernelVariant): Promise<ParallelNetwork> {
    const n = Math.max(1, Math.min(threads, shape.batch));
    const parts: Part[] = [];
    for (let p = 0; p < n; p++) {
      const first = Math.floor((p * shape.batch) / n);
      const streams = Math.floor(((p + 1) * shape.batch) / n) - first;
      const partShape = { ...shape, batch: streams };
      const data: KernelWorkerData = { spec, layout, shape: partShape, variant };
      const worker = new Worker(WORKER_URL, { workerData: data });
      const part: Part = { worker, first, streams, batch: allocateBatch(partShape, layout), pending: new Map() };
      worker.on('message', (m: Record<string, unknown>) => {
        const waiter = part.pending.get(m['id'] as number);
        if (!waiter) return;
        part.pending.delete(m['id'] as number);
        if (m['error']) waiter.reject(new Error(`training worker: ${m['error'] as string}`));
        else waiter.resolve(m);
      });
      worker.on('error', (error) => {
        for (const w of part.pending.values()) w.reject(error);
        part.pending.clear();
      });
      parts.push(part);
    }
    return new ParallelNetwork(parts, spec, shape);
  }

  get threads(): number {
    return this.parts.length;
  }

  private call(part: Part, request: KernelRequestBody, transfer: ArrayBuffer[] = []): Promise<Record<string, unknown>> {
    const id = ++this.requestId;
    return new Promise((resolve, reject) => {
      part.pending.set(id, { resolve, reject });
      part.worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Run after everything queued before (weights, state changes), so calls never overtake each other. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Copy streams [first, first + streams) of a time-major batch into a part's batch. */
  private slice(batch: TrainingBatch, part: Part): TrainingBatch {
    const { batch: B, steps: T, k } = this.shape;
    const out = part.batch;
    const span = k + T;
    out.source.set(batch.source.subarray(part.first * span, (part.first + part.streams) * span));
    const S = out.ids.length / (T * part.streams);
    const D = out.dense.length / (T * part.streams);
    let real = 0;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < part.streams; b++) {
        const from = t * B + part.first + b;
        const to = t * part.streams + b;
        for (let s = 0; s < S; s++) out.ids[to * S + s] = batch.ids[from * S + s] as number;
        for (let d = 0; d < D; d++) out.dense[to * D + d] = batch.dense[from * D + d] as number;
        out.target[to] = batch.target[from] as number;
        out.level[to] = batch.level[from] as number;
        out.mask[to] = batch.mask[from] as number;
        real += out.mask[to] as number;
      }
    }
    out.realCount = real;
    return out;
  }

  setWeights(weights: Weights): void {
    void this.enqueue(() => Promise.all(this.parts.map((p) => this.call(p, { op: 'weights', weights }))));
  }

  trainStep(batch: TrainingBatch, options: TrainStepOptions = {}): Promise<StepResult> {
    return this.enqueue(async () => {
      const replies = await Promise.all(
        this.parts.map((p, i) => this.call(p, { op: 'train', batch: this.slice(batch, p), keep: options.keep ?? 1, dropoutSeed: ((options.dropoutSeed ?? 1) + i * 0x9e3779b9) >>> 0 })),
      );
      const results = replies.map((r) => r['result'] as StepResult);
      const pooled = pool(results);
      const total = pooled.count;
      const combined: Weights = new Map();
      replies.forEach((reply, i) => {
        const weight = total > 0 ? (results[i] as StepResult).count / total : 0;
        for (const [name, g] of reply['grads'] as Weights) {
          const acc = combined.get(name) ?? new Float32Array(g.length);
          for (let j = 0; j < g.length; j++) acc[j] = (acc[j] as number) + (g[j] as number) * weight;
          combined.set(name, acc);
        }
      });
      this.combined = combined;
      return pooled;
    });
  }

  gradients(): Weights {
    return this.combined;
  }

  evaluate(batch: TrainingBatch): Promise<StepResult> {
    return this.enqueue(async () => {
      const replies = await Promise.all(this.parts.map((p) => this.call(p, { op: 'evaluate', batch: this.slice(batch, p) })));
      return pool(replies.map((r) => r['result'] as StepResult));
    });
  }

  predict(batch: TrainingBatch): Promise<Float32Array> {
    return this.enqueue(async () => {
      const { batch: B, steps: T } = this.shape;
      const O = outputWidth(this.spec);
      const out = new Float32Array(T * B * O);
      const replies = await Promise.all(this.parts.map((p) => this.call(p, { op: 'predict', batch: this.slice(batch, p) })));
      replies.forEach((reply, i) => {
        const part = this.parts[i] as Part;
        const rows = reply['predictions'] as Float32Array;
        for (let t = 0; t < T; t++) {
          out.set(rows.subarray(t * part.streams * O, (t + 1) * part.streams * O), (t * B + part.first) * O);
        }
      });
      return out;
    });
  }

  resetState(): void {
    void this.enqueue(() => Promise.all(this.parts.map((p) => this.call(p, { op: 'reset' }))));
  }

  /** The carried state as the single-kernel layout: per layer h then c, each [B*H]. */
  async getStateAsync(): Promise<Float32Array[]> {
    return this.enqueue(async () => {
      const parts = (await Promise.all(this.parts.map((p) => this.call(p, { op: 'getState' })))).map((r) => r['state'] as Float32Array[]);
      const H = this.spec.hidden;
      return (parts[0] as Float32Array[]).map((_, k) => {
        const whole = new Float32Array(this.shape.batch * H);
        parts.forEach((state, i) => whole.set(state[k] as Float32Array, (this.parts[i] as Part).first * H));
        return whole;
      });
    });
  }

  getState(): Float32Array[] {
    throw new Error('use getStateAsync on a ParallelNetwork');
  }

  setState(state: readonly Float32Array[]): void {
    const H = this.spec.hidden;
    void this.enqueue(() =>
      Promise.all(this.parts.map((p) => this.call(p, { op: 'setState', state: state.map((s) => s.slice(p.first * H, (p.first + p.streams) * H)) }))),
    );
  }

  async dispose(): Promise<void> {
    await this.queue;
    await Promise.all(this.parts.map((p) => p.worker.terminate()));
  }
}
