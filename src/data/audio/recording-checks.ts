/**
 * Checks of a recording's samples that label checks cannot see, each with a kind and where it is:
 * - `byte-order`: stretches of 16-bit samples stored big-endian in a little-endian file (they play as loud
 *   broadband noise). Speech is smooth from sample to sample; byte-swapped speech is not. In blocks of
 *   BLOCK_SAMPLES, the energy of the first difference read as stored is compared with that of the same
 *   samples byte-swapped; runs of at least MIN_RUN_BLOCKS swapped blocks are reported, each edge moved to
 *   the sample that makes the joined signal smoothest.
 * - `clipping`: runs of CLIP_RUN or more consecutive samples at full scale.
 * - `dc-offset`: a mean far from zero for the signal's level.
 * - `silent`: no sample above -60 dBFS.
 * - `level`: an RMS far from the corpus median (checked over a corpus: levelProblems).
 * Pure functions over float samples that came from 16-bit PCM (x * 32768 is the stored integer).
 */
export type RecordingProblemKind = 'byte-order' | 'clipping' | 'dc-offset' | 'silent' | 'level';
export const RECORDING_PROBLEM_KINDS: readonly RecordingProblemKind[] = ['byte-order', 'clipping', 'dc-offset', 'silent', 'level'];

export interface RecordingProblem {
  kind: RecordingProblemKind;
  message: string;
  /** byte-order: [start, end) sample ranges stored with the wrong byte order. */
  ranges?: Array<[number, number]>;
}

export const BLOCK_SAMPLES = 64;
/** A swapped stretch shorter than this many blocks (40 ms) is not reported: too short to tell from noise. */
export const MIN_RUN_BLOCKS = 10;
/** Consecutive full-scale samples that count as one clipped run. */
export const CLIP_RUN = 3;
/** |mean| above this fraction of the RMS (and above -50 dBFS) is a DC offset. */
const DC_RATIO = 0.25;
const DC_FLOOR = 10 ** (-50 / 20);
/** Peak below -60 dBFS: silent. */
const SILENT_PEAK = 10 ** (-60 / 20);
/** An utterance whose RMS is this far from the corpus median, in dB, has a level problem. */
export const LEVEL_TOLERANCE_DB = 20;

/** The int16 a float sample came from. */
function toInt16(v: number): number {
  const i = Math.round(v * 32768);
  return i > 32767 ? 32767 : i < -32768 ? -32768 : i;
}

/** The same 16 bits read with the other byte order. */
export function swapInt16(v: number): number {
  const u = v & 0xffff;
  const s = ((u & 0xff) << 8) | (u >>> 8);
  return s >= 0x8000 ? s - 0x10000 : s;
}

/**
 * [start, end) ranges whose samples were stored with the other byte order. Blocks of digital silence
 * (equal either way) neither start nor break a run.
 */
export function findByteSwappedRanges(samples: Float32Array): Array<[number, number]> {
  const n = samples.length;
  const ints = Int32Array.from(samples, toInt16);
  const swapped = Int32Array.from(ints, swapInt16);
  const blocks = Math.floor(n / BLOCK_SAMPLES);
  // +1 swapped, -1 as stored, 0 undecided (equal energies, e.g. zeros).
  const verdict = new Int8Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let asStored = 0;
    let other = 0;
    for (let i = b * BLOCK_SAMPLES + 1; i < (b + 1) * BLOCK_SAMPLES; i++) {
      asStored += ((ints[i] as number) - (ints[i - 1] as number)) ** 2;
      other += ((swapped[i] as number) - (swapped[i - 1] as number)) ** 2;
    }
    verdict[b] = other < asStored ? 1 : other > asStored ? -1 : 0;
  }
  const ranges: Array<[number, number]> = [];
  let b = 0;
  while (b < blocks) {
    if (verdict[b] !== 1) {
      b++;
      continue;
    }
    let end = b;
    let count = 0;
    while (end < blocks && verdict[end] !== -1) {
      if (verdict[end] === 1) count++;
      end++;
    }
    // Trim undecided blocks at the end of the run.
    let last = end - 1;
    while (last > b && verdict[last] === 0) last--;
    if (count >= MIN_RUN_BLOCKS) {
      const start = refineEdge(ints, swapped, b * BLOCK_SAMPLES, true);
      // A run reaching the last whole block runs to the end of the file.
      const stop = last + 1 >= blocks ? n : refineEdge(ints, swapped, (last + 1) * BLOCK_SAMPLES, false);
      if (stop > start) ranges.push([start, stop]);
    }
    b = end;
  }
  return ranges;
}

