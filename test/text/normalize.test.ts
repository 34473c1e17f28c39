import { describe, expect, it } from 'vitest';
import { cardinalWords, ordinalWords, yearWords } from '../../src/text/number-words.js';
import { normalizeText, splitSentences } from '../../src/text/normalize.js';

const known = new Set(['reentered', 'nasa', 'the', 'wolf', 'dog']);
const words = (text: string): string => normalizeText(text, (w) => known.has(w)).sentences.map((s) => s.items.map((i) => (i.kind === 'word' ? i.text : `|${i.mark}`)).join(' ')).join(' / ');

describe('number words', () => {
  it('writes cardinals, ordinals and years as spoken', () => {
    expect(cardinalWords(0)).toEqual(['zero']);
    expect(cardinalWords(1234).join(' ')).toBe('one thousand two hundred thirty-four');
    expect(cardinalWords(1_000_017).join(' ')).toBe('one million seventeen');
    expect(ordinalWords(21).join(' ')).toBe('twenty-first');
    expect(ordinalWords(12).join(' ')).toBe('twelfth');
    expect(ordinalWords(20).join(' ')).toBe('twentieth');
    expect(yearWords(1999).join(' ')).toBe('nineteen ninety-nine');
    expect(yearWords(2005).join(' ')).toBe('two thousand five');
    expect(yearWords(1900).join(' ')).toBe('nineteen hundred');
    expect(yearWords(1905).join(' ')).toBe('nineteen oh five');
  });
});

describe('normalization', () => {
  it('splits sentences, but not after abbreviations and initials', () => {
    expect(splitSentences('Dr. Smith came. He left! Did J. R. Tolkien write it? Yes.')).toEqual(['Dr. Smith came.', 'He left!', 'Did J. R. Tolkien write it?', 'Yes.']);
    expect(splitSentences('Author of the danger trail, Philip Steels, etc.')).toHaveLength(1);
  });

  it('reads numbers, years, decimals, currency, percent and ordinals', () => {
    expect(words('In 1999 he paid $3.50 for 2 apples.')).toBe('in nineteen ninety nine he paid three dollars fifty cents for two apples');
    expect(words('It rose 45% to 3.14 on the 3rd day.')).toBe('it rose forty five percent to three point one four on the third day');
    expect(words('He owned 1,250 acres and $1 more.')).toBe('he owned one thousand two hundred fifty acres and one dollar more');
    expect(words('Room No. 5? I said no.')).toBe('room number five / i said no');
  });

  it('expands abbreviations, spells initials and unknown acronyms, keeps known ones', () => {
    expect(words('Mr. Brown met Dr. Jones on Main St. near St. Paul.')).toBe('mister brown met doctor jones on main street near saint paul');
    expect(words('J. R. R. Tolkien works at the BBC and NASA.')).toBe('j r r tolkien works at the b b c and nasa');
  });

  it('turns punctuation into breaks, joins or splits hyphenated words, keeps possessives and apostrophes', () => {
    expect(words("Close beside him, the wolf-dog's fangs; he re-entered.")).toBe("close beside him |, the wolf dog's fangs |; he reentered");
    expect(words("God bless 'em, I'm glad.")).toBe("god bless 'em |, i'm glad");
  });

  it('names what it cannot read and speaks the rest', () => {
    const result = normalizeText('Hello ✈ world 日本 ok.', () => false);
    expect(result.sentences[0]?.items.filter((i) => i.kind === 'word').map((i) => (i as { text: string }).text)).toEqual(['hello', 'world', 'ok']);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/cannot read "✈" \(a symbol\)/);
    expect(result.warnings[1]).toMatch(/cannot read "日本".*outside the English alphabet/);
  });

  it('gives no sentence for empty text, punctuation only or control characters only', () => {
    for (const text of ['', '   ', '...!?', '\u0001\u0002']) expect(normalizeText(text, () => false).sentences).toEqual([]);
  });
});
