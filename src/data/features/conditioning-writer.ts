import { ACOUSTIC_FEATURE_NAMES, ACOUSTIC_INPUT_MEAN, ACOUSTIC_INPUT_SCALE } from './acoustic-frames.js';
import { frameDense, isAcoustic, type FeatureLayout } from './feature-layout.js';
import { DURATION_SCALE_PER_SECOND } from './feature-layout.js';
import type { PhoneTrack } from './phone-track.js';

/**
 * Writes the conditioning of one sample: categorical ids (offset by slot * phoneCount, ready for the
 * embedding table) and dense values. Keeps a segment cursor, so walking forward costs O(1) per sample;
 * it is the per-sample part of the "frame network" and allocates nothing.
 */
export class ConditioningWriter {
  private segment = 0;
  private readonly silenceId: number;
  /** Per dense feature: its column in the track's acoustic frames, or -1. */
  private readonly acousticColumn: Int32Array;
  private readonly frameDenseCount: number;

  constructor(
    private readonly track: PhoneTrack,
    private readonly layout: FeatureLayout,
    silenceId: number,
  ) {
    this.silenceId = silenceId;
    this.frameDenseCount = frameDense(layout).length;
    this.acousticColumn = Int32Array.from(layout.dense, (d) => (isAcoustic(layout.featureSet) ? ACOUSTIC_FEATURE_NAMES.indexOf(d) : -1));
  }

  reset(): void {
    this.segment = 0;
  }

  private seek(sample: number): number {
    const { starts, ends } = this.track;
    const n = starts.length;
    let s = this.segment;
    if (s >= n || sample < (starts[s] as number)) s = 0;
    // Forward walk covers the common case; long jumps fall back to binary search.
    if (sample >= (ends[s] as number) && sample - (ends[s] as number) > 4096) {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((ends[mid] as number) <= sample) lo = mid + 1;
        else hi = mid;
      }
      s = lo;
    }
    while (s < n - 1 && sample >= (ends[s] as number)) s++;
    this.segment = s;
    return s;
  }

  /**
   * Conditioning of `sample` (may lie outside the track: then silence). Writes `slots.length` ids at
   * ids[idsAt..] and `dense.length` values at dense[denseAt..].
   */
  write(sample: number, ids: Int32Array | null, idsAt: number, dense: Float32Array | null, denseAt: number): void {
    const { track, layout } = this;
    const n = track.ids.length;
    const inside = sample >= 0 && sample < track.lengthSamples && n > 0;
    const s = inside ? this.seek(sample) : -1;
    const V = layout.phoneCount;
    if (ids) {
      for (let slot = 0; slot < layout.slots.length; slot++) {
        const kind = layout.slots[slot];
        let id = this.silenceId;
        if (inside) {
          const j = kind === 'phone' ? s : kind === 'prev' ? s - 1 : s + 1;
          if (j >= 0 && j < n) id = track.ids[j] as number;
        }
        ids[idsAt + slot] = slot * V + id;
      }
    }
    if (dense) {
      const start = inside ? (track.starts[s] as number) : 0;
      const end = inside ? (track.ends[s] as number) : 0;
      const frames = track.frames;
      for (let d = 0; d < layout.dense.length; d++) {
        const kind = layout.dense[d];
        const column = this.acousticColumn[d] as number;
        let v = 0;
        if (column >= 0) {
          // Acoustic frames hold each value over their hop; outside them they read as the mean (0).
          const frame = frames && sample >= 0 ? Math.floor(sample / frames.hopSamples) : -1;
          if (frames && frame >= 0 && frame < frames.count) {
            v = ((frames.values[frame * frames.width + column] as number) - (ACOUSTIC_INPUT_MEAN[column] as number)) / (ACOUSTIC_INPUT_SCALE[column] as number);
          }
        } else if (kind === 'position') v = inside ? (sample - start) / (end - start) : 0;
        else if (kind === 'duration') v = inside ? ((end - start) / track.sampleRateHz) * DURATION_SCALE_PER_SECOND : 0;
        else if (track.prosody && (kind === 'log_f0' || kind === 'voicing' || kind === 'log_energy')) {
          const p = track.prosody;
          const frame = Math.min(p.voicing.length - 1, Math.max(0, Math.round(sample / p.hopSamples)));
          const values = kind === 'log_f0' ? p.logF0 : kind === 'voicing' ? p.voicing : p.logEnergy;
          v = inside && frame >= 0 ? (values[frame] as number) : 0;
        }
        dense[denseAt + d] = v;
      }
    }
  }

  /**
   * Dense one-hot form (the ONNX input) of `count` samples from `start`, rows of featureWidth: the signal
   * features (last in the layout) are computed inside the sample loop and are not part of a row.
   */
  writeDenseRows(start: number, count: number, out: Float32Array, rowStride: number, scratchIds: Int32Array, scratchDense: Float32Array): void {
    const { layout } = this;
    const oneHot = layout.slots.length * layout.phoneCount;
    const frameDenseCount = this.frameDenseCount;
    for (let i = 0; i < count; i++) {
      const row = i * rowStride;
      out.fill(0, row, row + oneHot);
      this.write(start + i, scratchIds, 0, scratchDense, 0);
      for (let slot = 0; slot < layout.slots.length; slot++) out[row + (scratchIds[slot] as number)] = 1;
      for (let d = 0; d < frameDenseCount; d++) out[row + oneHot + d] = scratchDense[d] as number;
    }
  }
}
