import { Rng } from '../../core/rng.js';
import { MULAW_LEVELS, mulawCompress, mulawEncode, mulawExpand } from '../../dsp/mulaw.js';
import { ConditioningWriter } from './conditioning-writer.js';
import { predictsExcitation, SIGNAL_FEATURES, type FeatureLayout } from './feature-layout.js';
import { frameOfSample, linearPrediction, PITCH_TAP_OFFSETS, pitchTap } from './signal-inputs.js';
import type { PhoneTrack } from './phone-track.js';

/** An utterance ready for training: raw samples in [-1, 1) and its phone track in the model's set. */
export interface TrainingSequence {
  id: string;
  samples: Float32Array;
  track: PhoneTrack;
}

export interface BatchShape {
  /** B: streams trained side by side. */
  batch: number;
  /** T: time steps per window (truncated BPTT length). */
  steps: number;
  /** k: previous samples the model sees. */
  k: number;
}

/** One window of B streams x T steps. Rows are time-major: row = t * B + b. */
export interface TrainingBatch {
  /** [B, k + T] per stream: k samples of history then the T inputs, normalized (x / inputScale). */
  source: Float32Array;
  /** [T*B, slots] categorical ids, offset by slot * phoneCount. */
  ids: Int32Array;
  /** [T*B, dense] dense conditioning. */
  dense: Float32Array;
  /** [T*B] normalized target sample (mse head). */
  target: Float32Array;
  /** [T*B] mu-law level of the target sample, or of its excitation x[t] - p[t] (mulaw head). */
  level: Int32Array;
  /** [T*B] 1 for a real target sample, 0 for padding. */
  mask: Float32Array;
  /** Number of real targets. */
  realCount: number;
}

export function allocateBatch(shape: BatchShape, layout: FeatureLayout): TrainingBatch {
  const rows = shape.batch * shape.steps;
  return {
    source: new Float32Array(shape.batch * (shape.k + shape.steps)),
    ids: new Int32Array(rows * layout.slots.length),
    dense: new Float32Array(rows * layout.dense.length),
    target: new Float32Array(rows),
    level: new Int32Array(rows),
    mask: new Float32Array(rows),
    realCount: 0,
  };
}

interface Piece {
  sequence: number;
  /** Timeline position of the piece's first real sample (k padding samples come before it). */
  realStart: number;
  realEnd: number;
}

export interface StreamBatcherOptions {
  /** Inputs and mse targets are divided by this. */
  inputScale: number;
  /** Id of silence in the phone set (for padding). */
  silenceId: number;
  /** Standard deviation of Gaussian noise added to the input samples (normalized units); 0 = none. */
  inputNoise?: number;
  /**
   * Noise in the signal the network reads (LPCNet's noise injection), as a standard deviation in mu-law
   * levels, so it scales with the signal as sampling errors do. The window, the prediction and the taps are
   * all read from the noisy signal, and the excitation target is the clean sample minus the noisy
   * prediction: the network learns to pull a drifting signal back. Drawn afresh each epoch (prepareEpoch).
   */
  signalNoiseLevels?: number;
  /** Seed of the signal noise (with the epoch and the utterance index). */
  noiseSeed?: number;
}

/**
 * Truncated-BPTT batches: the training utterances (in a seeded order per epoch, each preceded by k samples
 * of silence so no window reaches into the previous utterance) form one timeline, cut into B contiguous
 * streams; window s of stream b covers its samples [s*T, (s+1)*T). Batches are built lazily, so memory is
 * O(B * (T + k)), never a copy of the corpus.
 */
export class StreamBatcher {
  private readonly writers: ConditioningWriter[];
  private readonly levels: Uint8Array[];
  /** What the network reads of each utterance: the samples, or a noisy copy (signal noise). */
  private inputs: Float32Array[];
  /** Columns of the signal features in the dense rows (-1: not in the layout): prediction, then the taps. */
  private readonly predictionColumn: number;
  private readonly tapColumns: number[];
  private readonly excitationTarget: boolean;
  private pieces: Piece[] = [];
  private streamStart: number[] = [];
  private streamEnd: number[] = [];
  private order: number[] = [];
  readonly totalRealSamples: number;

  constructor(
    private readonly sequences: readonly TrainingSequence[],
    private readonly layout: FeatureLayout,
    readonly shape: BatchShape,
    private readonly options: StreamBatcherOptions,
  ) {
    if (sequences.length === 0) throw new RangeError('no training sequences');
    this.writers = sequences.map((s) => new ConditioningWriter(s.track, layout, options.silenceId));
    this.predictionColumn = layout.dense.indexOf('lpc_prediction');
    this.tapColumns = SIGNAL_FEATURES.slice(1).map((name) => layout.dense.indexOf(name));
    this.excitationTarget = predictsExcitation(layout);
    const needsExcitation = this.predictionColumn >= 0 || this.tapColumns.some((c) => c >= 0);
    const missing = needsExcitation ? sequences.find((s) => !s.track.excitation) : undefined;
    if (missing) throw new RangeError(`sequence ${missing.id} has no excitation frames, which feature set ${layout.featureSet} needs`);
    this.levels = sequences.map((s) => {
      const out = new Uint8Array(s.samples.length);
      for (let i = 0; i < s.samples.length; i++) out[i] = mulawEncode(s.samples[i] as number);
      return out;
    });
    this.inputs = sequences.map((s) => s.samples);
    this.totalRealSamples = sequences.reduce((n, s) => n + s.samples.length, 0);
    this.setOrder(sequences.map((_, i) => i));
  }

