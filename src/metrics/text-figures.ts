import { editDistance } from '../core/edit-distance.js';
import { pearson } from './pitch-fidelity.js';

/** Silences and pauses of every set the project reads (METRICS.md per_pct leaves them out). */
const SILENCES = new Set(['sil', 'pau', 'h#', 'epi', 'brth', 'ssil', 'sp', '']);


/** per_pct of METRICS.md: edit distance over the labelled length, silences removed from both, x 100. */
export function phoneErrorRate(predicted: readonly string[], labelled: readonly string[], silence?: string): { per_pct: number; errors: number; length: number } {
  const keep = (p: string): boolean => !SILENCES.has(p) && p !== silence;
  const a = predicted.filter(keep);
  const b = labelled.filter(keep);
  const errors = editDistance(b, a);
  return { per_pct: b.length > 0 ? (100 * errors) / b.length : Number.NaN, errors, length: b.length };
}

/**
 * The durations (ms) the duration figures count: predicted and labelled durations of the same phones,
 * leaving out a leading and a trailing silence segment (METRICS.md).
 */
export function countedDurationsMs(predictedS: ArrayLike<number>, labelledS: ArrayLike<number>, phones: readonly string[]): { predicted: number[]; labelled: number[] } {
  let first = 0;
  let last = phones.length - 1;
  if (SILENCES.has(phones[first] ?? '')) first++;
  if (last >= first && SILENCES.has(phones[last] ?? '')) last--;
  const predicted: number[] = [];
  const labelled: number[] = [];
  for (let i = first; i <= last; i++) {
    predicted.push(1000 * (predictedS[i] as number));
    labelled.push(1000 * (labelledS[i] as number));
  }
  return { predicted, labelled };
}

/** dur_rmse_ms and dur_corr of METRICS.md over counted durations (ms), of one utterance or pooled over several. */
export function durationFiguresMs(predicted: readonly number[], labelled: readonly number[]): { dur_rmse_ms: number; dur_corr: number; count: number } {
  let squared = 0;
  for (let i = 0; i < predicted.length; i++) squared += ((predicted[i] as number) - (labelled[i] as number)) ** 2;
  return { dur_rmse_ms: predicted.length > 0 ? Math.sqrt(squared / predicted.length) : Number.NaN, dur_corr: pearson(predicted, labelled), count: predicted.length };
}

/** dur_rmse_ms and dur_corr of METRICS.md for one utterance: predicted against labelled durations (seconds). */
export function durationFigures(predictedS: ArrayLike<number>, labelledS: ArrayLike<number>, phones: readonly string[]): { dur_rmse_ms: number; dur_corr: number; count: number } {
  const counted = countedDurationsMs(predictedS, labelledS, phones);
  return durationFiguresMs(counted.predicted, counted.labelled);
}
