import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { formatLabels } from '../../src/data/labels/write-labels.js';
import { parseLabelText } from '../../src/data/labels/read-labels.js';
import { LABEL_FORMATS } from '../../src/data/labels/label-types.js';
import { melDistanceDtwDb } from '../../src/metrics/dtw-mel-distance.js';
import { melDistanceDb } from '../../src/metrics/spectral-frames.js';
import { durationFigures, phoneErrorRate } from '../../src/metrics/text-figures.js';
import { alignTextToLabels } from '../../src/text/align-labels.js';
import { durationInputs, durationInputWidth, labelPhones } from '../../src/text/duration-features.js';
import { alignWord } from '../../src/text/letter-alignment.js';
import { Lexicon, loadDictionary, toRadio } from '../../src/text/lexicon.js';
import { normalizeText } from '../../src/text/normalize.js';
import { phonetizeSentence, sentencePhones } from '../../src/text/phonetize.js';
import { parsePrompts } from '../../src/text/read-text.js';
import { textSentences } from '../../src/cli/text-input.js';
import { SHARED_DATA, tempDir } from '../helpers/fixtures.js';

let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = new Lexicon(await loadDictionary());
});

const pronounce = (word: string): string | undefined => lexicon.lookup(word)?.phones.join(' ');

describe('lexicon', () => {
  it('maps CMUdict onto the radio set with the labels\' conventions (unstressed AH0 is ax; to, and)', () => {
    expect(toRadio('AH0 B AW1 T')).toEqual({ phones: ['ax', 'b', 'aw', 't'], stress: [0, -1, 1, -1] });
    expect(pronounce('about')).toBe('ax b aw t');
    expect(pronounce('to')).toBe('t ax');
    expect(pronounce('and')).toBe('ae n d');
    expect(lexicon.lookup('girl')?.stress).toEqual([-1, 1, -1]);
  });

  it('builds possessives of known words: s after voiceless consonants, ax z after sibilants, else z', () => {
    expect(pronounce("selden's")).toBe('s eh l d ax n z');
    expect(pronounce("hitchcock's")).toMatch(/k s$/);
    expect(pronounce("church's")).toMatch(/ch ax z$/);
    expect(lexicon.lookup("qzxv's")).toBeUndefined();
  });

  it('names letters for initials and spelled acronyms', () => {
    expect(lexicon.letter('b').phones.join(' ')).toBe('b iy');
    expect(lexicon.letter('W').phones.length).toBeGreaterThan(3);
  });
});

describe('letter-to-sound alignment', () => {
  it('aligns letters to phones, one, none or two per letter', () => {
    const table = new Map([['x', new Map([['k+s', 50]])], ['a', new Map([['ae', 50]])], ['e', new Map([['_', 50]])]]);
    expect(alignWord('axe', ['ae', 'k', 's'], table)).toEqual(['ae', 'k+s', '_']);
    expect(alignWord('a', ['ae', 'k', 's'], table)).toBeNull();
  });
});

describe('phones, pauses and duration features', () => {
  it('puts pauses at the sentence edges and where asked, with word positions and stress', () => {
    const s = normalizeText('Hello world, again.', (w) => lexicon.has(w)).sentences[0]!;
    const p = phonetizeSentence(s, lexicon, undefined);
    expect(p.breaks).toEqual([{ afterWord: 1, mark: ',' }]);
    const phones = sentencePhones(p, new Set([1]));
    expect(phones.map((x) => x.phone).join(' ')).toBe('pau hh ax l ow w er l d pau ax g eh n pau');
    expect(phones[1]).toMatchObject({ word: 0, position: 'initial' });
    expect(phones[4]).toMatchObject({ word: 0, position: 'final', stress: 1 });
    const width = durationInputWidth(49);
    const rows = durationInputs(phones, Array.from({ length: 49 }, (_, i) => ['pau', 'hh', 'ax', 'l', 'ow', 'w', 'er', 'd', 'g', 'eh', 'n'][i] ?? `x${i}`));
    expect(rows.length).toBe(phones.length * width);
    expect(labelPhones(['pau', 'aa'])[1]).toEqual({ phone: 'aa', stress: -2, word: -1, position: 'unknown' });
  });

  it('learns from the labels where the speaker paused: a label pau between two words of a break', () => {
    const s = normalizeText('Hello world, again.', (w) => lexicon.has(w)).sentences[0]!;
    const p = phonetizeSentence(s, lexicon, undefined);
    const paused = alignTextToLabels(p, ['pau', 'hh', 'ax', 'l', 'ow', 'w', 'er', 'l', 'd', 'pau', 'ax', 'g', 'eh', 'n', 'pau']);
    expect(paused.pausedAt).toEqual([true]);
    expect(paused.phones[6]).toMatchObject({ phone: 'er', word: 1, stress: 1 });
    expect(alignTextToLabels(p, ['pau', 'hh', 'ax', 'l', 'ow', 'w', 'er', 'l', 'd', 'ax', 'g', 'eh', 'n', 'pau']).pausedAt).toEqual([false]);
  });
});

