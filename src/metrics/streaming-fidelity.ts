import { meanSquare } from '../dsp/window.js';
import { DRIFT_HOP, DRIFT_SNR_DB, frameSnrDb, SEG_FRAME, SEG_SNR_MAX_DB, SEG_SNR_MIN_DB, type FidelityReport, type SampleRange } from './fidelity.js';
import { SlidingSignal } from './sliding-signal.js';
import { LogMelAnalyzer, LogSpectralAnalyzer, LSD_FRAME, MEL_FRAME, SILENT_MEAN_SQUARE, SPECTRAL_HOP } from './spectral-frames.js';

export interface StreamingFidelityInput {
  truth: Float32Array;
  seedSamples: number;
  /** Phone segments in absolute samples. */
  segments: readonly SampleRange[];
  mode: FidelityReport['mode'];
  sampleRateHz?: number;
}

/** A frame measure over after-seed frames `index * hop`, of `length` samples, averaged over scored frames. */
interface FrameTrack {
  length: number;
  hop: number;
  /** Whether the truth frame at `start` counts (each measure has its own silence rule, as in fidelity.ts). */
  scored(start: number): boolean;
  /** The frame's value; the generated frame starts at `generatedStart` of `generated`. */
  measure(generated: Float32Array, start: number, generatedStart: number): number;
  next: number;
  sum: number;
  count: number;
}

/**
 * The fidelity figures of fidelity(), computed as the generated signal arrives, keeping only its last few
 * hundred samples: a long synthesis needs memory for the recording, not for a second copy of the output.
 * Same frames, same sums in the same order, so the figures equal fidelity()'s over the same samples (the
 * tests check this for any chunking).
 */
export class StreamingFidelity {
  private readonly truth: Float32Array;
  private readonly seed: number;
  private readonly rest: Float32Array;
  private readonly signal: SlidingSignal;
  private readonly seg: FrameTrack;
  private readonly melTrack: FrameTrack;
  private readonly lsdTrack: FrameTrack;
  private driftNext = 0;
  private horizon = -1;
  private err = 0;
  private energy = 0;
  /** Segments (after-seed positions, in the caller's order, which the level average keeps) and their running sums of squares. */
  private readonly segStarts: Float64Array;
  private readonly segEnds: Float64Array;
  private readonly segTruth: Float64Array;
  private readonly segGenerated: Float64Array;
  /** Segment indices by start: the next to become active is segOrder[segNext]. */
  private readonly segOrder: Int32Array;
  private segNext = 0;
  private readonly active: number[] = [];

  constructor(private readonly input: StreamingFidelityInput) {
    this.truth = input.truth;
    this.seed = Math.min(input.seedSamples, input.truth.length);
    this.rest = input.truth.subarray(this.seed);
    this.signal = new SlidingSignal(this.seed);
    const x = this.rest;
    const mel = new LogMelAnalyzer(input.sampleRateHz ?? 16000);
    const lsd = new LogSpectralAnalyzer();
    const loud = (length: number) => (start: number): boolean => meanSquare(x, start, length) > SILENT_MEAN_SQUARE;
    const track = (length: number, hop: number, scored: FrameTrack['scored'], measure: FrameTrack['measure']): FrameTrack => ({ length, hop, scored, measure, next: 0, sum: 0, count: 0 });
    this.seg = track(SEG_FRAME, SEG_FRAME, (start) => meanSquare(x, start, SEG_FRAME) >= SILENT_MEAN_SQUARE, (y, start, at) => Math.min(SEG_SNR_MAX_DB, Math.max(SEG_SNR_MIN_DB, frameSnrDb(x, y, start, SEG_FRAME, at))));
    this.melTrack = track(MEL_FRAME, SPECTRAL_HOP, loud(MEL_FRAME), (y, start, at) => mel.frameDistance(x, y, start, at));
    this.lsdTrack = track(LSD_FRAME, SPECTRAL_HOP, loud(LSD_FRAME), (y, start, at) => lsd.frameDistance(x, y, start, at));
    const segments = input.segments;
    this.segStarts = Float64Array.from(segments, (s) => Math.max(0, s.startSample - this.seed));
    this.segEnds = Float64Array.from(segments, (s) => s.endSample - this.seed);
    this.segOrder = Int32Array.from(segments.keys()).sort((a, b) => (this.segStarts[a] as number) - (this.segStarts[b] as number));
    this.segTruth = new Float64Array(segments.length);
    this.segGenerated = new Float64Array(segments.length);
  }

