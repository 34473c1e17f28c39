import type { PhoneTrack } from './phone-track.js';
import type { PhoneSet } from '../phones/phone-sets.js';

/**
 * What the frame network (the acoustic model) reads per 10 ms frame, from the phone track alone: the phone
 * and two neighbours on each side (one-hot), the current phone's phonetic classes, where the frame lies in
 * its phone, the durations of the phone and its neighbours, and where it lies in its phrase (the stretch
 * between pauses): time since the phrase began and until it ends. Looking ahead only to the end of the
 * phrase keeps synthesis streaming.
 */
export const NEIGHBOUR_OFFSETS: readonly number[] = [-2, -1, 0, 1, 2];

/** Phonetic classes (radio / ARPAbet symbols): columns of the class block. */
export const PHONE_CLASSES = ['silence', 'vowel', 'voiced', 'nasal', 'stop', 'fricative', 'approximant', 'high', 'low', 'front', 'back'] as const;

const VOWELS = new Set(['aa', 'ae', 'ah', 'ao', 'aw', 'ax', 'axr', 'ay', 'eh', 'er', 'ey', 'ih', 'iy', 'ow', 'oy', 'uh', 'uw', 'ix', 'ux', 'ax-h']);
const NASALS = new Set(['m', 'n', 'ng', 'em', 'en', 'eng', 'nx']);
const STOPS = new Set(['b', 'd', 'g', 'p', 't', 'k', 'dx', 'q', 'bcl', 'dcl', 'gcl', 'pcl', 'tcl', 'kcl']);
const FRICATIVES = new Set(['f', 'v', 'th', 'dh', 's', 'z', 'sh', 'zh', 'hh', 'hv', 'ch', 'jh']);
const APPROXIMANTS = new Set(['l', 'r', 'w', 'y', 'el']);
const UNVOICED = new Set(['p', 't', 'k', 'f', 'th', 's', 'sh', 'hh', 'ch', 'pcl', 'tcl', 'kcl', 'q']);
const HIGH = new Set(['iy', 'ih', 'uw', 'uh', 'ix', 'ux', 'y', 'w']);
const LOW = new Set(['aa', 'ae', 'ao', 'aw', 'ay']);
const FRONT = new Set(['iy', 'ih', 'ey', 'eh', 'ae', 'y', 'ix']);
const BACK = new Set(['uw', 'uh', 'ow', 'ao', 'aa', 'w', 'ux', 'oy']);
const SILENCES = new Set(['pau', 'sil', 'h#', 'epi', 'brth', 'ssil', 'sp']);

/** The class flags of one symbol (1 or 0 per PHONE_CLASSES entry). */
export function phoneClasses(symbol: string): number[] {
  const silence = SILENCES.has(symbol);
  const vowel = VOWELS.has(symbol);
  return [
    silence,
    vowel,
    !silence && !UNVOICED.has(symbol),
    NASALS.has(symbol),
    STOPS.has(symbol),
    FRICATIVES.has(symbol),
    APPROXIMANTS.has(symbol),
    HIGH.has(symbol),
    LOW.has(symbol),
    FRONT.has(symbol),
    BACK.has(symbol),
  ].map((b) => (b ? 1 : 0));
}

/** Dense inputs after the one-hot and class blocks. */
export const FRAME_DENSE_INPUTS = [
  'position_in_phone',
  'log_duration',
  'log_duration_prev',
  'log_duration_next',
  'seconds_since_phrase_start',
  'seconds_to_phrase_end',
  'position_in_phrase',
  'phones_to_phrase_end',
  'seconds_since_utterance_start',
] as const;

export function frameInputWidth(phoneCount: number): number {
  return NEIGHBOUR_OFFSETS.length * phoneCount + PHONE_CLASSES.length + FRAME_DENSE_INPUTS.length;
}

/** log(duration / 100 ms), with a floor of 1 ms. */
function logDuration(samples: number, sampleRateHz: number): number {
  return Math.log(Math.max(samples / sampleRateHz, 0.001) / 0.1);
}

/**
 * The frame network's inputs for frames [first, first + count) of a track (frame i centred on sample
 * i * hop + hop / 2; frames past the track's end read as its last segment). Rows of frameInputWidth.
 */
export function frameInputs(track: PhoneTrack, set: PhoneSet, hopSamples: number, first: number, count: number, out?: Float32Array): Float32Array {
  const V = set.phones.length;
  const width = frameInputWidth(V);
  const rows = out ?? new Float32Array(count * width);
  rows.fill(0, 0, count * width);
  const n = track.ids.length;
  if (n === 0) return rows;
  const rate = track.sampleRateHz;
  const isPause = Array.from(track.ids, (id) => SILENCES.has(set.phones[id] as string));
  const classes = set.phones.map((p) => phoneClasses(p));
  // Phrase of each segment: the run of non-pause segments it belongs to (a pause is its own phrase).
  const phraseStart = new Int32Array(n);
  const phraseEnd = new Int32Array(n);
  for (let s = 0; s < n; s++) phraseStart[s] = isPause[s] || s === 0 || isPause[s - 1] ? s : (phraseStart[s - 1] as number);
  for (let s = n - 1; s >= 0; s--) phraseEnd[s] = isPause[s] || s === n - 1 || isPause[s + 1] ? s : (phraseEnd[s + 1] as number);
  let s = 0;
  for (let r = 0; r < count; r++) {
    const centre = (first + r) * hopSamples + hopSamples / 2;
    while (s < n - 1 && centre >= (track.ends[s] as number)) s++;
    while (s > 0 && centre < (track.starts[s] as number)) s--;
    const base = r * width;
    NEIGHBOUR_OFFSETS.forEach((offset, slot) => {
      const j = s + offset;
      // Beyond the utterance: silence.
      const id = j >= 0 && j < n ? (track.ids[j] as number) : set.phones.indexOf(set.silence);
      if (id >= 0) rows[base + slot * V + id] = 1;
    });
    const own = classes[track.ids[s] as number] as number[];
    const classAt = base + NEIGHBOUR_OFFSETS.length * V;
    for (let c = 0; c < own.length; c++) rows[classAt + c] = own[c] as number;
    const start = track.starts[s] as number;
    const end = track.ends[s] as number;
    const duration = (j: number): number => (j >= 0 && j < n ? (track.ends[j] as number) - (track.starts[j] as number) : 0);
    const ps = track.starts[phraseStart[s] as number] as number;
    const pe = track.ends[phraseEnd[s] as number] as number;
    const dense = [
      end > start ? Math.min(1, Math.max(0, (centre - start) / (end - start))) : 0,
      logDuration(end - start, rate),
      logDuration(duration(s - 1), rate),
      logDuration(duration(s + 1), rate),
      (centre - ps) / rate,
      (pe - centre) / rate,
      pe > ps ? Math.min(1, Math.max(0, (centre - ps) / (pe - ps))) : 0,
      ((phraseEnd[s] as number) - s) / 10,
      Math.min(centre / rate, 10) / 5,
    ];
    const denseAt = classAt + PHONE_CLASSES.length;
    for (let d = 0; d < dense.length; d++) rows[denseAt + d] = dense[d] as number;
  }
  return rows;
}