describe('label writers', () => {
  it('write every format the readers take, and read back to the same segments', () => {
    const segments = [{ startSample: 0, endSample: 2400, phone: 'pau' }, { startSample: 2400, endSample: 3200, phone: 'hh' }, { startSample: 3200, endSample: 5600, phone: 'ax' }];
    for (const format of LABEL_FORMATS) {
      const text = formatLabels(segments, format, 16000);
      const parsed = parseLabelText(text, `x.${format}`, format);
      const scale = parsed.unit === 'samples' ? 1 : parsed.unit === 'seconds' ? 16000 : 16000 / 1e7;
      expect(parsed.segments.map((s) => [Math.round(s.start * scale), Math.round(s.end * scale), s.phone]), format).toEqual(segments.map((s) => [s.startSample, s.endSample, s.phone]));
    }
  });
});

describe('text figures (METRICS.md)', () => {
  it('per_pct leaves silences out of both sequences', () => {
    expect(phoneErrorRate(['pau', 'a', 'b', 'c'], ['sil', 'a', 'x', 'c', 'pau']).per_pct).toBeCloseTo(100 / 3, 10);
  });

  it('dur figures leave out a leading and a trailing silence', () => {
    const r = durationFigures([9, 0.1, 0.2, 9], [1, 0.1, 0.3, 1], ['pau', 'a', 'b', 'pau']);
    expect(r.count).toBe(2);
    expect(r.dur_rmse_ms).toBeCloseTo(Math.sqrt((0 + 100 ** 2) / 2), 6);
  });

  it('mel_dist_dtw_db is 0 for a signal against itself, ignores gain, and forgives timing that mel_dist_db does not', () => {
    const rng = new Rng(3);
    const voice = (t: number): number => Math.sin(t / 12) * (0.5 + 0.5 * Math.sin(t / 900)) * 0.3 + 0.003 * rng.normal();
    const x = Float32Array.from({ length: 16000 }, (_, t) => voice(t));
    expect(melDistanceDtwDb(x, x)).toBeCloseTo(0, 6);
    expect(melDistanceDtwDb(x, Float32Array.from(x, (v) => v * 0.25))).toBeCloseTo(0, 3);
    const late = new Float32Array(16800);
    late.set(x, 800);
    expect(melDistanceDtwDb(x, late)).toBeLessThan(0.5 * melDistanceDb(x, late.subarray(0, 16000)));
  });
});

describe('text input', () => {
  it('reads festvox prompts and plain text, and streams a large file sentence by sentence in bounded pieces', async () => {
    expect(parsePrompts('( a1 "Hello there." )\n( a2 "Second \\"one\\"." )\n')).toEqual([{ id: 'a1', text: 'Hello there.' }, { id: 'a2', text: 'Second "one".' }]);
    expect(parsePrompts('Just text.')).toBeUndefined();
    const path = join(tempDir(), 'book.txt');
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    writeFileSync(path, sentence.repeat(50000));
    let count = 0;
    let longest = 0;
    for await (const s of textSentences(undefined, path)) {
      count++;
      longest = Math.max(longest, s.length);
    }
    expect(count).toBe(50000);
    expect(longest).toBe(sentence.trim().length);
  });
});

const prompts = join(SHARED_DATA, 'cmu_arctic_slt', 'prompts.data');
describe.skipIf(!existsSync(prompts))('ARCTIC prompts against their labels (skipped without ../shared)', () => {
  it('the lexicon front end reaches per_pct <= 1 on a0001-a0045 and on the dev sentences', async () => {
    const { readLabelFile } = await import('../../src/data/labels/read-labels.js');
    const all = parsePrompts(readFileSync(prompts, 'utf8')) ?? [];
    for (const [from, to, limit] of [[0, 45, 0.5], [45, 50, 1]] as const) {
      let errors = 0;
      let length = 0;
      for (const p of all.slice(from, to)) {
        const labels = await readLabelFile(join(SHARED_DATA, 'cmu_arctic_slt', 'label_phone_align_derived', `${p.id}.lab`), { sampleRateHz: 16000 });
        const items = normalizeText(p.text, (w) => lexicon.has(w)).sentences.flatMap((s) => s.items);
        const phones = sentencePhones(phonetizeSentence({ source: p.text, items }, lexicon, undefined), new Set());
        const r = phoneErrorRate(phones.map((x) => x.phone), labels.segments.map((s) => s.phone));
        errors += r.errors;
        length += r.length;
      }
      expect((100 * errors) / length, `${from}-${to}`).toBeLessThanOrEqual(limit);
    }
  });
});
