import { Observable, type OperatorFunction } from 'rxjs';
import type { EngineEvent } from '../../engine/engine-events.js';
import { LatencyAccumulator, type LatencySummary } from '../latency-stats.js';

/** Running speed figures of a synthesis (METRICS.md names). */
export interface SpeedSnapshot extends LatencySummary {
  /** Audio seconds generated so far (seed excluded), per stream. */
  audioSeconds: number;
  /** Real-time factor so far: audio seconds / wall seconds since the start event. */
  rtf: number;
  /** Sum over streams of audio seconds / wall seconds. */
  aggregate_rtf: number;
  first_audio_ms: number | null;
  /** Last chunk's own compute time, microseconds. */
  chunk_us: number;
}

/**
 * Per-sample latency (p50/p99/max: a chunk's time divided evenly over its samples, or measured per sample
 * in step mode), rtf and first_audio_ms, updated after every generated chunk.
 *
 * @example
 * ```ts
 * run$.pipe(latencyStats(16000)).subscribe((s) => status(`rtf ${s.rtf.toFixed(1)} p99 ${s.latency_us_p99}`));
 * ```
 */
export function latencyStats(sampleRateHz: number): OperatorFunction<EngineEvent, SpeedSnapshot> {
  return (source) =>
    new Observable<SpeedSnapshot>((subscriber) => {
      const acc = new LatencyAccumulator();
      let began = -1;
      let firstAudio: number | null = null;
      let generated = 0;
      let streams = 1;
      const subscription = source.subscribe({
        next: (event) => {
          if (event.type === 'start') {
            began = performance.now();
            streams = event.streams;
            return;
          }
          if (event.type !== 'audio' || event.chunk.seed) return;
          const { chunk } = event;
          const n = chunk.samples[0]?.length ?? 0;
          if (firstAudio === null && began >= 0) firstAudio = performance.now() - began;
          if (chunk.stepUs) for (const us of chunk.stepUs) acc.add(us, 1);
          else acc.add(chunk.latencyUs, n);
          generated += n;
          const wall = began >= 0 ? (performance.now() - began) / 1000 : Number.NaN;
          const audioSeconds = generated / sampleRateHz;
          subscriber.next({
            ...acc.summary(),
            audioSeconds,
            rtf: audioSeconds / wall,
            aggregate_rtf: (audioSeconds * streams) / wall,
            first_audio_ms: firstAudio,
            chunk_us: chunk.computeUs,
          });
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