/**
 * The edge near `around` where the stored order changes: the boundary that minimizes the total absolute
 * first difference of the joined signal over a window of a block each side. `entering`: as stored before
 * the edge and swapped after it (else the reverse).
 */
function refineEdge(ints: Int32Array, swapped: Int32Array, around: number, entering: boolean): number {
  const n = ints.length;
  // Edge 0 (the file starts swapped) is a candidate; differences start at sample 1.
  const lo = Math.max(0, around - BLOCK_SAMPLES);
  const hi = Math.min(n - 1, around + BLOCK_SAMPLES);
  const before = entering ? ints : swapped;
  const after = entering ? swapped : ints;
  let best = around;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let edge = lo; edge <= hi; edge++) {
    let cost = 0;
    for (let i = Math.max(1, lo); i <= hi; i++) {
      const cur = i >= edge ? (after[i] as number) : (before[i] as number);
      const prev = i - 1 >= edge ? (after[i - 1] as number) : (before[i - 1] as number);
      cost += Math.abs(cur - prev);
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = edge;
    }
  }
  return best;
}

/** Swap the byte order of the int16 samples in `ranges`, in place (the repair of byte-order damage). */
export function swapSampleBytes(ints: Int16Array, ranges: ReadonlyArray<readonly [number, number]>): void {
  for (const [start, end] of ranges) for (let i = start; i < end; i++) ints[i] = swapInt16(ints[i] as number);
}

/** Root mean square in dBFS (-inf for digital silence). */
export function rmsDb(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] as number) ** 2;
  return 10 * Math.log10(sum / Math.max(1, samples.length));
}

/** Every check of one recording except `level` (which needs the corpus). */
export function checkRecording(samples: Float32Array): RecordingProblem[] {
  const problems: RecordingProblem[] = [];
  const ranges = findByteSwappedRanges(samples);
  if (ranges.length > 0) {
    const total = ranges.reduce((s, [a, b]) => s + b - a, 0);
    problems.push({ kind: 'byte-order', ranges, message: `${total} samples stored big-endian in ${ranges.length} stretch(es): ${ranges.map(([a, b]) => `${a}-${b}`).join(', ')}` });
  }
  let runs = 0;
  let run = 0;
  let peak = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    const i16 = toInt16(v);
    if (i16 >= 32767 || i16 <= -32768) {
      run++;
      if (run === CLIP_RUN) runs++;
    } else run = 0;
    peak = Math.max(peak, Math.abs(v));
    sum += v;
    squares += v * v;
  }
  if (runs > 0) problems.push({ kind: 'clipping', message: `${runs} run(s) of ${CLIP_RUN} or more full-scale samples` });
  const n = Math.max(1, samples.length);
  const mean = sum / n;
  const rms = Math.sqrt(squares / n);
  if (Math.abs(mean) > DC_FLOOR && Math.abs(mean) > DC_RATIO * Math.sqrt(Math.max(0, rms * rms - mean * mean))) {
    problems.push({ kind: 'dc-offset', message: `mean ${mean.toFixed(4)} (${(20 * Math.log10(Math.abs(mean))).toFixed(1)} dBFS) against an AC RMS of ${(20 * Math.log10(Math.sqrt(Math.max(1e-20, rms * rms - mean * mean)))).toFixed(1)} dBFS` });
  }
  if (peak < SILENT_PEAK) problems.push({ kind: 'silent', message: `no sample above -60 dBFS (peak ${peak > 0 ? (20 * Math.log10(peak)).toFixed(1) : '-inf'} dBFS)` });
  return problems;
}

/** `level` problems: utterances whose RMS is more than LEVEL_TOLERANCE_DB from the median of `levelsDb`. */
export function levelProblems(levelsDb: ReadonlyMap<string, number>): Map<string, RecordingProblem> {
  const finite = [...levelsDb.values()].filter(Number.isFinite).sort((a, b) => a - b);
  const out = new Map<string, RecordingProblem>();
  if (finite.length < 3) return out;
  const median = finite[Math.floor(finite.length / 2)] as number;
  for (const [id, db] of levelsDb) {
    if (!Number.isFinite(db)) continue;
    if (Math.abs(db - median) > LEVEL_TOLERANCE_DB) out.set(id, { kind: 'level', message: `RMS ${db.toFixed(1)} dBFS, ${(db - median).toFixed(1)} dB from the corpus median (${median.toFixed(1)} dBFS)` });
  }
  return out;
}
