import { ExcitationAnalyzer, type AcousticFrames, type ExcitationFrames } from '../data/features/acoustic-frames.js';
import { frameInputs, frameInputWidth } from '../data/features/frame-inputs.js';
import type { PhoneTrack } from '../data/features/phone-track.js';
import type { PhoneSet } from '../data/phones/phone-sets.js';

/** Runs the frame network on a block of frame inputs [rows, inputWidth] -> features [rows, outputWidth]. */
export interface FrameNetworkSession {
  predict(inputs: Float32Array, rows: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Frames predicted per block after the first (0.64 s of audio): a block costs one graph call. */
export const FRAME_BLOCK = 64;
/** The first block is small, so the first audio does not wait for a long block. */
export const FIRST_FRAME_BLOCK = 8;

/**
 * Fills a plan's acoustic frames (and the predictors and lags derived from them) ahead of the sample loop,
 * block by block, from the frame network: frames [a, b) are predicted from the inputs of [a - c, b + c)
 * (c: the network's context), so each block equals the whole-utterance prediction exactly.
 */
export class FrameFiller {
  private filled = 0;
  private readonly inputs: Float32Array;
  private readonly analyzer: ExcitationAnalyzer;
  private readonly width: number;

  constructor(
    private readonly session: FrameNetworkSession,
    private readonly track: PhoneTrack & { frames: AcousticFrames; excitation: ExcitationFrames },
    private readonly set: PhoneSet,
    private readonly contextFrames: number,
  ) {
    this.width = frameInputWidth(set.phones.length);
    this.inputs = new Float32Array((FRAME_BLOCK + 2 * contextFrames) * this.width);
    this.analyzer = new ExcitationAnalyzer(track.sampleRateHz, track.excitation.order);
  }

  get framesFilled(): number {
    return this.filled;
  }

  /** Make sure every frame a sample before `endSample` reads is there. */
  async ensure(endSample: number): Promise<void> {
    const { frames } = this.track;
    const needed = Math.min(frames.count, Math.ceil(endSample / frames.hopSamples));
    while (this.filled < needed) {
      const first = this.filled;
      const count = Math.min(frames.count - first, Math.max(needed - first, first === 0 ? FIRST_FRAME_BLOCK : FRAME_BLOCK), FRAME_BLOCK);
      await this.fill(first, count);
    }
  }

  private async fill(first: number, count: number): Promise<void> {
    const { frames, excitation } = this.track;
    const c = this.contextFrames;
    const from = Math.max(0, first - c);
    const to = Math.min(frames.count, first + count + c);
    const rows = to - from;
    const inputs = this.inputs.subarray(0, rows * this.width);
    frameInputs(this.track, this.set, frames.hopSamples, from, rows, inputs);
    const predicted = await this.session.predict(inputs, rows);
    frames.values.set(predicted.subarray((first - from) * frames.width, (first - from + count) * frames.width), first * frames.width);
    this.analyzer.write(frames, excitation, first, count);
    this.filled = first + count;
  }
}
