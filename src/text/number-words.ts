/** English words for numbers: cardinals, ordinals, years and digit strings. Pure functions. */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

/** Words of 0 <= n < 1000. */
function belowThousand(n: number): string[] {
  const out: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) out.push(ONES[hundreds] as string, 'hundred');
  if (rest > 0) {
    if (rest < 20) out.push(ONES[rest] as string);
    else out.push(rest % 10 === 0 ? (TENS[Math.floor(rest / 10)] as string) : `${TENS[Math.floor(rest / 10)]}-${ONES[rest % 10]}`);
  }
  return out;
}

/** Cardinal words of a non-negative integer below 10^15 (e.g. 1234 -> one thousand two hundred thirty-four). */
export function cardinalWords(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n >= 1e15) throw new RangeError(`cardinalWords: ${n} is out of range`);
  if (n === 0) return ['zero'];
  const out: string[] = [];
  const groups: number[] = [];
  let rest = n;
  while (rest > 0) {
    groups.push(rest % 1000);
    rest = Math.floor(rest / 1000);
  }
  for (let g = groups.length - 1; g >= 0; g--) {
    const value = groups[g] as number;
    if (value === 0) continue;
    out.push(...belowThousand(value));
    if (g > 0) out.push(SCALES[g] as string);
  }
  return out;
}

const ORDINAL_IRREGULAR: Readonly<Record<string, string>> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** The ordinal form of the last word of a cardinal (twenty-one -> twenty-first). */
function ordinalOf(word: string): string {
  const parts = word.split('-');
  const last = parts[parts.length - 1] as string;
  const ord = ORDINAL_IRREGULAR[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  parts[parts.length - 1] = ord;
  return parts.join('-');
}

/** Ordinal words (21 -> twenty-first). */
export function ordinalWords(n: number): string[] {
  const words = cardinalWords(n);
  words[words.length - 1] = ordinalOf(words[words.length - 1] as string);
  return words;
}

/** A year as spoken: 1999 -> nineteen ninety-nine, 2005 -> two thousand five, 1900 -> nineteen hundred. */
export function yearWords(n: number): string[] {
  if (n >= 2000 && n < 2010) return cardinalWords(n);
  if (n < 1000 || n >= 10000) return cardinalWords(n);
  const high = Math.floor(n / 100);
  const low = n % 100;
  if (low === 0) return [...cardinalWords(high), 'hundred'];
  return [...cardinalWords(high), ...(low < 10 ? ['oh', ...cardinalWords(low)] : cardinalWords(low))];
}

/** Digit by digit (for the part after a decimal point, and long digit strings). */
export function digitWords(digits: string): string[] {
  return Array.from(digits, (d) => (d === '0' ? 'zero' : (ONES[Number(d)] as string)));
}
