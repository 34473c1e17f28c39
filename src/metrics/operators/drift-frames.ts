import { Observable, type OperatorFunction } from 'rxjs';
import type { EngineEvent } from '../../engine/engine-events.js';
import { frameSnrDb, SEG_FRAME, SEG_SNR_MAX_DB, SEG_SNR_MIN_DB } from '../fidelity.js';
import { LogMelAnalyzer, MEL_FRAME, SILENT_MEAN_SQUARE } from '../spectral-frames.js';
import { meanSquare } from '../../dsp/window.js';
import { SlidingSignal } from '../sliding-signal.js';

/** Drift of one 20 ms frame (320 samples) after the seed. */
export interface DriftFrame {
  /** Frame index counted from the end of the seed. */
  frame: number;
  /** Time of the frame's end in the utterance, seconds. */
  timeSeconds: number;
  /** Frame SNR in dB (clamped to [-10, 35] as seg_snr_db), or null for a silent truth frame. */
  snrDb: number | null;
  /** Log-mel distance of the latest 400-sample frame ending in this frame, or null when silent. */
  melDistDb: number | null;
}

export interface DriftOptions {
  truth: Float32Array;
  seedSamples: number;
  sampleRateHz: number;
  stream?: number;
}

/**
 * Live drift against the ground truth: one DriftFrame per 20 ms of generated audio, as it arrives. The
 * summary figures come from StreamingFidelity; these are the same measures per frame, for the live status
 * and the JSON event stream.
 *
 * @example
 * ```ts
 * run$.pipe(driftFrames({ truth, seedSamples: 640, sampleRateHz: 16000 })).subscribe((f) => log(f.snrDb));
 * ```
 */
export function driftFrames(options: DriftOptions): OperatorFunction<EngineEvent, DriftFrame> {
  const { truth, seedSamples, sampleRateHz } = options;
  const stream = options.stream ?? 0;
  return (source) =>
    new Observable<DriftFrame>((subscriber) => {
      // Only the current frames' samples are kept: memory does not grow with the utterance.
      const generated = new SlidingSignal(0);
      const analyzer = new LogMelAnalyzer(sampleRateHz);
      let frame = 0;
      const subscription = source.subscribe({
        next: (event) => {
          if (event.type !== 'audio') return;
          const samples = event.chunk.samples[stream];
          if (!samples) return;
          const end = Math.min(truth.length, event.chunk.startSample + samples.length);
          if (end <= generated.end) return;
          generated.write(samples.subarray(0, end - event.chunk.startSample), event.chunk.startSample, seedSamples + frame * SEG_FRAME + SEG_FRAME - MEL_FRAME);
          const { data, offset } = generated;
          while (seedSamples + (frame + 1) * SEG_FRAME <= generated.end) {
            const start = seedSamples + frame * SEG_FRAME;
            const silent = meanSquare(truth, start, SEG_FRAME) < SILENT_MEAN_SQUARE;
            const snr = silent ? null : Math.min(SEG_SNR_MAX_DB, Math.max(SEG_SNR_MIN_DB, frameSnrDb(truth, data, start, SEG_FRAME, start - offset)));
            const melStart = start + SEG_FRAME - MEL_FRAME;
            const melSilent = melStart < seedSamples || meanSquare(truth, melStart, MEL_FRAME) <= SILENT_MEAN_SQUARE;
            const mel = melSilent ? null : analyzer.frameDistance(truth, data, melStart, melStart - offset);
            subscriber.next({ frame, timeSeconds: (start + SEG_FRAME) / sampleRateHz, snrDb: snr, melDistDb: mel });
            frame++;
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
