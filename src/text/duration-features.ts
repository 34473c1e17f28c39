import { PHONE_CLASSES, phoneClasses } from '../data/features/frame-inputs.js';
import type { TextPhone } from './phonetize.js';

/**
 * What the duration model reads per phone (the same from text, where word and stress are known, and from a
 * label file, where they are not): the phone and its neighbours, its classes, its stress and place in the
 * word, and its place in the phrase (between pauses) and the sentence, with pause adjacency (phrase-final
 * lengthening). The model predicts log(duration / DURATION_REFERENCE_S).
 */
export const DURATION_REFERENCE_S = 0.08;
const PAUSES = new Set(['pau', 'sil', 'h#', 'brth', 'epi']);
const STRESS_VALUES = [-2, -1, 0, 1, 2];
const POSITIONS: readonly TextPhone['position'][] = ['single', 'initial', 'medial', 'final', 'pause', 'unknown'];
const NEIGHBOURS = [-2, -1, 0, 1, 2];
const DENSE = 10;

export function durationInputWidth(phoneCount: number): number {
  return NEIGHBOURS.length * phoneCount + PHONE_CLASSES.length + STRESS_VALUES.length + POSITIONS.length + DENSE;
}

/** Feature rows [phones.length, durationInputWidth] for a sentence's phones in `phoneSet` order. */
export function durationInputs(phones: readonly TextPhone[], phoneSet: readonly string[]): Float32Array {
  const V = phoneSet.length;
  const width = durationInputWidth(V);
  const n = phones.length;
  const rows = new Float32Array(n * width);
  const pause = phones.map((p) => PAUSES.has(p.phone));
  const phraseStart = new Int32Array(n);
  const phraseEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) phraseStart[i] = pause[i] ? i : i > 0 && !pause[i - 1] ? (phraseStart[i - 1] as number) : i;
  for (let i = n - 1; i >= 0; i--) phraseEnd[i] = pause[i] ? i : i < n - 1 && !pause[i + 1] ? (phraseEnd[i + 1] as number) : i;
  const lastSpeech = pause.lastIndexOf(false);
  const wordLength = new Map<number, number>();
  for (const p of phones) if (p.word >= 0) wordLength.set(p.word, (wordLength.get(p.word) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    const p = phones[i] as TextPhone;
    const base = i * width;
    NEIGHBOURS.forEach((offset, slot) => {
      const j = i + offset;
      const symbol = j >= 0 && j < n ? (phones[j] as TextPhone).phone : 'pau';
      const id = phoneSet.indexOf(symbol);
      if (id >= 0) rows[base + slot * V + id] = 1;
    });
    let at = base + NEIGHBOURS.length * V;
    for (const c of phoneClasses(p.phone)) rows[at++] = c;
    rows[at + Math.max(0, STRESS_VALUES.indexOf(p.stress))] = 1;
    at += STRESS_VALUES.length;
    rows[at + Math.max(0, POSITIONS.indexOf(p.position))] = 1;
    at += POSITIONS.length;
    const ps = phraseStart[i] as number;
    const pe = phraseEnd[i] as number;
    const dense = [
      (i - ps) / 10,
      (pe - i) / 10,
      (pe - ps + 1) / 20,
      i + 1 < n && pause[i + 1] ? 1 : 0,
      i > 0 && pause[i - 1] ? 1 : 0,
      i / 40,
      (n - 1 - i) / 40,
      // The sentence's last phrase lengthens more than others.
      pe >= lastSpeech ? 1 : 0,
      p.word >= 0 ? (wordLength.get(p.word) ?? 0) / 5 : 0,
      pause[i] ? 1 : 0,
    ];
    for (const v of dense) rows[at++] = v;
  }
  return rows;
}

/** Phones read from a label file: word and stress unknown. */
export function labelPhones(symbols: readonly string[]): TextPhone[] {
  return symbols.map((phone) => ({ phone, stress: PAUSES.has(phone) ? -1 : -2, word: -1, position: PAUSES.has(phone) ? 'pause' : 'unknown' }));
}

export function isPause(phone: string): boolean {
  return PAUSES.has(phone);
}
