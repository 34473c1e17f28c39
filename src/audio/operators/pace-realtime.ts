import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { EngineEvent } from '../../engine/engine-events.js';

export interface PaceOptions {
  sampleRateHz: number;
  /** Called each time a chunk arrives after its playing time (a real-time sink would have run dry). */
  onUnderrun?: (lateMs: number) => void;
  scheduler?: SchedulerLike;
}

/**
 * Releases audio no faster than real time: a chunk starting at sample s waits until s / rate seconds after
 * the first chunk. While a chunk waits it is retained, so generation pauses too (bounded memory). A chunk
 * that arrives late counts as an underrun.
 *
 * Use it with `--realtime` when piping to programs that expect live audio.
 *
 * @example
 * ```ts
 * run$.pipe(paceRealtime({ sampleRateHz: 16000 }), writeToSink(stdoutSink)).subscribe();
 * ```
 */
export function paceRealtime(options: PaceOptions): MonoTypeOperatorFunction<EngineEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<EngineEvent>((subscriber) => {
      let origin = -1;
      let chain = Promise.resolve();
      const subscription = source.subscribe({
        next: (event) => {
          if (event.type !== 'audio') {
            chain = chain.then(() => subscriber.next(event));
            return;
          }
          const release = event.chunk.retain();
          chain = chain.then(
            () =>
              new Promise<void>((resolve) => {
                const now = scheduler.now();
                if (origin < 0) origin = now;
                const due = origin + (event.chunk.startSample / options.sampleRateHz) * 1000;
                const wait = due - now;
                if (wait < -1 && event.chunk.startSample > 0) options.onUnderrun?.(-wait);
                scheduler.schedule(() => {
                  subscriber.next(event);
                  release();
                  resolve();
                }, Math.max(0, wait));
              }),
          );
        },
        error: (error: unknown) => void chain.then(() => subscriber.error(error)),
        complete: () => void chain.then(() => subscriber.complete()),
      });
      return () => subscription.unsubscribe();
    });
}
