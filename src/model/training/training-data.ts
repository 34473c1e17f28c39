import { TrainingError, isSynthError } from '../../core/errors.js';
import type { UtteranceRef } from '../../data/corpus/corpus-types.js';
import { loadUtterance } from '../../data/corpus/load-utterance.js';
import { excitationFrames, measureAcousticFrames } from '../../data/features/acoustic-frames.js';
import { buildPhoneTrack, type ProsodyTrack } from '../../data/features/phone-track.js';
import type { TrainingSequence } from '../../data/features/stream-batcher.js';
import { mapPhonesToSet } from '../../data/phones/phone-mapping.js';
import { preEmphasize } from '../../dsp/emphasis.js';
import type { PhoneSet } from '../../data/phones/phone-sets.js';
import type { BadUtterancePolicy } from './training-config.js';

export interface LoadedSequences {
  sequences: TrainingSequence[];
  skipped: Array<{ id: string; reason: string }>;
  notes: string[];
}

export interface LoadSequencesOptions {
  sampleRateHz: number;
  phoneSet: PhoneSet;
  onBad: BadUtterancePolicy;
  /** Model the pre-emphasized signal s[n] - a s[n-1] (0 = off). Features come from the original. */
  preEmphasis?: number;
  /** Pitch features per utterance, when the feature set needs them. */
  prosodyOf?: (samples: Float32Array, sampleRateHz: number) => ProsodyTrack;
  /** Measure the acoustic frame features (and their predictors and pitch lags): acoustic feature sets. */
  acoustic?: boolean;
}

/**
 * Read utterances for training: audio at the model's rate, phones mapped onto its set. An unreadable or
 * non-finite utterance is skipped with a reason (or stops the run with --on-bad-utterance stop); a run
 * never trains on NaNs silently.
 */
export async function loadSequences(refs: readonly UtteranceRef[], options: LoadSequencesOptions): Promise<LoadedSequences> {
  const sequences: TrainingSequence[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  const notes = new Set<string>();
  for (const ref of refs) {
    try {
      const utt = await loadUtterance(ref, { sampleRateHz: options.sampleRateHz });
      const bad = utt.samples.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new TrainingError({ code: 'E_DATA_NONFINITE', where: ref.audioPath, message: `sample ${bad} is not finite` });
      if (utt.samples.length === 0) throw new TrainingError({ code: 'E_DATA_EMPTY', where: ref.audioPath, message: 'the recording has no samples' });
      const mapped = mapPhonesToSet(utt.segments, options.phoneSet, { path: ref.labelPath });
      mapped.notes.forEach((n) => notes.add(n));
      const prosody = options.prosodyOf?.(utt.samples, utt.sampleRateHz);
      const a = options.preEmphasis ?? 0;
      const samples = a > 0 ? preEmphasize(utt.samples, a) : utt.samples;
      const track = buildPhoneTrack(mapped.segments, options.phoneSet, utt.sampleRateHz, prosody);
      if (options.acoustic) {
        track.frames = measureAcousticFrames(utt.samples, utt.sampleRateHz);
        track.excitation = excitationFrames(track.frames, utt.sampleRateHz);
      }
      sequences.push({ id: ref.id, samples, track });
    } catch (error) {
      if (!isSynthError(error) || options.onBad === 'stop') throw error;
      skipped.push({ id: ref.id, reason: error.toLine() });
    }
  }
  return { sequences, skipped, notes: [...notes] };
}

/** Root mean square over all training samples: the input and mse-target scale stored with the model. */
export function signalRms(sequences: readonly TrainingSequence[]): number {
  let sum = 0;
  let n = 0;
  for (const s of sequences) {
    for (let i = 0; i < s.samples.length; i++) sum += (s.samples[i] as number) ** 2;
    n += s.samples.length;
  }
  const rms = Math.sqrt(sum / Math.max(1, n));
  return rms > 1e-6 ? rms : 1;
}
