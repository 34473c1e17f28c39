import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCorpusStats } from '../../src/data/corpus/corpus-stats.js';
import { scanCorpus, selectUtterances } from '../../src/data/corpus/scan-corpus.js';
import { splitByName } from '../../src/data/corpus/split-corpus.js';
import { repairCorpus } from '../../src/data/corpus/repair-corpus.js';
import { swapSampleBytes } from '../../src/data/audio/recording-checks.js';
import { SHARED_DATA, sine, tempDir, writeToneUtterance, writeWav } from '../helpers/fixtures.js';

describe('corpus scanner', () => {
  it('finds the TIMIT layout (DRn/SPEAKER/UTT, upper case) ', async () => {
    const root = tempDir();
    for (const [dr, spk] of [['DR1', 'FCJF0'], ['DR2', 'MARC0']]) {
      for (const utt of ['SA1', 'SX2']) writeToneUtterance(join(root, 'TRAIN', dr, spk), utt, [['h#', 800], ['aa', 1600], ['h#', 800]]);
    }
    const corpus = await scanCorpus(root);
    expect(corpus.layout).toBe('timit');
    expect(corpus.utterances.map((u) => u.id)).toEqual(['TRAIN/DR1/FCJF0/SA1', 'TRAIN/DR1/FCJF0/SX2', 'TRAIN/DR2/MARC0/SA1', 'TRAIN/DR2/MARC0/SX2']);
    expect(selectUtterances(corpus, ['marc0/sa1'])[0]!.id).toBe('TRAIN/DR2/MARC0/SA1');
  });

  it('finds the ARCTIC layout: wav/ beside the label folder that covers most recordings', async () => {
    const root = tempDir();
    for (const n of ['a0001', 'a0002']) {
      writeWav(join(root, 'wav', `arctic_${n}.wav`), sine(3200));
      mkdirSync(join(root, 'lab'), { recursive: true });
      writeFileSync(join(root, 'lab', `arctic_${n}.lab`), '0 1000000 sil\n1000000 2000000 aa\n');
    }
    mkdirSync(join(root, 'other'));
    writeFileSync(join(root, 'other', 'arctic_a0001.lab'), '0 2000000 sil\n');
    const corpus = await scanCorpus(root);
    expect(corpus.layout).toBe('arctic');
    expect(corpus.utterances.map((u) => [u.id, u.labelPath.includes('/lab/')])).toEqual([['arctic_a0001', true], ['arctic_a0002', true]]);
    const stats = await computeCorpusStats(corpus);
    expect(stats.utterances).toBe(2);
    expect(stats.durationSeconds).toBeCloseTo(0.4, 6);
    expect(stats.problems.map((p) => p.message)).toEqual([expect.stringMatching(/tail of 0|tail of 3200/), expect.stringMatching(/tail/)].slice(0, stats.problems.length));
  });

  it('pairs flat files and reports unreadable ones as problems, not crashes', async () => {
    const root = tempDir();
    writeToneUtterance(root, 'good', [['pau', 1600], ['aa', 1600]]);
    writeWav(join(root, 'bad.wav'), sine(1600));
    writeFileSync(join(root, 'bad.phn'), '0 800 aa\n700 1600 bb\n');
    writeWav(join(root, 'lonely.wav'), sine(100));
    const corpus = await scanCorpus(root);
    expect(corpus.layout).toBe('flat');
    expect(corpus.unlabelled).toEqual([join(root, 'lonely.wav')]);
    const stats = await computeCorpusStats(corpus);
    expect(stats.utterances).toBe(1);
    expect(stats.problems).toEqual([expect.objectContaining({ utterance: 'bad', severity: 'error', message: expect.stringMatching(/inside the previous segment/) })]);
    expect(stats.phones).toEqual({ aa: { count: 1, seconds: 0.1 }, pau: { count: 1, seconds: 0.1 } });
  });

  it('splits deterministically by name: the last 10% are dev', () => {
    const refs = Array.from({ length: 50 }, (_, i) => ({ id: `arctic_a${String(i + 1).padStart(4, '0')}`, audioPath: '', labelPath: '' })).reverse();
    const split = splitByName(refs, 0.1);
    expect(split.dev.map((r) => r.id)).toEqual(['arctic_a0046', 'arctic_a0047', 'arctic_a0048', 'arctic_a0049', 'arctic_a0050']);
    expect(split.train).toHaveLength(45);
    expect(splitByName(refs.slice(0, 1)).dev).toEqual([]);
  });
});

