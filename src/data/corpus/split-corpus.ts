import type { UtteranceRef } from './corpus-types.js';

export interface CorpusSplit {
  train: UtteranceRef[];
  dev: UtteranceRef[];
}

/**
 * Deterministic train/dev split by name: utterances sorted by id, the last ceil(n * devFraction) are dev.
 * On CMU ARCTIC a0001-a0050 with the default 0.1 that is a0046-a0050. With one utterance, dev is empty.
 */
export function splitByName(utterances: readonly UtteranceRef[], devFraction = 0.1): CorpusSplit {
  const sorted = [...utterances].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sorted.length < 2 || devFraction <= 0) return { train: sorted, dev: [] };
  const devCount = Math.min(sorted.length - 1, Math.ceil(sorted.length * devFraction));
  return { train: sorted.slice(0, sorted.length - devCount), dev: sorted.slice(sorted.length - devCount) };
}
