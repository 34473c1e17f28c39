import type { CliContext } from './cli-context.js';
import type { OpenedSink } from './open-sinks.js';

/**
 * Wait for a synthesis to finish or for Ctrl-C / SIGTERM, whichever comes first, then `stop` it. If it
 * failed, the sinks are aborted (no half-written file stays) and the error is thrown. Returns how it ended
 * and the signal, if one came.
 */
export async function runUntilSignal<T extends string>(finished: Promise<T>, context: CliContext, sinks: readonly OpenedSink[], stop: () => void): Promise<{ outcome: T | 'signal'; signal: NodeJS.Signals | undefined }> {
  let signal: NodeJS.Signals | undefined;
  const signalled = new Promise<'signal'>((resolve) => {
    const unregister = context.onSignal((s) => {
      signal = s;
      unregister();
      resolve('signal');
    });
    void finished.finally(unregister).catch(() => undefined);
  });
  let outcome: T | 'signal';
  try {
    outcome = await Promise.race([finished, signalled]);
  } catch (error) {
    stop();
    for (const { sink } of sinks) (sink as { abort?: () => void }).abort?.();
    throw error;
  }
  stop();
  return { outcome, signal };
}

/** Close sinks a run left open (stopped by a signal, or its output went away): synchronously where a sink can, so a WAV is valid even if the process ends next. */
export async function closeSinksNow(sinks: readonly OpenedSink[]): Promise<void> {
  for (const { sink } of sinks) {
    const wav = sink as { closeSync?: () => void };
    if (wav.closeSync) wav.closeSync();
    else await sink.close();
  }
}
