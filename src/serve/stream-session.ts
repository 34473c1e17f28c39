import { connectable, Subject, type Subscription } from 'rxjs';
import type { Engine, RunOptions } from '../engine/engine.js';
import type { AudioChunk, EngineEvent } from '../engine/engine-events.js';
import type { PreparedPlan } from '../engine/prepare-plan.js';
import { driftFrames } from '../metrics/operators/drift-frames.js';
import { StreamingFidelity } from '../metrics/streaming-fidelity.js';
import { encodeAudioFrame, FRAME_GENERATED, FRAME_TRUTH, type ServerMessage, type StartMessage } from './protocol.js';

/** Where a session sends what it makes (the server's connection, or a test's collector). */
export interface SessionOutput {
  json(message: ServerMessage): void;
  binary(frame: Uint8Array): void;
}

/**
 * Samples per chunk of a stream. A worker's streams run as one batch, so a chunk's latency is about the
 * batch's compute: with many streams per worker, short chunks keep it low (bench:serve measures it).
 */
const STREAM_CHUNK_SAMPLES = 512;

/** Default of StartMessage.aheadMs: how far generation may run ahead of playback. */
export const DEFAULT_AHEAD_MS = 1000;

/**
 * One stream of a connection: it runs a plan on the shared engine and sends each chunk as it comes, with
 * drift frames (when there is a recording) and speed figures. Flow control: a chunk's credit goes back to
 * the engine only while the audio sent stays within `aheadMs` of what the client says it has played, so a
 * slow or paused client pauses generation instead of filling memory. stop() cancels at once.
 */
export class StreamSession {
  private readonly subscriptions: Subscription[] = [];
  private readonly held: Array<() => void> = [];
  private sentSamples = 0;
  private playedSamples = 0;
  private readonly aheadSamples: number;
  private releasedAt = 0;
  /** Chunk latencies so far, kept sorted: each chunk's stats read their p99 without sorting the whole stream's again. */
  private readonly chunkLatencies: number[] = [];
  private ended = false;
  private readonly began = performance.now();
  private firstAudioMs = -1;

  constructor(
    readonly id: string,
    private readonly engine: Engine,
    private readonly plan: PreparedPlan,
    private readonly request: StartMessage,
    private readonly out: SessionOutput,
    private readonly onEnd: () => void,
  ) {
    this.aheadSamples = Math.round(((request.aheadMs ?? DEFAULT_AHEAD_MS) / 1000) * engine.manifest.spec.sampleRateHz);
  }

  start(): void {
    const rate = this.engine.manifest.spec.sampleRateHz;
    const { plan, request } = this;
    const teacherForced = Boolean(request.teacherForced && plan.truth);
    this.out.json({ type: 'started', id: this.id, lengthSamples: plan.lengthSamples, seedSamples: plan.seed.length, hasTruth: Boolean(plan.truth), teacherForced, condition: plan.track.frames ? (plan.framesFromNetwork ? 'phones' : 'recording') : null });
    if (plan.truth) this.out.binary(encodeAudioFrame(FRAME_TRUTH, this.id, 0, plan.truth));
    const fidelity = plan.truth ? new StreamingFidelity({ truth: plan.truth, seedSamples: plan.seed.length, segments: plan.segments, mode: teacherForced ? 'teacher-forced' : 'free-running', sampleRateHz: rate }) : undefined;
    const options: RunOptions = {
      chunkSamples: STREAM_CHUNK_SAMPLES,
      firstChunkSamples: 256,
      teacherForced,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.rngSeed !== undefined ? { rngSeed: request.rngSeed } : {}),
    };
    this.releasedAt = performance.now();
    // One synthesis, two listeners (the audio and, with a recording, the drift): subscribe both, then connect.
    const run$ = connectable(this.engine.synthesize(plan, options), { connector: () => new Subject<EngineEvent>(), resetOnDisconnect: false });
    if (plan.truth) {
      this.subscriptions.push(
        run$.pipe(driftFrames({ truth: plan.truth, seedSamples: plan.seed.length, sampleRateHz: rate })).subscribe((f) => this.out.json({ type: 'drift', id: this.id, frame: f.frame, timeS: f.timeSeconds, melDistDb: f.melDistDb })),
      );
    }
    this.subscriptions.push(run$.subscribe({
      next: (event: EngineEvent) => {
        if (event.type === 'audio') this.onChunk(event.chunk, fidelity);
        else if (event.type === 'end') {
          const report = fidelity && fidelity.samples > 0 ? fidelity.report({ nonfinite: event.guard.nonfinite, clipped: event.guard.clipped }) : undefined;
          this.finish({ type: 'end', id: this.id, stopped: event.stopped, generatedSamples: event.generatedSamples, firstAudioMs: event.firstAudioMs, melDistDb: report ? report.mel_dist_db : null });
        }
      },
      error: (error: unknown) => {
        this.finish({ type: 'error', id: this.id, code: (error as { code?: string }).code ?? 'E_INTERNAL', message: String((error as Error).message ?? error).split('\n')[0] as string });
      },
    }));
    this.subscriptions.push(run$.connect());
  }

  private onChunk(chunk: AudioChunk, fidelity: StreamingFidelity | undefined): void {
    const samples = chunk.samples[0] as Float32Array;
    const now = performance.now();
    if (!chunk.seed) {
      insertSorted(this.chunkLatencies, now - this.releasedAt);
      if (this.firstAudioMs < 0) this.firstAudioMs = now - this.began;
    }
    this.out.binary(encodeAudioFrame(FRAME_GENERATED, this.id, chunk.startSample, samples));
    this.sentSamples = chunk.startSample + samples.length;
    fidelity?.push(samples, chunk.startSample);
    if (!chunk.seed) {
      const audioSeconds = this.sentSamples / this.engine.manifest.spec.sampleRateHz;
      const sorted = this.chunkLatencies;
      this.out.json({
        type: 'stats', id: this.id, audioSeconds, rtf: audioSeconds / ((now - this.began) / 1000),
        chunkLatencyMs: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] as number, firstAudioMs: this.firstAudioMs,
      });
    }
    this.held.push(chunk.retain());
    this.releaseWithinBudget();
  }

  /** The client has played this many samples: generation may go on up to aheadMs beyond them. */
  played(samples: number): void {
    this.playedSamples = Math.max(this.playedSamples, Math.min(samples, this.sentSamples));
    this.releaseWithinBudget();
  }

  private releaseWithinBudget(): void {
    while (this.held.length > 0 && this.sentSamples - this.playedSamples <= this.aheadSamples) {
      (this.held.shift() as () => void)();
      this.releasedAt = performance.now();
    }
  }

  /** Cancel now (Stop, or the client went away). */
  stop(): void {
    if (this.ended) return;
    for (const s of this.subscriptions) s.unsubscribe();
    this.finish({ type: 'end', id: this.id, stopped: true, generatedSamples: Math.max(0, this.sentSamples - this.plan.seed.length), firstAudioMs: this.firstAudioMs, melDistDb: null });
  }

  private finish(message: ServerMessage): void {
    if (this.ended) return;
    this.ended = true;
    this.held.length = 0;
    this.out.json(message);
    this.onEnd();
  }
}

/** Insert `value` into ascending `sorted` (binary search for the place, then one move). */
function insertSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}
