import { describe, expect, it } from 'vitest';
import { completeSegmentation } from '../../src/data/labels/complete-segmentation.js';
import { decodeLabels } from '../../src/data/labels/read-labels.js';

const read = (text: string, path: string) => decodeLabels(new TextEncoder().encode(text), path, { sampleRateHz: 16000 });
const errorOf = (fn: () => unknown): { code: string; message: string; where: string } => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; where: string };
  }
  throw new Error('expected an error');
};

describe('label readers', () => {
  it('reads TIMIT .phn in samples', () => {
    const l = read('0 3050 h#\n3050 4559 sh\n4559 5723 iy\n', 'sa1.PHN');
    expect(l.format).toBe('timit');
    expect(l.segments.map((s) => [s.startSample, s.endSample, s.phone])).toEqual([[0, 3050, 'h#'], [3050, 4559, 'sh'], [4559, 5723, 'iy']]);
  });

  it('reads HTK .lab in 100 ns units, and the centre phone of full-context labels', () => {
    const l = read('0 2050000 sil\n2050000 3400000 ao\n', 'a.lab');
    expect(l.segments.map((s) => [s.startSample, s.endSample])).toEqual([[0, 3280], [3280, 5440]]);
    const full = read('0 2050000 x^x-sil+ao=th@x_x/A:0_0_0\n2050000 3400000 x^sil-ao+th=er@1_1/A:0_0_0\n', 'b.lab');
    expect(full.segments.map((s) => s.phone)).toEqual(['sil', 'ao']);
  });

  it('reads xlabel .segs (and Festival .lab files in that form)', () => {
    const text = 'separator ;\nnfields 1\n#\n0.1750 100 pau\n0.3350 100 sh\n';
    for (const name of ['utt.segs', 'utt.lab']) {
      const l = read(text, name);
      expect(l.format).toBe('segs');
      expect(l.segments.map((s) => [s.startSample, s.endSample, s.phone])).toEqual([[0, 2800, 'pau'], [2800, 5360, 'sh']]);
    }
  });

  it('reads Praat TextGrids in long and short form, from the tier named phones', () => {
    const long = `File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 0.5
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "words"
        xmin = 0
        xmax = 0.5
        intervals: size = 1
        intervals [1]:
            xmin = 0
            xmax = 0.5
            text = "she"
    item [2]:
        class = "IntervalTier"
        name = "phones"
        xmin = 0
        xmax = 0.5
        intervals: size = 3
        intervals [1]:
            xmin = 0
            xmax = 0.1
            text = ""
        intervals [2]:
            xmin = 0.1
            xmax = 0.3
            text = "SH"
        intervals [3]:
            xmin = 0.3
            xmax = 0.5
            text = "IY1"
`;
    const short = `File type = "ooTextFile"
Object class = "TextGrid"

0
0.5
<exists>
1
"IntervalTier"
"phones"
0
0.5
2
0
0.25
"sh"
0.25
0.5
"iy"
`;
    const a = read(long, 'x.TextGrid');
    expect(a.segments.map((s) => [s.startSample, s.endSample, s.phone])).toEqual([[0, 1600, ''], [1600, 4800, 'SH'], [4800, 8000, 'IY1']]);
    const b = read(short, 'y.TextGrid');
    expect(b.segments.map((s) => s.phone)).toEqual(['sh', 'iy']);
  });

  it('reads the JSON form in seconds or samples', () => {
    expect(read('[{"phone":"sil","start":0,"end":0.01}]', 'a.json').segments[0]).toMatchObject({ startSample: 0, endSample: 160 });
    expect(read('{"units":"samples","segments":[{"label":"aa","start":5,"end":9}]}', 'b.json').segments[0]).toMatchObject({ startSample: 5, endSample: 9, phone: 'aa' });
  });

  it('gives one-line errors that name the file and line', () => {
    expect(errorOf(() => read('0 100 h#\n100 abc sh\n', 'x.phn'))).toMatchObject({ code: 'E_LABELS_TIME', where: 'x.phn:2' });
    expect(errorOf(() => read('0 -5 h#\n', 'x.phn'))).toMatchObject({ code: 'E_LABELS_NEGATIVE' });
    expect(errorOf(() => read('', 'x.phn'))).toMatchObject({ code: 'E_LABELS_EMPTY' });
    expect(errorOf(() => decodeLabels(new Uint8Array([0, 1, 2, 255, 0]), 'x.phn', { sampleRateHz: 16000 }))).toMatchObject({ code: 'E_LABELS_BINARY' });
    expect(errorOf(() => read('0 1 a\n', 'x.xyz'))).toMatchObject({ code: 'E_LABELS_UNKNOWN_FORMAT' });
    expect(errorOf(() => read('{"segments": []}', 'x.phn'))).toMatchObject({ code: 'E_LABELS_FORMAT_MISMATCH', message: expect.stringMatching(/looks like json/) });
  });
});

describe('completeSegmentation', () => {
  const seg = (s: number, e: number, p: string, line: number) => ({ startSample: s, endSample: e, phone: p, line });
  const opts = { path: 'x.phn', sampleRateHz: 16000, silencePhone: 'h#' };

  it('fills gaps, a late start and the unlabelled tail with silence, each with a warning', () => {
    const r = completeSegmentation([seg(10, 100, 'a', 1), seg(120, 200, 'b', 2)], { ...opts, lengthSamples: 520 });
    expect(r.segments.map((s) => [s.startSample, s.endSample, s.phone])).toEqual([[0, 10, 'h#'], [10, 100, 'a'], [100, 120, 'h#'], [120, 200, 'b'], [200, 520, 'h#']]);
    expect(r.warnings.join('\n')).toMatch(/labels start at sample 10/);
    expect(r.warnings.join('\n')).toMatch(/gap of 20 samples/);
    expect(r.warnings.join('\n')).toMatch(/unlabelled tail of 320 samples \(20.0 ms\)/);
  });

  it('clamps a 1-sample overshoot (TIMIT) and refuses labels far past the audio', () => {
    const r = completeSegmentation([seg(0, 101, 'a', 1)], { ...opts, lengthSamples: 100 });
    expect(r.segments).toHaveLength(1);
    expect(r.segments[0]!.endSample).toBe(100);
    expect(errorOf(() => completeSegmentation([seg(0, 5000, 'a', 1)], { ...opts, lengthSamples: 100 }))).toMatchObject({ code: 'E_LABELS_PAST_END', where: 'x.phn:1' });
  });

  it('refuses reversed, overlapping and unsorted segments', () => {
    expect(errorOf(() => completeSegmentation([seg(50, 10, 'a', 1)], opts))).toMatchObject({ code: 'E_LABELS_REVERSED' });
    expect(errorOf(() => completeSegmentation([seg(0, 50, 'a', 1), seg(40, 60, 'b', 2)], opts))).toMatchObject({ code: 'E_LABELS_OVERLAP', where: 'x.phn:2' });
    expect(errorOf(() => completeSegmentation([seg(100, 150, 'a', 1), seg(0, 50, 'b', 2)], opts))).toMatchObject({ code: 'E_LABELS_UNSORTED' });
  });
});
