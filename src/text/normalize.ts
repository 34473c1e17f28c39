import { cardinalWords, digitWords, ordinalWords, yearWords } from './number-words.js';

/**
 * Text normalization: English text to sentences of spoken words and phrase breaks. Numbers (cardinals,
 * ordinals, years, decimals, thousands separators), currency, percent, common abbreviations, initials,
 * acronyms, hyphens, apostrophes and possessives are written out as words; punctuation becomes phrase
 * breaks. A token it cannot read gets a warning that names it and is left out; the rest is spoken.
 */
export type TextItem = { kind: 'word'; text: string; spellOut?: boolean } | { kind: 'break'; mark: string };

export interface NormalizedSentence {
  /** The sentence as written (trimmed). */
  source: string;
  items: TextItem[];
}

export interface NormalizedText {
  sentences: NormalizedSentence[];
  warnings: string[];
}

const ABBREVIATIONS: Readonly<Record<string, string[]>> = {
  'st.': ['street'], 'mr.': ['mister'], 'mrs.': ['missus'], 'ms.': ['miz'], 'dr.': ['doctor'], 'prof.': ['professor'], 'jr.': ['junior'], 'sr.': ['senior'],
  'capt.': ['captain'], 'gen.': ['general'], 'col.': ['colonel'], 'lt.': ['lieutenant'], 'sgt.': ['sergeant'], 'gov.': ['governor'],
  'mt.': ['mount'], 'ave.': ['avenue'], 'rd.': ['road'], 'co.': ['company'], 'inc.': ['incorporated'], 'ltd.': ['limited'], 'corp.': ['corporation'],
  'etc.': ['et', 'cetera'], 'vs.': ['versus'], 'e.g.': ['for', 'example'], 'i.e.': ['that', 'is'], 'a.m.': ['a', 'm'], 'p.m.': ['p', 'm'],
  'jan.': ['january'], 'feb.': ['february'], 'mar.': ['march'], 'apr.': ['april'], 'aug.': ['august'], 'sept.': ['september'], 'sep.': ['september'],
  'oct.': ['october'], 'nov.': ['november'], 'dec.': ['december'], 'approx.': ['approximately'], 'dept.': ['department'], 'fig.': ['figure'],
};

/** Words that end a sentence when followed by a period (the period is the sentence's own then). */
const SENTENCE_FINAL_ABBREVIATIONS = new Set(['etc.', 'inc.', 'ltd.', 'co.', 'corp.', 'a.m.', 'p.m.', 'jr.', 'sr.']);
const CURRENCY: Readonly<Record<string, [string, string, string, string]>> = {
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '€': ['euro', 'euros', 'cent', 'cents'],
};
const MINOR_BREAKS = new Set([',', ';', ':', '(', ')', '—', '–', '--', '"', '“', '”']);
const SENTENCE_END = /[.!?]/;
/** Symbols standing alone, read as a word. */
const SYMBOL_WORDS = new Map([['%', 'percent'], ['&', 'and'], ['+', 'plus'], ['@', 'at']]);

/** Split into sentences at . ! ? (not after a known abbreviation or an initial), and at blank lines. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let current = '';
  const tokens = text.replace(/\r\n?/g, '\n').split(/(\s+)/);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (/^\s+$/.test(token)) {
      if (/\n\s*\n/.test(token) && current.trim()) {
        out.push(current.trim());
        current = '';
      } else current += ' ';
      continue;
    }
    current += token;
    const bare = token.replace(/["'”’)\]]+$/, '');
    if (!/[.!?]$/.test(bare)) continue;
    const lower = bare.toLowerCase();
    let k = i + 1;
    while (k < tokens.length && /^\s*$/.test(tokens[k] as string)) k++;
    const next = (tokens[k] ?? '').replace(/^["'“‘(\[]+/, '');
    const abbreviation = (ABBREVIATIONS[lower] !== undefined && !SENTENCE_FINAL_ABBREVIATIONS.has(lower)) || (lower === 'no.' && /^\d/.test(next));
    const initial = /^[A-Z]\.$/.test(bare);
    if ((abbreviation || initial) && next !== '') continue;
    // A lower-case continuation after "etc." and the like is the same sentence.
    if (SENTENCE_FINAL_ABBREVIATIONS.has(lower) && /^[a-z]/.test(next)) continue;
    out.push(current.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function numberWords(token: string, next: string | undefined): string[] | undefined {
  const plain = token.replace(/,(?=\d{3}\b)/g, '');
  let m = /^(\d+)(st|nd|rd|th)$/i.exec(plain);
  if (m) return ordinalWords(Number(m[1]));
  m = /^(\d+)\.(\d+)$/.exec(plain);
  if (m) return [...cardinalWords(Number(m[1])), 'point', ...digitWords(m[2] as string)];
  m = /^(\d+)s$/.exec(plain);
  if (m) {
    // 1990s, 70s: the plural of the year or number.
    const words = Number(m[1]) >= 1000 ? yearWords(Number(m[1])) : cardinalWords(Number(m[1]));
    const last = words[words.length - 1] as string;
    words[words.length - 1] = last.endsWith('y') ? `${last.slice(0, -1)}ies` : `${last}s`;
    return words;
  }
  if (/^\d+$/.test(plain)) {
    const n = Number(plain);
    if (plain.length > 15) return digitWords(plain);
    // A bare four-digit number from 1100 to 2099 without a thousands comma reads as a year.
    if (!token.includes(',') && plain.length === 4 && n >= 1100 && n < 2100 && next !== '%') return yearWords(n);
    return cardinalWords(n);
  }
  return undefined;
}

/** Currency amounts: $3.50 -> three dollars fifty cents. */
function currencyWords(symbol: string, amount: string): string[] | undefined {
  const names = CURRENCY[symbol];
  const m = /^(\d[\d,]*)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!names || !m) return undefined;
  const whole = Number((m[1] as string).replace(/,/g, ''));
  const cents = m[2] ? Number((m[2] as string).padEnd(2, '0')) : 0;
  const out = [...cardinalWords(whole), whole === 1 ? names[0] : names[1]];
  if (cents > 0) out.push(...cardinalWords(cents), cents === 1 ? names[2] : names[3]);
  return out;
}

