import { Observable, type Subscription } from 'rxjs';
import type { Engine, RunOptions } from './engine.js';
import type { EngineEvent } from './engine-events.js';
import type { PreparedPlan } from './prepare-plan.js';
import { textSentencePlan, type TextFrontEnd } from './text-plan.js';

/** What the text front end reports as it goes (warnings and guessed words), sentence by sentence. */
export interface TextProgress {
  onWarning?(message: string): void;
  onSentence?(info: { index: number; source: string; seconds: number; guessed: string[] }): void;
}

/**
 * Speech for a stream of sentences, as one cold Observable of engine events: each sentence is planned
 * (normalized, pronounced, paused and timed) while the one before it plays, and synthesized on its own, so
 * memory holds two sentences whatever the length of the text. Unsubscribing stops at once.
 */
export function synthesizeText$(engine: Engine, frontEnd: TextFrontEnd, sentences: AsyncIterable<string>, options: RunOptions = {}, progress: TextProgress = {}): Observable<EngineEvent> {
  return new Observable<EngineEvent>((subscriber) => {
    let stopped = false;
    let inner: Subscription | undefined;
    let index = 0;
    async function* plans(): AsyncGenerator<PreparedPlan> {
      for await (const text of sentences) {
        const normalized = frontEnd.normalize(text);
        for (const w of normalized.warnings) progress.onWarning?.(w);
        for (const sentence of normalized.sentences) {
          const planned = await frontEnd.plan(sentence);
          const plan = textSentencePlan(engine.manifest, planned);
          progress.onSentence?.({ index: index++, source: sentence.source, seconds: plan.lengthSamples / engine.manifest.spec.sampleRateHz, guessed: planned.guessed });
          yield plan;
        }
      }
    }
    const run = async (): Promise<void> => {
      const it = plans();
      let next = it.next();
      while (!stopped) {
        const current = await next;
        if (current.done || stopped) break;
        // Plan the next sentence while this one is generated.
        next = it.next();
        await new Promise<void>((resolve, reject) => {
          inner = engine.synthesize(current.value, options).subscribe({ next: (e) => subscriber.next(e), error: reject, complete: resolve });
        });
      }
      await it.return(undefined);
    };
    run().then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      stopped = true;
      inner?.unsubscribe();
    };
  });
}
