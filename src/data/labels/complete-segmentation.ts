import { FormatError } from '../../core/errors.js';
import type { PhoneSegment } from './label-types.js';

export interface CompleteSegmentationOptions {
  /** The file the segments came from, for messages. */
  path: string;
  sampleRateHz: number;
  /** Symbol written into gaps and the unlabelled tail. */
  silencePhone: string;
  /** Audio length; when given, the segments are made to cover exactly [0, lengthSamples). */
  lengthSamples?: number;
  /** Labels may end this far past the audio before it is an error (TIMIT has 1-sample overshoots). */
  endToleranceSamples?: number;
}

export interface CompletedSegmentation {
  segments: PhoneSegment[];
  warnings: string[];
}

const ms = (samples: number, rateHz: number): string => `${((samples * 1000) / rateHz).toFixed(1)} ms`;

/**
 * Check that segments are ordered and do not overlap, and make them tile [0, length): gaps, a late start
 * and the unlabelled tail become explicit silence, each reported as a warning rather than dropped.
 */
export function completeSegmentation(input: readonly PhoneSegment[], options: CompleteSegmentationOptions): CompletedSegmentation {
  const { path, sampleRateHz: rate, silencePhone } = options;
  const warnings: string[] = [];
  const out: PhoneSegment[] = [];
  const at = (seg: PhoneSegment): string => (seg.line ? `${path}:${seg.line}` : path);
  let previous: PhoneSegment | undefined;
  let zeroLength = 0;
  for (const seg of input) {
    if (seg.endSample < seg.startSample) {
      throw new FormatError({
        code: 'E_LABELS_REVERSED',
        where: at(seg),
        message: `segment "${seg.phone}" ends before it starts (start sample ${seg.startSample}, end sample ${seg.endSample})`,
        hint: 'each line must be `start end phone` with start <= end',
      });
    }
    if (previous && seg.startSample < previous.endSample) {
      const unsorted = seg.startSample < previous.startSample;
      throw new FormatError({
        code: unsorted ? 'E_LABELS_UNSORTED' : 'E_LABELS_OVERLAP',
        where: at(seg),
        message: unsorted
          ? `segment "${seg.phone}" starts at sample ${seg.startSample}, before the previous segment (line ${previous.line ?? '?'}) starts at ${previous.startSample}: segments are not in time order`
          : `segment "${seg.phone}" starts at sample ${seg.startSample}, inside the previous segment (line ${previous.line ?? '?'}, which ends at ${previous.endSample})`,
        hint: 'sort the segments by time and make each start at or after the previous end',
      });
    }
    if (seg.endSample === seg.startSample) {
      zeroLength++;
      continue;
    }
    const gapStart = previous ? previous.endSample : 0;
    if (seg.startSample > gapStart) {
      const gap = seg.startSample - gapStart;
      warnings.push(
        previous
          ? `gap of ${gap} samples (${ms(gap, rate)}) before line ${seg.line ?? '?'} labelled as ${silencePhone}`
          : `labels start at sample ${seg.startSample} (${ms(gap, rate)}); the beginning was labelled as ${silencePhone}`,
      );
      out.push({ startSample: gapStart, endSample: seg.startSample, phone: silencePhone });
    }
    out.push(seg);
    previous = seg;
  }
  if (zeroLength > 0) warnings.push(`${zeroLength} zero-length segment(s) dropped`);
  if (out.length === 0) {
    throw new FormatError({ code: 'E_LABELS_NONE', where: path, message: 'no phone segments with a positive length' });
  }
  const length = options.lengthSamples;
  if (length !== undefined) {
    const last = out[out.length - 1] as PhoneSegment;
    const tolerance = options.endToleranceSamples ?? Math.max(2, Math.round(rate / 1000));
    if (last.endSample > length) {
      const over = last.endSample - length;
      if (over > tolerance) {
        throw new FormatError({
          code: 'E_LABELS_PAST_END',
          where: at(last),
          message: `labels end at sample ${last.endSample} (${(last.endSample / rate).toFixed(3)} s) but the audio has only ${length} samples (${(length / rate).toFixed(3)} s)`,
          hint: 'check that the labels belong to this recording and use its sample rate',
        });
      }
      warnings.push(`labels end ${over} sample(s) past the audio; clamped to its end`);
      while (out.length > 0 && (out[out.length - 1] as PhoneSegment).startSample >= length) out.pop();
      const tail = out[out.length - 1] as PhoneSegment;
      out[out.length - 1] = { ...tail, endSample: length };
    } else if (last.endSample < length) {
      const tail = length - last.endSample;
      warnings.push(`unlabelled tail of ${tail} samples (${ms(tail, rate)}) labelled as ${silencePhone}`);
      out.push({ startSample: last.endSample, endSample: length, phone: silencePhone });
    }
  }
  return { segments: out, warnings };
}

/** Which silence symbol a label file uses, so that filled-in gaps look like its own silence. */
export function silenceSymbolOf(segments: readonly PhoneSegment[]): string {
  const phones = new Set(segments.map((s) => s.phone));
  if (phones.has('h#')) return 'h#';
  if (phones.has('sil')) return 'sil';
  return 'pau';
}