const arctic = join(SHARED_DATA, 'cmu_arctic_slt');
const timit = join(SHARED_DATA, 'timit_nltk_sample');

describe.skipIf(!existsSync(arctic) || !existsSync(timit))('real corpora in ../shared/data (skipped when the folder is absent)', () => {
  it('CMU ARCTIC SLT: 50 utterances, 148.87 s, 40 phones, a 20 ms unlabelled tail on every file', async () => {
    const stats = await computeCorpusStats(await scanCorpus(arctic));
    expect(stats.utterances).toBe(50);
    expect(stats.durationSeconds).toBeCloseTo(148.87, 2);
    expect(stats.sampleRates).toEqual([16000]);
    expect(Object.keys(stats.phones)).toHaveLength(40);
    const tails = stats.problems.filter((p) => /unlabelled tail of 32[01] samples \(20\.\d ms\)/.test(p.message));
    expect(tails).toHaveLength(50);
    expect(stats.problems).toHaveLength(50);
    expect(stats.problems.filter((p) => p.severity === 'recording')).toEqual([]);
  });

  it('TIMIT sample: 40 utterances, 111.72 s, TIMIT symbols, tails of a few ms and one 1-sample overshoot', async () => {
    const stats = await computeCorpusStats(await scanCorpus(timit));
    expect(stats.utterances).toBe(40);
    expect(stats.durationSeconds).toBeCloseTo(111.72, 2);
    expect(stats.phones['h#']).toBeDefined();
    expect(stats.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const tails = stats.problems.map((p) => /tail of (\d+) samples/.exec(p.message)?.[1]).filter(Boolean).map(Number);
    expect(tails.length).toBe(39);
    expect(Math.max(...tails)).toBeLessThanOrEqual(119);
    expect(stats.problems.filter((p) => /past the audio/.test(p.message)).map((p) => p.utterance)).toEqual(['dr1-fvmh0/sa1']);
    expect(stats.problems.filter((p) => p.severity === 'recording')).toEqual([]);
  });

  it('TIMIT sample damaged again as found (PROVENANCE ranges swapped back): exactly the 12 files flagged with their ranges, and repair restores ../shared byte for byte', async () => {
    const damaged = join(tempDir('synth-timit-damaged-'), 'timit');
    cpSync(timit, damaged, { recursive: true });
    const listed = new Map<string, Array<[number, number]>>();
    for (const m of readFileSync(join(timit, 'PROVENANCE.md'), 'utf8').matchAll(/^\| (dr\d-\w+\/\w+)\.wav \| ([\d\-, ]+) \|$/gm)) {
      const ranges = (m[2] as string).split(',').map((r) => r.trim().split('-').map(Number) as [number, number]);
      listed.set(m[1] as string, ranges);
      const path = join(damaged, `${m[1]}.wav`);
      const bytes = new Uint8Array(readFileSync(path));
      const ints = new Int16Array(bytes.buffer, 44, (bytes.length - 44) / 2);
      swapSampleBytes(ints, ranges);
      writeFileSync(path, bytes);
    }
    expect(listed.size).toBe(12);
    const stats = await computeCorpusStats(await scanCorpus(damaged));
    const recording = stats.problems.filter((p) => p.severity === 'recording');
    expect([...new Set(recording.map((p) => p.utterance))].sort()).toEqual([...listed.keys()].sort());
    const byteOrder = new Map(recording.filter((p) => p.kind === 'byte-order').map((p) => [p.utterance, p.ranges]));
    for (const [id, ranges] of listed) expect(byteOrder.get(id), id).toEqual(ranges);
    const out = join(tempDir('synth-timit-repaired-'), 'copy');
    const report = await repairCorpus(damaged, out);
    expect(report.repaired).toHaveLength(12);
    for (const id of listed.keys()) expect(readFileSync(join(out, `${id}.wav`)).equals(readFileSync(join(timit, `${id}.wav`)))).toBe(true);
  });
});
