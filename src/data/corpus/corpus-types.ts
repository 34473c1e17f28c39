import type { PhoneSegment } from '../labels/label-types.js';

export type CorpusLayout = 'timit' | 'arctic' | 'flat';

/** An audio file and the label file that belongs to it. */
export interface UtteranceRef {
  /** Stable id: the audio path relative to the corpus root without extension (`wav/` dropped for ARCTIC). */
  id: string;
  audioPath: string;
  labelPath: string;
}

export interface Corpus {
  root: string;
  layout: CorpusLayout;
  utterances: UtteranceRef[];
  /** Audio files for which no label file was found. */
  unlabelled: string[];
}

/** An utterance in memory: mono samples and a segmentation that tiles them exactly. */
export interface Utterance {
  id: string;
  samples: Float32Array;
  sampleRateHz: number;
  /** Phones in the label file's own symbols, gaps and tail filled with silence. */
  segments: PhoneSegment[];
  warnings: string[];
  audioPath: string;
  labelPath: string;
}
