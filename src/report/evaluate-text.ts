import type { UtteranceRef } from '../data/corpus/corpus-types.js';
import { readAudioFile } from '../data/audio/read-audio.js';
import { readLabelFile } from '../data/labels/read-labels.js';
import { mapPhonesToSet } from '../data/phones/phone-mapping.js';
import { getPhoneSet, type PhoneSet } from '../data/phones/phone-sets.js';
import type { Engine } from '../engine/engine.js';
import { textSentencePlan, type TextFrontEnd } from '../engine/text-plan.js';
import { labelPhones } from '../text/duration-features.js';
import { melDistanceDtwDb } from '../metrics/dtw-mel-distance.js';
import { countedDurationsMs, durationFiguresMs, phoneErrorRate } from '../metrics/text-figures.js';
import { runToEnd } from './evaluate-utterance.js';

/** The text figures of METRICS.md for one utterance with its prompt. */
export interface TextEvaluation {
  id: string;
  per_pct: number;
  phoneErrors: number;
  labelledPhones: number;
  dur_rmse_ms: number;
  dur_corr: number;
  mel_dist_dtw_db: number;
  /** Predicted and labelled durations (ms) of the phones the duration figures count, to pool over utterances. */
  durations: { predicted: number[]; labelled: number[] };
  /** The speech synthesized from the prompt (for reports). */
  signal: Float32Array;
  truth: Float32Array;
}

/**
 * One utterance from its prompt text: the front end's phones against the labels (per_pct), the duration
 * model on the labelled phones against their labelled durations (dur_rmse_ms, dur_corr), and the speech
 * synthesized from the text alone against the recording (mel_dist_dtw_db).
 */
export async function evaluateTextUtterance(engine: Engine, frontEnd: TextFrontEnd, ref: UtteranceRef, text: string, settings: { rngSeed: number; temperature?: number }): Promise<TextEvaluation> {
  const manifest = engine.manifest;
  const rate = manifest.spec.sampleRateHz;
  const set = getPhoneSet(frontEnd.text.phoneSet) as PhoneSet;
  const labels = await readLabelFile(ref.labelPath, { sampleRateHz: rate });
  const labelled = mapPhonesToSet(labels.segments, set, { path: ref.labelPath }).segments;
  const sentence = await frontEnd.plan(frontEnd.oneSentence(text) ?? { source: text, items: [] });
  const per = phoneErrorRate(sentence.phones.map((p) => p.phone), labelled.map((s) => s.phone), set.silence);
  const symbols = labelled.map((s) => s.phone);
  const predicted = await frontEnd.durations(labelPhones(symbols));
  const durations = countedDurationsMs(predicted, labelled.map((s) => (s.endSample - s.startSample) / rate), symbols);
  const dur = durationFiguresMs(durations.predicted, durations.labelled);
  const run = await runToEnd(engine, textSentencePlan(manifest, sentence), { rngSeed: settings.rngSeed, mode: 'chunk', ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}) });
  const truth = (await readAudioFile(ref.audioPath, { expectedSampleRateHz: rate })).samples;
  return {
    id: ref.id, per_pct: per.per_pct, phoneErrors: per.errors, labelledPhones: per.length, dur_rmse_ms: dur.dur_rmse_ms, dur_corr: dur.dur_corr,
    mel_dist_dtw_db: melDistanceDtwDb(truth, run.samples, rate),
    durations,
    signal: run.samples, truth,
  };
}
