import type { PhonetizedSentence } from './phonetize.js';

/**
 * What the pause model reads at a punctuation break: the mark, how far the break is from the previous
 * break (or the sentence start) and from the sentence end, in words and phones, and whether the next word
 * opens a clause. Labels put a pause after 9 of 25 internal marks of ARCTIC a0001-a0060: commas in short
 * sentences mostly are not paused.
 */
const CLAUSE_OPENERS = new Set(['and', 'but', 'or', 'which', 'who', 'that', 'when', 'where', 'while', 'because', 'if', 'so', 'he', 'she', 'they', 'i', 'we']);
export const PAUSE_FEATURES = ['comma', 'semicolon_colon', 'dash', 'bracket_quote', 'words_before', 'words_after', 'phones_before', 'phones_after', 'clause_opener', 'bias'] as const;

export function pauseInputs(sentence: PhonetizedSentence): Float32Array {
  const F = PAUSE_FEATURES.length;
  const out = new Float32Array(sentence.breaks.length * F);
  const phonesOf = (from: number, to: number): number => sentence.words.slice(from, to).reduce((n, w) => n + w.pronunciation.phones.length, 0);
  let previous = -1;
  sentence.breaks.forEach((b, r) => {
    const row = r * F;
    out[row + 0] = b.mark === ',' ? 1 : 0;
    out[row + 1] = b.mark === ';' || b.mark === ':' ? 1 : 0;
    out[row + 2] = b.mark === '—' || b.mark === '–' || b.mark === '--' ? 1 : 0;
    out[row + 3] = ['(', ')', '"', '“', '”'].includes(b.mark) ? 1 : 0;
    out[row + 4] = (b.afterWord - previous) / 10;
    out[row + 5] = (sentence.words.length - 1 - b.afterWord) / 10;
    out[row + 6] = phonesOf(previous + 1, b.afterWord + 1) / 30;
    out[row + 7] = phonesOf(b.afterWord + 1, sentence.words.length) / 30;
    out[row + 8] = CLAUSE_OPENERS.has(sentence.words[b.afterWord + 1]?.text ?? '') ? 1 : 0;
    out[row + 9] = 1;
    previous = b.afterWord;
  });
  return out;
}
