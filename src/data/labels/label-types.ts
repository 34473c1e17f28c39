/** A phone segment in samples: [startSample, endSample), as read from a label file. */
export interface PhoneSegment {
  startSample: number;
  endSample: number;
  phone: string;
  /** 1-based line in the source file, for messages (absent for filled-in silence). */
  line?: number;
}

export type LabelFormat = 'timit' | 'htk' | 'segs' | 'textgrid' | 'json';

export const LABEL_FORMATS: readonly LabelFormat[] = ['timit', 'htk', 'segs', 'textgrid', 'json'];

/** Label file extensions (lower case) and the format each implies. */
export const LABEL_EXTENSIONS: Readonly<Record<string, LabelFormat>> = {
  '.phn': 'timit',
  '.lab': 'htk',
  '.segs': 'segs',
  '.textgrid': 'textgrid',
  '.json': 'json',
};

/** A segment with times still in the file's own unit, before conversion to samples. */
export interface RawSegment {
  start: number;
  end: number;
  phone: string;
  line: number;
}

/** What a parser returns: segments in one time unit. */
export interface ParsedLabels {
  unit: 'samples' | 'seconds' | 'htk100ns';
  segments: RawSegment[];
  warnings: string[];
}

export interface Labels {
  path: string;
  format: LabelFormat;
  segments: PhoneSegment[];
  warnings: string[];
}
