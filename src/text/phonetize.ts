import type { Lexicon, Pronunciation } from './lexicon.js';
import type { LetterToSound } from './lts-model.js';
import type { NormalizedSentence } from './normalize.js';

/** Where a phone sits in its word. */
export type WordPosition = 'single' | 'initial' | 'medial' | 'final';

/** A phone of a sentence with what the pause and duration models read about it. */
export interface TextPhone {
  phone: string;
  /** Vowel stress 0/1/2; -1 for consonants and pauses; -2 when unknown (phones read from a label file). */
  stress: number;
  /** Index of the word in the sentence (-1 for pauses). */
  word: number;
  position: WordPosition | 'pause' | 'unknown';
}

/** The candidates for a pause: after word `afterWord`, at a punctuation mark. */
export interface BreakPoint {
  afterWord: number;
  mark: string;
}

export interface PhonetizedSentence {
  /** Words and their pronunciations (pauses are not in here). */
  words: Array<{ text: string; pronunciation: Pronunciation; fromLexicon: boolean }>;
  breaks: BreakPoint[];
  /** Words the lexicon lacked, spoken by letter-to-sound. */
  guessed: string[];
}

/** Pronounce a sentence's words: the lexicon, letter names for spelled letters, letter-to-sound otherwise. */
export function phonetizeSentence(sentence: NormalizedSentence, lexicon: Lexicon, lts: LetterToSound | undefined): PhonetizedSentence {
  const words: PhonetizedSentence['words'] = [];
  const breaks: BreakPoint[] = [];
  const guessed: string[] = [];
  for (const item of sentence.items) {
    if (item.kind === 'break') {
      if (words.length > 0) breaks.push({ afterWord: words.length - 1, mark: item.mark });
      continue;
    }
    const known = item.spellOut ? lexicon.letter(item.text) : lexicon.lookup(item.text);
    if (known && known.phones.length > 0) {
      words.push({ text: item.text, pronunciation: known, fromLexicon: true });
      continue;
    }
    const pronunciation = lts ? lts.pronounce(item.text) : spellOut(item.text, lexicon);
    if (pronunciation.phones.length === 0) continue;
    guessed.push(item.text);
    words.push({ text: item.text, pronunciation, fromLexicon: false });
  }
  return { words, breaks, guessed };
}

/** Letter by letter (the fallback when there is no letter-to-sound model). */
function spellOut(word: string, lexicon: Lexicon): Pronunciation {
  const phones: string[] = [];
  const stress: number[] = [];
  for (const ch of word.replace(/[^a-z]/gi, '')) {
    const p = lexicon.letter(ch);
    phones.push(...p.phones);
    stress.push(...p.stress);
  }
  return { phones, stress };
}

/**
 * The sentence's phones with pauses: one at the start and the end, and one after each word in `pauseAfter`.
 */
export function sentencePhones(sentence: PhonetizedSentence, pauseAfter: ReadonlySet<number>, pause = 'pau'): TextPhone[] {
  const out: TextPhone[] = [{ phone: pause, stress: -1, word: -1, position: 'pause' }];
  sentence.words.forEach((w, index) => {
    const n = w.pronunciation.phones.length;
    w.pronunciation.phones.forEach((phone, i) => {
      const position: WordPosition = n === 1 ? 'single' : i === 0 ? 'initial' : i === n - 1 ? 'final' : 'medial';
      out.push({ phone, stress: w.pronunciation.stress[i] as number, word: index, position });
    });
    if (pauseAfter.has(index) && index < sentence.words.length - 1) out.push({ phone: pause, stress: -1, word: -1, position: 'pause' });
  });
  out.push({ phone: pause, stress: -1, word: -1, position: 'pause' });
  return out;
}
