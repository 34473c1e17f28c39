/**
 * Letter-to-phone alignment of dictionary entries, for training letter-to-sound: each letter takes no
 * phone, one phone, or two (x -> k s); the phone chunks' probabilities given the letter are learnt by hard
 * EM (Viterbi alignment, then counts), as in the classic CART letter-to-sound recipe (Black, Lenzo and
 * Pagel 1998). Pure functions.
 */
export const EMPTY = '_';

export interface AlignedWord {
  letters: string;
  /** One chunk per letter: EMPTY, a phone, or two phones joined by '+'. */
  chunks: string[];
}

type Table = Map<string, Map<string, number>>;

function logProbability(table: Table, letter: string, chunk: string): number {
  const row = table.get(letter);
  const count = row?.get(chunk) ?? 0;
  let total = 0;
  if (row) for (const v of row.values()) total += v;
  // Add-one smoothing over a nominal 2000 chunk types, and a penalty on two-phone chunks.
  return Math.log((count + 0.1) / (total + 200)) - (chunk.includes('+') ? 2 : 0);
}

/** The best alignment of one word under `table` (null when no alignment exists, e.g. too many phones). */
export function alignWord(letters: string, phones: readonly string[], table: Table): string[] | null {
  const L = letters.length;
  const P = phones.length;
  if (P > 2 * L) return null;
  const NEG = Number.NEGATIVE_INFINITY;
  const score = Array.from({ length: L + 1 }, () => new Float64Array(P + 1).fill(NEG));
  const back = Array.from({ length: L + 1 }, () => new Int8Array(P + 1).fill(-1));
  score[0]![0] = 0;
  for (let i = 1; i <= L; i++) {
    const letter = letters[i - 1] as string;
    for (let j = 0; j <= P; j++) {
      for (let take = 0; take <= 2 && take <= j; take++) {
        const prev = score[i - 1]![j - take] as number;
        if (prev === NEG) continue;
        const chunk = take === 0 ? EMPTY : take === 1 ? (phones[j - 1] as string) : `${phones[j - 2]}+${phones[j - 1]}`;
        const s = prev + logProbability(table, letter, chunk);
        if (s > (score[i]![j] as number)) {
          score[i]![j] = s;
          back[i]![j] = take;
        }
      }
    }
  }
  if (score[L]![P] === NEG) return null;
  const chunks: string[] = new Array(L);
  let j = P;
  for (let i = L; i >= 1; i--) {
    const take = back[i]![j] as number;
    chunks[i - 1] = take === 0 ? EMPTY : take === 1 ? (phones[j - 1] as string) : `${phones[j - 2]}+${phones[j - 1]}`;
    j -= take;
  }
  return chunks;
}

const VOWEL_LETTERS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
const VOWEL_PHONES = new Set(['aa', 'ae', 'ah', 'ao', 'aw', 'ax', 'ay', 'eh', 'er', 'ey', 'ih', 'iy', 'ow', 'oy', 'uh', 'uw']);
const LIKELY: Readonly<Record<string, string[]>> = { c: ['k', 's', 'ch'], g: ['jh'], j: ['jh'], q: ['k'], x: ['k+s', 'z'], y: ['y'], h: ['hh'], w: ['w'] };

/** A starting table: letters prefer phones spelled like them, vowel letters vowel phones. */
function seedTable(entries: ReadonlyArray<{ letters: string; phones: readonly string[] }>): Table {
  const table: Table = new Map();
  const phones = new Set<string>();
  for (const e of entries) for (const p of e.phones) phones.add(p);
  for (const letter of 'abcdefghijklmnopqrstuvwxyz\'') {
    const row = new Map<string, number>();
    for (const p of phones) {
      const like = p[0] === letter || (VOWEL_LETTERS.has(letter) && VOWEL_PHONES.has(p)) || (LIKELY[letter] ?? []).includes(p);
      if (like) row.set(p, 10);
    }
    for (const chunk of LIKELY[letter] ?? []) row.set(chunk, 10);
    row.set(EMPTY, 3);
    table.set(letter, row);
  }
  return table;
}

/** Hard-EM alignment of a word list: `iterations` rounds of align-then-count. */
export function alignLexicon(entries: ReadonlyArray<{ letters: string; phones: readonly string[] }>, iterations = 4): AlignedWord[] {
  let table: Table = seedTable(entries);
  let aligned: AlignedWord[] = [];
  for (let round = 0; round < iterations; round++) {
    aligned = [];
    const counts: Table = new Map();
    for (const e of entries) {
      const chunks = alignWord(e.letters, e.phones, table);
      if (!chunks) continue;
      aligned.push({ letters: e.letters, chunks });
      chunks.forEach((chunk, i) => {
        const letter = e.letters[i] as string;
        const row = counts.get(letter) ?? new Map<string, number>();
        row.set(chunk, (row.get(chunk) ?? 0) + 1);
        counts.set(letter, row);
      });
    }
    table = counts;
  }
  return aligned;
}
