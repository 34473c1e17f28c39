import { Observable, type Subscription } from 'rxjs';
import { Engine, type EngineOptions, type RunOptions } from './engine.js';
import type { AudioChunk, EngineEvent, SynthesisEnd } from './engine-events.js';
import type { GenerationPlan } from './generation-plan.js';
import type { GuardCounts } from './generator.js';
import { retainedChunk } from './retained-chunk.js';

/**
 * Several engines (one worker thread each) that share the streams of one synthesis: with W workers and B
 * streams, worker w runs streams [w*B/W, (w+1)*B/W) as one batch (weights reused across its streams), and
 * the pool merges their chunks back into B-stream chunks. Stream b draws from seed rngSeed + b whichever
 * worker runs it, so the audio is the same as with one worker.
 */
export class EnginePool {
  private constructor(readonly engines: readonly Engine[]) {}

  static async load(bundleDir: string, workers: number, options: EngineOptions = {}): Promise<EnginePool> {
    const engines: Engine[] = [];
    try {
      for (let w = 0; w < workers; w++) engines.push(await Engine.load(bundleDir, options));
    } catch (error) {
      await Promise.all(engines.map((e) => e.dispose()));
      throw error;
    }
    return new EnginePool(engines);
  }

  get manifest(): Engine['manifest'] {
    return (this.engines[0] as Engine).manifest;
  }

  get backend(): string {
    return (this.engines[0] as Engine).backend;
  }

  /** Which streams each worker runs: contiguous shares, as even as possible (empty shares are skipped). */
  static shares(streams: number, workers: number): Array<{ first: number; count: number }> {
    const out: Array<{ first: number; count: number }> = [];
    for (let w = 0; w < workers; w++) {
      const first = Math.floor((w * streams) / workers);
      const count = Math.floor(((w + 1) * streams) / workers) - first;
      if (count > 0) out.push({ first, count });
    }
    return out;
  }

  /** One synthesis over all workers; events as Engine.synthesize emits them, for all streams together. */
  synthesize(plan: GenerationPlan, options: RunOptions = {}): Observable<EngineEvent> {
    return new Observable<EngineEvent>((subscriber) => {
      const streams = options.streams ?? 1;
      const rngSeed = options.rngSeed ?? 1;
      const shares = EnginePool.shares(streams, this.engines.length);
      const pending = new Map<number, { parts: Array<AudioChunk | undefined>; arrived: number }>();
      const ends: Array<SynthesisEnd | undefined> = shares.map(() => undefined);
      let started = false;
      const subscriptions: Subscription[] = [];
      const onAudio = (share: number, chunk: AudioChunk): void => {
        const entry = pending.get(chunk.index) ?? { parts: shares.map(() => undefined), arrived: 0 };
        // Hold the worker's chunk until every share of it has arrived: its credit returns when all are released.
        const release = chunk.retain();
        entry.parts[share] = { ...chunk, retain: () => release };
        entry.arrived++;
        pending.set(chunk.index, entry);
        if (entry.arrived < shares.length) return;
        pending.delete(chunk.index);
        const parts = entry.parts as AudioChunk[];
        const releases = parts.map((p) => p.retain());
        const first = parts[0] as AudioChunk;
        const merged = retainedChunk(
          {
            index: first.index,
            startSample: first.startSample,
            samples: parts.flatMap((p) => p.samples),
            seed: first.seed,
            computeUs: Math.max(...parts.map((p) => p.computeUs)),
            latencyUs: Math.max(...parts.map((p) => p.latencyUs)),
          },
          () => {
            for (const r of releases) r();
          },
        );
        subscriber.next({ type: 'audio', chunk: merged.chunk });
        merged.emitted();
      };
      const onEnd = (share: number, end: SynthesisEnd): void => {
        ends[share] = end;
        if (ends.some((e) => e === undefined)) return;
        const all = ends as SynthesisEnd[];
        const guard: GuardCounts = { nonfinite: 0, clipped: 0, firstGuardedSample: -1, firstGuardedKind: null };
        for (const e of all) {
          guard.nonfinite += e.guard.nonfinite;
          guard.clipped += e.guard.clipped;
          if (e.guard.firstGuardedSample >= 0 && (guard.firstGuardedSample < 0 || e.guard.firstGuardedSample < guard.firstGuardedSample)) {
            guard.firstGuardedSample = e.guard.firstGuardedSample;
            guard.firstGuardedKind = e.guard.firstGuardedKind;
          }
        }
        subscriber.next({
          type: 'end',
          generatedSamples: all[0]!.generatedSamples,
          guard,
          stopped: all.some((e) => e.stopped),
          firstAudioMs: Math.max(...all.map((e) => e.firstAudioMs)),
          wallSeconds: Math.max(...all.map((e) => e.wallSeconds)),
          computeSeconds: all.reduce((s, e) => s + e.computeSeconds, 0),
        });
        subscriber.complete();
      };
      shares.forEach((share, index) => {
        const engine = this.engines[index] as Engine;
        subscriptions.push(
          engine.synthesize(plan, { ...options, streams: share.count, rngSeed: rngSeed + share.first }).subscribe({
            next: (event) => {
              if (event.type === 'start') {
                if (!started) subscriber.next({ ...event, streams });
                started = true;
              } else if (event.type === 'audio') onAudio(index, event.chunk);
              else onEnd(index, event);
            },
            error: (error: unknown) => subscriber.error(error),
          }),
        );
      });
      return () => {
        for (const s of subscriptions) s.unsubscribe();
      };
    });
  }

  async dispose(): Promise<void> {
    await Promise.all(this.engines.map((e) => e.dispose()));
  }
}