  /** Draw this epoch's signal noise (a no-op without it); the same epoch always gets the same noise. */
  prepareEpoch(epoch: number): void {
    const levels = this.options.signalNoiseLevels ?? 0;
    if (levels <= 0) return;
    const step = (2 * levels) / (MULAW_LEVELS - 1);
    this.inputs = this.sequences.map((s, i) => {
      const rng = new Rng((this.options.noiseSeed ?? 0) * 1000003 + epoch * 7919 + i);
      const out = new Float32Array(s.samples.length);
      for (let t = 0; t < out.length; t++) out[t] = mulawExpand(mulawCompress(s.samples[t] as number) + step * rng.normal());
      return out;
    });
  }

  /** Windows per epoch. */
  get stepsPerEpoch(): number {
    const longest = Math.max(...this.streamEnd.map((e, b) => e - (this.streamStart[b] as number)));
    return Math.ceil(longest / this.shape.steps);
  }

  /** Shuffle the utterance order for a new epoch (seeded), and re-cut the streams. */
  shuffle(rng: Rng): number[] {
    const order = rng.shuffle(this.sequences.map((_, i) => i));
    this.setOrder(order);
    return order;
  }

  getOrder(): number[] {
    return [...this.order];
  }

  setOrder(order: readonly number[]): void {
    const k = this.shape.k;
    this.order = [...order];
    this.pieces = [];
    let at = 0;
    for (const index of order) {
      const seq = this.sequences[index];
      if (!seq) throw new RangeError(`bad sequence index ${index}`);
      this.pieces.push({ sequence: index, realStart: at + k, realEnd: at + k + seq.samples.length });
      at += k + seq.samples.length;
    }
    const B = this.shape.batch;
    this.streamStart = [];
    this.streamEnd = [];
    for (let b = 0; b < B; b++) {
      this.streamStart.push(Math.floor((b * at) / B));
      this.streamEnd.push(Math.floor(((b + 1) * at) / B));
    }
  }

  /** Fill `out` with window `step` of the current epoch. `noiseRng` is used only when inputNoise > 0. */
  fill(step: number, out: TrainingBatch, noiseRng?: Rng): void {
    const { batch: B, steps: T, k } = this.shape;
    const { inputScale } = this.options;
    const noise = this.options.inputNoise ?? 0;
    const S = this.layout.slots.length;
    const D = this.layout.dense.length;
    const span = k + T;
    let real = 0;
    for (let b = 0; b < B; b++) {
      const first = (this.streamStart[b] as number) + step * T;
      const end = this.streamEnd[b] as number;
      let piece = this.pieceAt(first - k);
      for (let j = 0; j < span; j++) {
        const q = first - k + j;
        while (piece < this.pieces.length - 1 && q >= (this.pieces[piece] as Piece).realEnd) piece++;
        const p = this.pieces[piece] as Piece;
        const isReal = q >= p.realStart && q < p.realEnd;
        const seq = this.sequences[p.sequence] as TrainingSequence;
        const input = this.inputs[p.sequence] as Float32Array;
        const local = q - p.realStart;
        let value = isReal ? (input[local] as number) / inputScale : 0;
        if (noise > 0 && noiseRng) value += noise * noiseRng.normal();
        out.source[b * span + j] = value;
        if (j < k) continue;
        const t = j - k;
        const row = t * B + b;
        const counted = isReal && q < end;
        out.mask[row] = counted ? 1 : 0;
        if (counted) real++;
        out.target[row] = isReal ? (seq.samples[local] as number) / inputScale : 0;
        out.level[row] = isReal ? ((this.levels[p.sequence] as Uint8Array)[local] as number) : 128;
        (this.writers[p.sequence] as ConditioningWriter).write(isReal ? local : -1, out.ids, row * S, out.dense, row * D);
        if (isReal && seq.track.excitation) this.writeSignalInputs(seq, input, local, out, row, row * D);
      }
    }
    out.realCount = real;
  }

  /** The loop's own inputs at sample `t` of `seq` (normalized), and the excitation's level as the target. */
  private writeSignalInputs(seq: TrainingSequence, x: Float32Array, t: number, out: TrainingBatch, row: number, at: number): void {
    const excitation = seq.track.excitation as NonNullable<TrainingSequence['track']['excitation']>;
    const frame = frameOfSample(t, excitation.hopSamples, excitation.lag.length);
    const scale = this.options.inputScale;
    if (this.predictionColumn >= 0 || this.excitationTarget) {
      const p = linearPrediction(x, t, excitation, frame);
      if (this.predictionColumn >= 0) out.dense[at + this.predictionColumn] = p / scale;
      if (this.excitationTarget) out.level[row] = mulawEncode((seq.samples[t] as number) - p);
    }
    const lag = excitation.lag[frame] as number;
    this.tapColumns.forEach((column, i) => {
      if (column >= 0) out.dense[at + column] = pitchTap(x, t, lag, PITCH_TAP_OFFSETS[i] as number) / scale;
    });
  }

  private pieceAt(q: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.pieces[mid] as Piece).realEnd <= q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
