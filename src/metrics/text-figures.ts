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
 * dur_rmse_ms and dur_corr of METRICS.md: predicted against labelled durations of the same phones, leaving
 * out a leading and a trailing silence segment.
 */
export function durationFigures(predictedS: ArrayLike<number>, labelledS: ArrayLike<number>, phones: readonly string[]): { dur_rmse_ms: number; dur_corr: number; count: number } {
  let first = 0;
  let last = phones.length - 1;
  if (SILENCES.has(phones[first] ?? '')) first++;
  if (last >= first && SILENCES.has(phones[last] ?? '')) last--;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = first; i <= last; i++) {
    a.push(1000 * (predictedS[i] as number));
    b.push(1000 * (labelledS[i] as number));
  }
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += ((a[i] as number) - (b[i] as number)) ** 2;
  return { dur_rmse_ms: a.length > 0 ? Math.sqrt(squared / a.length) : Number.NaN, dur_corr: pearson(a, b), count: a.length };
}
