import { isPause } from './duration-features.js';
import type { PhonetizedSentence, TextPhone, WordPosition } from './phonetize.js';

/**
 * Line up a sentence's text (its words' phones) with the labelled phones of its recording, to learn from
 * the labels what the text says: each labelled phone takes the word, stress and place in the word of the
 * text phone it matches (Levenshtein alignment over non-pause phones), and each punctuation break learns
 * whether the speaker paused there. Pure functions.
 */
export interface AlignedLabels {
  phones: TextPhone[];
  /** Per break point of the text: whether the labels pause between its word and the next. */
  pausedAt: boolean[];
}

export function alignTextToLabels(sentence: PhonetizedSentence, labelled: readonly string[]): AlignedLabels {
  const text: Array<{ phone: string; stress: number; word: number; position: WordPosition }> = [];
  sentence.words.forEach((w, index) => {
    const n = w.pronunciation.phones.length;
    w.pronunciation.phones.forEach((phone, i) => text.push({ phone, stress: w.pronunciation.stress[i] as number, word: index, position: n === 1 ? 'single' : i === 0 ? 'initial' : i === n - 1 ? 'final' : 'medial' }));
  });
  const speech = labelled.map((p, i) => ({ p, i })).filter((x) => !isPause(x.p));
  const A = speech.length;
  const B = text.length;
  const d = Array.from({ length: A + 1 }, (_, i) => Int32Array.from({ length: B + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= A; i++) {
    for (let j = 1; j <= B; j++) {
      const sub = (d[i - 1]![j - 1] as number) + ((speech[i - 1] as { p: string }).p === (text[j - 1] as { phone: string }).phone ? 0 : 1);
      d[i]![j] = Math.min((d[i - 1]![j] as number) + 1, (d[i]![j - 1] as number) + 1, sub);
    }
  }
  const matched = new Int32Array(labelled.length).fill(-1);
  let i = A;
  let j = B;
  while (i > 0 && j > 0) {
    const sub = (d[i - 1]![j - 1] as number) + ((speech[i - 1] as { p: string }).p === (text[j - 1] as { phone: string }).phone ? 0 : 1);
    if (d[i]![j] === sub) {
      matched[(speech[i - 1] as { i: number }).i] = j - 1;
      i--;
      j--;
    } else if (d[i]![j] === (d[i - 1]![j] as number) + 1) i--;
    else j--;
  }
  const phones: TextPhone[] = labelled.map((phone, k) => {
    if (isPause(phone)) return { phone, stress: -1, word: -1, position: 'pause' };
    const t = matched[k] as number;
    if (t < 0) return { phone, stress: -2, word: -1, position: 'unknown' };
    const tp = text[t] as (typeof text)[number];
    return { phone, stress: tp.stress, word: tp.word, position: tp.position };
  });
  // A break paused when a pause lies between the last phone of its word and the first of the next.
  const lastOf = new Map<number, number>();
  const firstOf = new Map<number, number>();
  phones.forEach((p, k) => {
    if (p.word < 0) return;
    lastOf.set(p.word, k);
    if (!firstOf.has(p.word)) firstOf.set(p.word, k);
  });
  const pausedAt = sentence.breaks.map((b) => {
    const from = lastOf.get(b.afterWord);
    const to = firstOf.get(b.afterWord + 1);
    if (from === undefined || to === undefined) return false;
    for (let k = from + 1; k < to; k++) if (isPause((phones[k] as TextPhone).phone)) return true;
    return false;
  });
  return { phones, pausedAt };
}