/** Tokens: words (letters, apostrophes, inner hyphens and periods), numbers, currency, and punctuation marks. */
const TOKEN = /[$£€]\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th|s)?%?|(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’]*(?:[-.][A-Za-z][A-Za-z'’]*)*\.?|['’][A-Za-z]+|--|[.,;:!?()"“”—–%&+@#/]|[^\s\x00-\x7f]+|\S/gu;

/**
 * Normalize one sentence. `isKnownWord` tells whether the lexicon has a word (so that hyphenated words it
 * knows stay whole, and capitals it does not know are spelled).
 */
export function normalizeSentence(sentence: string, isKnownWord: (word: string) => boolean): { items: TextItem[]; warnings: string[] } {
  const items: TextItem[] = [];
  const warnings: string[] = [];
  const words = (list: string[]): void => {
    for (const w of list) for (const part of w.split('-')) if (part) items.push({ kind: 'word', text: part });
  };
  const breakItem = (mark: string): void => {
    if (items.length > 0 && items[items.length - 1]?.kind !== 'break') items.push({ kind: 'break', mark });
  };
  const tokens = sentence.normalize('NFKC').replace(/[\u0000-\u001f\u007f]/g, ' ').match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i] as string;
    const next = tokens[i + 1];
    const lower = raw.toLowerCase().replace(/’/g, "'");
    if (MINOR_BREAKS.has(raw)) {
      breakItem(raw);
      continue;
    }
    if (SENTENCE_END.test(raw) && raw.length === 1) continue;
    const symbol = SYMBOL_WORDS.get(raw);
    if (symbol) {
      words([symbol]);
      continue;
    }
    if (lower === 'no.' && next && /^\d/.test(next)) {
      words(['number']);
      continue;
    }
    const abbreviation = ABBREVIATIONS[lower];
    if (abbreviation) {
      // "St." is saint before a name and street after one.
      if (lower === 'st.') words([next && /^[A-Z]/.test(next) ? 'saint' : 'street']);
      else words(abbreviation);
      continue;
    }
    if (/^[$£€]/.test(raw)) {
      const spoken = currencyWords(raw[0] as string, raw.slice(1));
      if (spoken) {
        words(spoken);
        continue;
      }
    }
    if (/^\d/.test(raw)) {
      const percent = raw.endsWith('%');
      const spoken = numberWords(percent ? raw.slice(0, -1) : raw, percent ? '%' : next);
      if (spoken) {
        words(percent ? [...spoken, 'percent'] : spoken);
        continue;
      }
    }
    if (/^(?:[A-Za-z]\.){2,}$/.test(raw) || /^[A-Z]\.$/.test(raw)) {
      // Initials and dotted abbreviations: letter by letter.
      for (const letter of raw.replace(/\./g, '')) items.push({ kind: 'word', text: letter.toLowerCase(), spellOut: true });
      continue;
    }
    if (/^['’]?[A-Za-z]/.test(raw)) {
      const word = lower.replace(/\.$/, '');
      if (raw.includes('-') && !isKnownWord(word) && isKnownWord(word.replace(/-/g, ''))) {
        words([word.replace(/-/g, '')]);
        continue;
      }
      // All-capital acronyms the lexicon lacks are spelled.
      const bare = raw.replace(/\.$/, '');
      if (/^[A-Z]{2,5}$/.test(bare) && !isKnownWord(word)) {
        for (const letter of word) items.push({ kind: 'word', text: letter, spellOut: true });
        continue;
      }
      words([word]);
      continue;
    }
    warnings.push(`cannot read "${raw}" (${describeToken(raw)}); it is left out`);
  }
  while (items.length > 0 && items[items.length - 1]?.kind === 'break') items.pop();
  return { items, warnings };
}

function describeToken(token: string): string {
  const code = token.codePointAt(0) ?? 0;
  if (/\p{L}/u.test(token)) return `a letter outside the English alphabet, U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\p{S}/u.test(token)) return 'a symbol';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Normalize text of any length: sentences, each with its words and breaks, and every warning. */
export function normalizeText(text: string, isKnownWord: (word: string) => boolean): NormalizedText {
  const sentences: NormalizedSentence[] = [];
  const warnings: string[] = [];
  for (const source of splitSentences(text)) {
    const { items, warnings: w } = normalizeSentence(source, isKnownWord);
    warnings.push(...w);
    if (items.some((item) => item.kind === 'word')) sentences.push({ source, items });
  }
  return { sentences, warnings };
}
