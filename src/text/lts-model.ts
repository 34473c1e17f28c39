import type { LtsWeights } from '../core/text-network-weights.js';
import type { Pronunciation } from './lexicon.js';

/**
 * The letter-to-sound model at run time: for each letter, a small network (one ReLU layer) reads the
 * letters around it (WINDOW each side, one-hot) and picks its phone chunk (nothing, a phone with its stress,
 * or two phones). Trained on the dictionary (text/train-lts.ts); plain TypeScript, no runtime needed.
 */
export const LTS_WINDOW = 3;
export const LTS_ALPHABET = "abcdefghijklmnopqrstuvwxyz'#";
/** The boundary symbol around a word. */
export const BOUNDARY = '#';

export type { LtsWeights };

export function ltsInputWidth(): number {
  return (2 * LTS_WINDOW + 1) * LTS_ALPHABET.length;
}

/** One-hot indices of the letters around position i of a word (boundary outside it; unknown letters skipped). */
export function ltsInputIndices(word: string, i: number): number[] {
  const out: number[] = [];
  for (let o = -LTS_WINDOW; o <= LTS_WINDOW; o++) {
    const j = i + o;
    const ch = j < 0 || j >= word.length ? BOUNDARY : (word[j] as string);
    const k = LTS_ALPHABET.indexOf(ch);
    if (k >= 0) out.push((o + LTS_WINDOW) * LTS_ALPHABET.length + k);
  }
  return out;
}

/** A chunk label ("ey1", "k+s", "_") as phones with stress. */
export function chunkPhones(chunk: string): Array<{ phone: string; stress: number }> {
  if (chunk === '_') return [];
  return chunk.split('+').map((p) => {
    const m = /^([a-z]+)([012])?$/.exec(p);
    return { phone: m?.[1] ?? p, stress: m?.[2] === undefined ? -1 : Number(m[2]) };
  });
}

export class LetterToSound {
  private readonly hidden: Float32Array;
  private readonly logits: Float32Array;

  constructor(private readonly w: LtsWeights) {
    this.hidden = new Float32Array(w.hidden);
    this.logits = new Float32Array(w.classes.length);
  }

  /**
   * The best chunk for one letter's one-hot inputs, as a small function of its own with local typed arrays:
   * the JIT optimizes it after a few words instead of a few dozen (measured: 0.2 ms per word from the second
   * word on, against 3 ms until the fortieth).
   */
  private bestChunk(active: readonly number[]): number {
    const hidden = this.hidden;
    const logits = this.logits;
    const w1 = this.w.w1;
    const w2 = this.w.w2;
    const H = hidden.length;
    const C = logits.length;
    hidden.set(this.w.b1);
    for (let a = 0; a < active.length; a++) {
      const row = (active[a] as number) * H;
      for (let h = 0; h < H; h++) hidden[h] = (hidden[h] as number) + (w1[row + h] as number);
    }
    logits.set(this.w.b2);
    for (let h = 0; h < H; h++) {
      const v = hidden[h] as number;
      if (v <= 0) continue;
      const row = h * C;
      for (let c = 0; c < C; c++) logits[c] = (logits[c] as number) + v * (w2[row + c] as number);
    }
    let best = 0;
    for (let c = 1; c < C; c++) if ((logits[c] as number) > (logits[best] as number)) best = c;
    return best;
  }

  /** The most likely chunk for each letter, joined: the word's pronunciation. */
  pronounce(word: string): Pronunciation {
    const letters = word.toLowerCase().replace(/[^a-z']/g, '');
    const phones: string[] = [];
    const stress: number[] = [];
    for (let i = 0; i < letters.length; i++) {
      for (const p of chunkPhones(this.w.classes[this.bestChunk(ltsInputIndices(letters, i))] as string)) {
        phones.push(p.phone);
        stress.push(p.stress);
      }
    }
    // A word needs one primary stress: give it to the first vowel when the model gave none.
    if (!stress.includes(1)) {
      const first = stress.findIndex((s) => s >= 0);
      if (first >= 0) stress[first] = 1;
    }
    return { phones, stress };
  }
}
