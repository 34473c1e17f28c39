import pitchfinder from 'pitchfinder';
import { F0_REFERENCE_HZ, interpolateLogF0 } from './log-f0.js';
import type { ProsodyTrack } from './phone-track.js';

export { F0_REFERENCE_HZ, interpolateLogF0 } from './log-f0.js';

/** Frames every 10 ms, 40 ms long (two periods of 50 Hz), F0 accepted in [60, 500] Hz. */
const HOP_SECONDS = 0.01;
const FRAME_SECONDS = 0.04;
const MIN_F0_HZ = 60;
const MAX_F0_HZ = 500;
/** Frames quieter than this RMS (about -50 dBFS) are unvoiced whatever the tracker says. */
const SILENCE_RMS = 0.003;

export interface ProsodyExtractor {
  extract(samples: Float32Array, sampleRateHz: number): ProsodyTrack;
  info: { hopSamples: number; referenceHz: number; tracker: string };
}

/**
 * F0 and voicing per 10 ms frame from the YIN tracker of the `pitchfinder` package. log F0 is
 * interpolated across unvoiced frames (held at the ends), so the feature is continuous; voicing says
 * where it is real.
 */
export function createProsodyExtractor(sampleRateHz = 16000): ProsodyExtractor {
  const hopSamples = Math.round(HOP_SECONDS * sampleRateHz);
  return {
    info: { hopSamples, referenceHz: F0_REFERENCE_HZ, tracker: 'pitchfinder YIN (threshold 0.15), 40 ms frames; energy: frame RMS in dB' },
    extract(samples: Float32Array, rateHz: number): ProsodyTrack {
      const detect = pitchfinder.YIN({ sampleRate: rateHz, threshold: 0.15 });
      const frameSamples = Math.round(FRAME_SECONDS * rateHz);
      const hop = Math.round(HOP_SECONDS * rateHz);
      const frames = Math.floor(samples.length / hop) + 1;
      const f0 = new Float32Array(frames);
      const voicing = new Float32Array(frames);
      const logEnergy = new Float32Array(frames);
      const frame = new Float32Array(frameSamples);
      for (let i = 0; i < frames; i++) {
        const start = i * hop - Math.floor(frameSamples / 2);
        let energy = 0;
        for (let j = 0; j < frameSamples; j++) {
          const at = start + j;
          const v = at >= 0 && at < samples.length ? (samples[at] as number) : 0;
          frame[j] = v;
          energy += v * v;
        }
        const rms = Math.sqrt(energy / frameSamples);
        logEnergy[i] = (20 * Math.log10(rms + 1e-5) + 50) / 20;
        if (rms < SILENCE_RMS) continue;
        const hz = detect(frame);
        if (hz !== null && Number.isFinite(hz) && hz >= MIN_F0_HZ && hz <= MAX_F0_HZ) {
          f0[i] = hz;
          voicing[i] = 1;
        }
      }
      return { hopSamples: hop, logF0: interpolateLogF0(f0, voicing), voicing, logEnergy };
    },
  };
}
