import { isSynthError } from '../../core/errors.js';
import { checkRecording, levelProblems, rmsDb, type RecordingProblemKind } from '../audio/recording-checks.js';
import type { Corpus } from './corpus-types.js';
import { loadUtterance } from './load-utterance.js';

export interface PhoneStats {
  count: number;
  seconds: number;
}

export interface CorpusProblem {
  utterance: string;
  message: string;
  /**
   * `warning`: read with a fix-up (labels); `error`: the utterance could not be read; `recording`: its
   * samples are damaged or unusable (see recording-checks.ts): training and evaluation skip it.
   */
  severity: 'warning' | 'error' | 'recording';
  /** `label` (a label fix-up), `unreadable`, or the kind of recording problem. */
  kind: 'label' | 'unreadable' | RecordingProblemKind;
  /** byte-order: the stretches stored big-endian, [start, end) in samples. */
  ranges?: Array<[number, number]>;
}

export interface CorpusStats {
  root: string;
  layout: string;
  utterances: number;
  durationSeconds: number;
  sampleRates: number[];
  phones: Record<string, PhoneStats>;
  problems: CorpusProblem[];
  unlabelledAudio: string[];
}

/** Read every utterance of a corpus and summarize it; unreadable utterances become problems, not crashes. */
export async function computeCorpusStats(corpus: Corpus): Promise<CorpusStats> {
  const rates = new Set<number>();
  const phones = new Map<string, PhoneStats>();
  const problems: CorpusProblem[] = [];
  let secondsTotal = 0;
  let readable = 0;
  const levels = new Map<string, number>();
  for (const ref of corpus.utterances) {
    try {
      const utt = await loadUtterance(ref);
      readable++;
      rates.add(utt.sampleRateHz);
      secondsTotal += utt.samples.length / utt.sampleRateHz;
      for (const seg of utt.segments) {
        const entry = phones.get(seg.phone) ?? { count: 0, seconds: 0 };
        entry.count++;
        entry.seconds += (seg.endSample - seg.startSample) / utt.sampleRateHz;
        phones.set(seg.phone, entry);
      }
      for (const message of utt.warnings) problems.push({ utterance: ref.id, message, severity: 'warning', kind: 'label' });
      for (const p of checkRecording(utt.samples)) problems.push({ utterance: ref.id, message: p.message, severity: 'recording', kind: p.kind, ...(p.ranges ? { ranges: p.ranges } : {}) });
      levels.set(ref.id, rmsDb(utt.samples));
    } catch (error) {
      if (!isSynthError(error)) throw error;
      problems.push({ utterance: ref.id, message: error.toLine(), severity: 'error', kind: 'unreadable' });
    }
  }
  for (const [id, p] of levelProblems(levels)) problems.push({ utterance: id, message: p.message, severity: 'recording', kind: 'level' });
  const sortedPhones: Record<string, PhoneStats> = {};
  for (const key of [...phones.keys()].sort()) {
    const p = phones.get(key) as PhoneStats;
    sortedPhones[key] = { count: p.count, seconds: Math.round(p.seconds * 1e4) / 1e4 };
  }
  return {
    root: corpus.root,
    layout: corpus.layout,
    utterances: readable,
    durationSeconds: Math.round(secondsTotal * 1e4) / 1e4,
    sampleRates: [...rates].sort((a, b) => a - b),
    phones: sortedPhones,
    problems,
    unlabelledAudio: corpus.unlabelled,
  };
}
