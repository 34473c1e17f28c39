import { readAudioFile } from '../audio/read-audio.js';
import { completeSegmentation, silenceSymbolOf } from '../labels/complete-segmentation.js';
import type { LabelFormat } from '../labels/label-types.js';
import { readLabelFile } from '../labels/read-labels.js';
import type { Utterance, UtteranceRef } from './corpus-types.js';

export interface LoadUtteranceOptions {
  /** Required sample rate (an error names both when the file differs). */
  sampleRateHz?: number;
  channel?: number;
  labelFormat?: LabelFormat;
  tier?: string;
}

/** Read an utterance's audio and labels, and make the labels tile the audio exactly. */
export async function loadUtterance(ref: UtteranceRef, options: LoadUtteranceOptions = {}): Promise<Utterance> {
  const audio = await readAudioFile(ref.audioPath, {
    ...(options.channel !== undefined ? { channel: options.channel } : {}),
    ...(options.sampleRateHz !== undefined ? { expectedSampleRateHz: options.sampleRateHz } : {}),
  });
  const labels = await readLabelFile(ref.labelPath, {
    sampleRateHz: audio.sampleRateHz,
    ...(options.labelFormat ? { format: options.labelFormat } : {}),
    ...(options.tier ? { tier: options.tier } : {}),
  });
  const completed = completeSegmentation(labels.segments, {
    path: ref.labelPath,
    sampleRateHz: audio.sampleRateHz,
    silencePhone: silenceSymbolOf(labels.segments),
    lengthSamples: audio.samples.length,
  });
  return {
    id: ref.id,
    samples: audio.samples,
    sampleRateHz: audio.sampleRateHz,
    segments: completed.segments,
    warnings: [...audio.warnings, ...labels.warnings, ...completed.warnings],
    audioPath: ref.audioPath,
    labelPath: ref.labelPath,
  };
}
