/**
 * Words to phones in the CMU/Festival "radio" set, from the npm package `cmu-pronouncing-dictionary`
 * (CMUdict 0.7), with the conventions of Festival's lexicon that the ARCTIC labels follow: lower-case
 * symbols, unstressed AH0 as `ax`, and a few function words and endings as Festival says them. Stress is
 * kept per vowel (0 none, 1 primary, 2 secondary) for the duration model.
 */
export interface Pronunciation {
  phones: string[];
  /** Per phone: the vowel's stress (0, 1, 2), or -1 for consonants. */
  stress: number[];
}

/** Festival's forms where CMUdict's first entry differs (read off the ARCTIC training labels a0001-a0045). */
const OVERRIDES: Readonly<Record<string, string>> = {
  to: 't ax0',
  and: 'ae1 n d',
  "'em": 'eh1 m',
};

export type Dictionary = Readonly<Record<string, string>>;

/** Load the dictionary (about 3.6 MB of JavaScript; loaded once, on first use). */
export async function loadDictionary(): Promise<Dictionary> {
  const module = (await import('cmu-pronouncing-dictionary')) as { dictionary: Dictionary };
  return module.dictionary;
}

/** One CMUdict pronunciation ("AH0 B AW1 T") in radio symbols with stress. */
export function toRadio(arpabet: string): Pronunciation {
  const phones: string[] = [];
  const stress: number[] = [];
  for (const symbol of arpabet.trim().split(/\s+/)) {
    const m = /^([A-Za-z]+)([012])?$/.exec(symbol);
    if (!m) continue;
    let phone = (m[1] as string).toLowerCase();
    const s = m[2] === undefined ? -1 : Number(m[2]);
    if (phone === 'ah' && s === 0) phone = 'ax';
    phones.push(phone);
    stress.push(s);
  }
  return { phones, stress };
}

/** The lexicon: dictionary words, Festival's conventions, possessives, letter names. */
export class Lexicon {
  constructor(private readonly dictionary: Dictionary) {}

  has(word: string): boolean {
    return this.dictionary[word] !== undefined || OVERRIDES[word] !== undefined;
  }

  /** A word's pronunciation, or undefined when the dictionary lacks it (and it is no possessive of a word it has). */
  lookup(word: string): Pronunciation | undefined {
    const w = word.toLowerCase().replace(/’/g, "'");
    const override = OVERRIDES[w];
    if (override) return toRadio(override);
    const entry = this.dictionary[w];
    if (entry) return toRadio(entry);
    // Possessives and contractions in 's of a known word: s after voiceless consonants, ax z after sibilants, else z.
    const m = /^(.+)'s$/.exec(w);
    if (m) {
      const base = this.lookup(m[1] as string);
      if (!base) return undefined;
      const last = base.phones[base.phones.length - 1] ?? '';
      const ending = ['s', 'z', 'sh', 'zh', 'ch', 'jh'].includes(last) ? ['ax', 'z'] : ['p', 't', 'k', 'f', 'th'].includes(last) ? ['s'] : ['z'];
      return { phones: [...base.phones, ...ending], stress: [...base.stress, ...ending.map((p) => (p === 'ax' ? 0 : -1))] };
    }
    return undefined;
  }

  /** The name of a letter (for initials and spelled acronyms). */
  letter(letter: string): Pronunciation {
    const l = letter.toLowerCase();
    const entry = this.dictionary[`${l}.`] ?? this.dictionary[l];
    return entry ? toRadio(entry) : { phones: [], stress: [] };
  }
}
