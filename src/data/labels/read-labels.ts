import { extname } from 'node:path';
import { FormatError, UsageError } from '../../core/errors.js';
import { readFileChecked } from '../audio/read-audio.js';
import { looksLikeXlabel, parseHtkLab } from './htk-lab.js';
import { parseJsonLabels } from './json-labels.js';
import { decodeLabelText, MAX_LABEL_FILE_BYTES } from './label-text.js';
import { LABEL_EXTENSIONS, LABEL_FORMATS, type LabelFormat, type Labels, type ParsedLabels, type PhoneSegment } from './label-types.js';
import { parseTextGrid } from './textgrid.js';
import { parseTimitPhn } from './timit-phn.js';
import { parseXlabelSegs } from './xlabel-segs.js';

export interface ReadLabelsOptions {
  sampleRateHz: number;
  /** Override the format the extension implies. */
  format?: LabelFormat;
  /** TextGrid tier to read. */
  tier?: string;
}

/** Formats a file's content clearly belongs to, whatever its extension says. */
function sniff(text: string): LabelFormat | undefined {
  const head = text.trimStart();
  if (/^File type\s*=\s*"ooTextFile"/.test(head)) return 'textgrid';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  if (looksLikeXlabel(text)) return 'segs';
  return undefined;
}

/** The label format for a path: by extension, then checked against the content. */
export function detectLabelFormat(path: string, text: string, override?: LabelFormat): LabelFormat {
  if (override !== undefined) {
    if (!LABEL_FORMATS.includes(override)) {
      throw new UsageError({ code: 'E_OPTION_VALUE', where: '--label-format', message: `unknown label format "${override}"; allowed: ${LABEL_FORMATS.join(', ')}` });
    }
    return override;
  }
  const ext = extname(path).toLowerCase();
  const byExtension = LABEL_EXTENSIONS[ext];
  if (!byExtension) {
    throw new FormatError({
      code: 'E_LABELS_UNKNOWN_FORMAT',
      where: path,
      message: `unknown label format for extension "${ext || '(none)'}"; allowed: .phn (TIMIT), .lab (HTK), .segs (xlabel), .TextGrid (Praat), .json`,
      hint: 'rename the file or pass --label-format timit|htk|segs|textgrid|json',
    });
  }
  const sniffed = sniff(text);
  // Festival writes xlabel files with a .lab extension, so .lab accepts both.
  if (byExtension === 'htk' && sniffed === 'segs') return 'segs';
  if (sniffed !== undefined && sniffed !== byExtension) {
    throw new FormatError({
      code: 'E_LABELS_FORMAT_MISMATCH',
      where: path,
      message: `the extension says ${byExtension} labels but the content looks like ${sniffed}`,
      hint: `rename the file or pass --label-format ${sniffed}`,
    });
  }
  return byExtension;
}

export function parseLabelText(text: string, path: string, format: LabelFormat, tier?: string): ParsedLabels {
  switch (format) {
    case 'timit':
      return parseTimitPhn(text, path);
    case 'htk':
      return parseHtkLab(text, path);
    case 'segs':
      return parseXlabelSegs(text, path);
    case 'textgrid':
      return parseTextGrid(text, path, tier);
    case 'json':
      return parseJsonLabels(text, path);
  }
}

/** Convert parsed times to sample indices at `sampleRateHz` (rounded to the nearest sample). */
export function toSampleSegments(parsed: ParsedLabels, sampleRateHz: number): PhoneSegment[] {
  const factor = parsed.unit === 'samples' ? 1 : parsed.unit === 'seconds' ? sampleRateHz : sampleRateHz / 1e7;
  return parsed.segments.map((s) => ({
    startSample: Math.round(s.start * factor),
    endSample: Math.round(s.end * factor),
    phone: s.phone,
    line: s.line,
  }));
}

/** Parse label text already in memory (format from the path's extension unless given). */
export function decodeLabels(bytes: Uint8Array, path: string, options: ReadLabelsOptions): Labels {
  const text = decodeLabelText(bytes, path);
  const format = detectLabelFormat(path, text, options.format);
  const parsed = parseLabelText(text, path, format, options.tier);
  return { path, format, segments: toSampleSegments(parsed, options.sampleRateHz), warnings: parsed.warnings };
}

/** Read a label file of any supported format; times come back in samples. */
export async function readLabelFile(path: string, options: ReadLabelsOptions): Promise<Labels> {
  const bytes = await readFileChecked(path, MAX_LABEL_FILE_BYTES, 'label');
  return decodeLabels(bytes, path, options);
}
