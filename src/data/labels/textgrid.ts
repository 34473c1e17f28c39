import { FormatError } from '../../core/errors.js';
import type { ParsedLabels, RawSegment } from './label-types.js';

type Token = { kind: 'string' | 'number' | 'flag'; value: string; line: number };

/**
 * Tokens of a Praat text file, long or short form. Keys (`xmin =`, `item [1]:`, `intervals: size =`) are
 * dropped, so both forms give the same sequence of values.
 */
function tokenize(text: string, path: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      // Any white space, form feeds included (a bare-word scan that stops on one would never advance).
      i++;
    } else if (c === '!') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '"') {
      const startLine = line;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new FormatError({ code: 'E_TEXTGRID', where: `${path}:${startLine}`, message: 'a quoted string is not closed' });
        const d = text[i] as string;
        if (d === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\n') line++;
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', value, line: startLine });
    } else {
      const start = i;
      while (i < n && !/\s/.test(text[i] as string)) i++;
      const word = text.slice(start, i);
      if (word === '<exists>' || word === '<absent>') tokens.push({ kind: 'flag', value: word, line });
      else if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(word)) tokens.push({ kind: 'number', value: word, line });
    }
  }
  return tokens;
}

interface Tier {
  name: string;
  interval: boolean;
  intervals: RawSegment[];
}

/** Read the interval tiers of a Praat TextGrid (long or short text form). */
export function parseTextGridTiers(text: string, path: string): Tier[] {
  const tokens = tokenize(text, path);
  let at = 0;
  const fail = (message: string, line?: number): never => {
    throw new FormatError({ code: 'E_TEXTGRID', where: line ? `${path}:${line}` : path, message });
  };
  const take = (kind: Token['kind'], what: string): Token => {
    const t = tokens[at];
    if (!t) return fail(`the file ends where ${what} was expected`);
    if (t.kind !== kind) return fail(`expected ${what}, found ${JSON.stringify(t.value)}`, t.line);
    at++;
    return t;
  };
  const number = (what: string): number => Number(take('number', what).value);
  const count = (what: string, max: number): number => {
    const t = tokens[at];
    const v = number(what);
    if (!Number.isInteger(v) || v < 0 || v > max) fail(`${what} is ${v}, allowed 0 to ${max}`, t?.line);
    return v;
  };
  if (take('string', 'the file type').value !== 'ooTextFile') fail('not a Praat text file (no "ooTextFile" header)');
  if (take('string', 'the object class').value !== 'TextGrid') fail('the object class is not "TextGrid"');
  number('xmin');
  number('xmax');
  if (tokens[at]?.kind === 'flag') {
    if (take('flag', '<exists>').value === '<absent>') return [];
  }
  // Bounds come from the token count, so a corrupt size field cannot make us allocate or loop forever.
  const tierCount = count('the tier count', tokens.length);
  const tiers: Tier[] = [];
  for (let t = 0; t < tierCount; t++) {
    const cls = take('string', 'a tier class').value;
    const name = take('string', 'a tier name').value;
    number('tier xmin');
    number('tier xmax');
    const size = count('the interval count', tokens.length);
    const interval = cls === 'IntervalTier';
    if (!interval && cls !== 'TextTier') fail(`unknown tier class ${JSON.stringify(cls)}`);
    const intervals: RawSegment[] = [];
    for (let k = 0; k < size; k++) {
      if (interval) {
        const lineOf = tokens[at]?.line ?? 0;
        const start = number('interval xmin');
        const end = number('interval xmax');
        const label = take('string', 'interval text').value.trim();
        intervals.push({ start, end, phone: label, line: lineOf });
      } else {
        number('point time');
        take('string', 'point mark');
      }
    }
    tiers.push({ name, interval, intervals });
  }
  return tiers;
}

/** Pick the phone tier: named "phones" (as Montreal Forced Aligner writes it), else the only interval tier. */
export function parseTextGrid(text: string, path: string, tierName?: string): ParsedLabels {
  const tiers = parseTextGridTiers(text, path).filter((t) => t.interval);
  const names = tiers.map((t) => JSON.stringify(t.name)).join(', ') || 'none';
  let tier: Tier | undefined;
  if (tierName !== undefined) {
    tier = tiers.find((t) => t.name === tierName);
    if (!tier) throw new FormatError({ code: 'E_TEXTGRID_TIER', where: path, message: `no interval tier named ${JSON.stringify(tierName)}; tiers: ${names}` });
  } else {
    tier =
      tiers.find((t) => t.name.toLowerCase() === 'phones') ??
      tiers.find((t) => /phones?$/i.test(t.name)) ??
      (tiers.length === 1 ? tiers[0] : undefined);
    if (!tier) {
      throw new FormatError({
        code: 'E_TEXTGRID_TIER',
        where: path,
        message: `cannot tell which tier holds the phones; interval tiers: ${names}`,
        hint: 'name it "phones" or pass --tier NAME',
      });
    }
  }
  return { unit: 'seconds', segments: tier.intervals, warnings: [] };
}
