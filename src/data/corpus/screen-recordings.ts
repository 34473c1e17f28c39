import { FormatError, isSynthError } from '../../core/errors.js';
import { readAudioFile } from '../audio/read-audio.js';
import { checkRecording, levelProblems, rmsDb, type RecordingProblem } from '../audio/recording-checks.js';
import type { UtteranceRef } from './corpus-types.js';

export interface ScreenedUtterances {
  usable: UtteranceRef[];
  /** Utterances left out, with a one-line reason that names the kind of problem. */
  skipped: Array<{ id: string; reason: string; kinds: string[] }>;
}

/**
 * Check the recordings of a set of utterances before they are trained on or scored (recording-checks.ts):
 * one with a problem is left out with a reason (`onBad: 'skip'`), or stops the run with a FormatError
 * (`'stop'`). Unreadable files pass through: the reader reports them where they are used.
 */
export async function screenRecordings(refs: readonly UtteranceRef[], onBad: 'skip' | 'stop'): Promise<ScreenedUtterances> {
  const problems = new Map<string, RecordingProblem[]>();
  const levels = new Map<string, number>();
  for (const ref of refs) {
    try {
      const audio = await readAudioFile(ref.audioPath);
      const found = checkRecording(audio.samples);
      if (found.length > 0) problems.set(ref.id, found);
      levels.set(ref.id, rmsDb(audio.samples));
    } catch (error) {
      if (!isSynthError(error)) throw error;
    }
  }
  for (const [id, p] of levelProblems(levels)) problems.set(id, [...(problems.get(id) ?? []), p]);
  const usable: UtteranceRef[] = [];
  const skipped: ScreenedUtterances['skipped'] = [];
  for (const ref of refs) {
    const found = problems.get(ref.id);
    if (!found) {
      usable.push(ref);
      continue;
    }
    const reason = `damaged recording (${found.map((p) => `${p.kind}: ${p.message}`).join('; ')})`;
    if (onBad === 'stop') {
      throw new FormatError({ code: 'E_RECORDING_DAMAGED', where: ref.audioPath, message: reason, hint: 'repair the corpus with `synth data repair DIR --out DIR2`, or leave --on-bad-utterance at skip' });
    }
    skipped.push({ id: ref.id, reason, kinds: found.map((p) => p.kind) });
  }
  return { usable, skipped };
}
