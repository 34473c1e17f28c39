import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { EngineEvent } from '../../engine/engine-events.js';
import type { AudioSink } from '../audio-sink.js';

/**
 * Writes every audio chunk of one stream to a sink and passes all events on unchanged. Each chunk is
 * retained until the sink has taken it, which is how a slow sink slows generation; the sink is closed
 * when the synthesis completes (after the last write) and on unsubscription.
 *
 * Use one per sink, after `share()` when several sinks listen to one synthesis.
 *
 * @example
 * ```ts
 * const run$ = engine.synthesize(plan).pipe(share());
 * run$.pipe(writeToSink(new WavFileSink('out.wav', 16000))).subscribe();
 * ```
 * @param sink Where the samples go.
 * @param stream Which stream of a multi-stream synthesis (default 0).
 */
export function writeToSink(sink: AudioSink, stream = 0): MonoTypeOperatorFunction<EngineEvent> {
  return (source) =>
    new Observable<EngineEvent>((subscriber) => {
      let pending: Promise<void> = Promise.resolve();
      let failed = false;
      const subscription = source.subscribe({
        next: (event) => {
          if (event.type === 'audio' && !sink.gone) {
            const samples = event.chunk.samples[stream];
            if (samples) {
              const release = event.chunk.retain();
              pending = pending
                .then(() => sink.write(samples))
                .then(release, (error: unknown) => {
                  release();
                  if (!failed) {
                    failed = true;
                    subscriber.error(error);
                  }
                });
            }
          }
          subscriber.next(event);
        },
        error: (error: unknown) => {
          void pending.finally(() => subscriber.error(error));
        },
        complete: () => {
          void pending
            .then(() => sink.close())
            .then(
              () => subscriber.complete(),
              (error: unknown) => subscriber.error(error),
            );
        },
      });
      return () => subscription.unsubscribe();
    });
}