  /** After-seed samples received so far. */
  get samples(): number {
    return this.signal.end - this.seed;
  }

  /** Add generated samples starting at absolute sample `startSample` (chunks in order; the seed part is skipped). */
  push(samples: Float32Array, startSample: number): void {
    const from = Math.max(startSample, this.signal.end);
    const to = Math.min(startSample + samples.length, this.truth.length);
    if (to <= from) return;
    const keepFrom = this.seed + Math.min(this.seg.next * SEG_FRAME, this.melTrack.next * SPECTRAL_HOP, this.lsdTrack.next * SPECTRAL_HOP, this.horizon < 0 ? this.driftNext * DRIFT_HOP : Infinity);
    this.signal.write(samples.subarray(from - startSample, to - startSample), from, keepFrom);
    this.sampleSums(from - this.seed, to - this.seed, samples, startSample);
    this.frames(this.samples);
  }

  private sampleSums(from: number, to: number, samples: Float32Array, startSample: number): void {
    const x = this.rest;
    const { segStarts, segEnds, active } = this;
    for (let i = from; i < to; i++) {
      const t = x[i] as number;
      const y = samples[i + this.seed - startSample] as number;
      this.err += (y - t) ** 2;
      this.energy += t * t;
      while (this.segNext < segStarts.length && (segStarts[this.segOrder[this.segNext] as number] as number) <= i) active.push(this.segOrder[this.segNext++] as number);
      for (let a = active.length - 1; a >= 0; a--) {
        const s = active[a] as number;
        if ((segEnds[s] as number) <= i) {
          active.splice(a, 1);
          continue;
        }
        this.segTruth[s] = (this.segTruth[s] as number) + t ** 2;
        this.segGenerated[s] = (this.segGenerated[s] as number) + y ** 2;
      }
    }
  }

  /** Every frame that ends within the first `available` after-seed samples. */
  private frames(available: number): void {
    const x = this.rest;
    const { data, offset } = this.signal;
    const at = (afterSeed: number): number => afterSeed + this.seed - offset;
    for (const track of [this.seg, this.melTrack, this.lsdTrack]) {
      for (; track.next * track.hop + track.length <= available; track.next++) {
        const start = track.next * track.hop;
        if (!track.scored(start)) continue;
        track.sum += track.measure(data, start, at(start));
        track.count++;
      }
    }
    for (; this.horizon < 0 && this.driftNext * DRIFT_HOP + SEG_FRAME <= available; this.driftNext++) {
      const start = this.driftNext * DRIFT_HOP;
      if (meanSquare(x, start, SEG_FRAME) <= SILENT_MEAN_SQUARE) continue;
      if (frameSnrDb(x, data, start, SEG_FRAME, at(start)) < DRIFT_SNR_DB) this.horizon = start;
    }
  }

  /** The figures over the samples received so far. */
  report(guard: { nonfinite?: number; clipped?: number } = {}): FidelityReport {
    const n = this.samples;
    const e = this.energy > 0 ? this.err / this.energy : Number.NaN;
    let level = 0;
    let levels = 0;
    for (let s = 0; s < this.segStarts.length; s++) {
      const start = this.segStarts[s] as number;
      const end = Math.min(n, this.segEnds[s] as number);
      if (end <= start) continue;
      const rmsTruth = Math.sqrt((this.segTruth[s] as number) / (end - start));
      const rmsGenerated = Math.sqrt((this.segGenerated[s] as number) / (end - start));
      level += Math.abs(20 * Math.log10((rmsGenerated + 1e-6) / (rmsTruth + 1e-6)));
      levels++;
    }
    const mean = (t: FrameTrack): number => (t.count > 0 ? t.sum / t.count : Number.NaN);
    return {
      mode: this.input.mode,
      samples: n,
      seedSamples: this.seed,
      nmse: e,
      snr_db: -10 * Math.log10(e),
      seg_snr_db: mean(this.seg),
      lsd_db: mean(this.lsdTrack),
      mel_dist_db: mean(this.melTrack),
      level_err_db: levels > 0 ? level / levels : Number.NaN,
      drift_horizon: this.horizon >= 0 ? this.horizon : n,
      nonfinite: guard.nonfinite ?? 0,
      clipped: guard.clipped ?? 0,
    };
  }
}
