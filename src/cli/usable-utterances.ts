import type { UtteranceRef } from '../data/corpus/corpus-types.js';
import type { CliContext } from './cli-context.js';

/**
 * The utterances of a command whose recordings pass the checks (screen-recordings.ts); each one left out
 * gets a one-line note that names it and the kind of problem.
 */
export async function usableUtterances(refs: readonly UtteranceRef[], context: CliContext, onBad: 'skip' | 'stop' = 'skip'): Promise<UtteranceRef[]> {
  const { screenRecordings } = await import('../data/corpus/screen-recordings.js');
  const screened = await screenRecordings(refs, onBad);
  for (const s of screened.skipped) context.stderr.write(`synth: note: skipped ${s.id}: ${s.reason}\n`);
  return screened.usable;
}
