import type { PhoneSegment } from '../labels/label-types.js';
import type { AcousticFrames, ExcitationFrames } from './acoustic-frames.js';
import type { PhoneSet } from '../phones/phone-sets.js';

/** Per-frame pitch features of an utterance (frames every `hopSamples`, centred at i * hopSamples). */
export interface ProsodyTrack {
  hopSamples: number;
  /** log(F0 / 100 Hz) where voiced, interpolated across unvoiced frames. */
  logF0: Float32Array;
  /** 1 voiced, 0 unvoiced. */
  voicing: Float32Array;
  /** Frame energy: (20 log10(rms) + 50) / 20, so -50 dBFS is 0 and -10 dBFS is 2. */
  logEnergy: Float32Array;
}

/** An utterance's phones as indices into the model's phone set, tiling [0, lengthSamples). */
export interface PhoneTrack {
  lengthSamples: number;
  sampleRateHz: number;
  starts: Int32Array;
  ends: Int32Array;
  ids: Int32Array;
  prosody?: ProsodyTrack;
  /** Acoustic frame features (measured or predicted) and what the sample loop derives from them. */
  frames?: AcousticFrames;
  excitation?: ExcitationFrames;
}

/** Build a track from segments already in `set`'s symbols (see mapPhonesToSet). */
export function buildPhoneTrack(segments: readonly PhoneSegment[], set: PhoneSet, sampleRateHz: number, prosody?: ProsodyTrack): PhoneTrack {
  const n = segments.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const ids = new Int32Array(n);
  segments.forEach((s, i) => {
    const id = set.phones.indexOf(s.phone);
    if (id < 0) throw new RangeError(`phone "${s.phone}" is not in set ${set.name}; map the labels first`);
    starts[i] = s.startSample;
    ends[i] = s.endSample;
    ids[i] = id;
  });
  const lengthSamples = n > 0 ? (ends[n - 1] as number) : 0;
  return { lengthSamples, sampleRateHz, starts, ends, ids, ...(prosody ? { prosody } : {}) };
}
