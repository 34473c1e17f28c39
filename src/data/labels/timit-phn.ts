import { FormatError } from '../../core/errors.js';
import type { ParsedLabels, RawSegment } from './label-types.js';
import { contentLines, parseTime } from './label-text.js';

/** TIMIT .phn: `start_sample end_sample phone` per line, end exclusive. */
export function parseTimitPhn(text: string, path: string): ParsedLabels {
  const segments: RawSegment[] = [];
  for (const { text: lineText, line } of contentLines(text)) {
    const fields = lineText.split(/\s+/);
    if (fields.length !== 3) {
      throw new FormatError({
        code: 'E_LABELS_FIELDS',
        where: `${path}:${line}`,
        message: `expected 3 fields \`start end phone\`, found ${fields.length}: ${JSON.stringify(lineText.slice(0, 60))}`,
      });
    }
    const [startField, endField, phone] = fields as [string, string, string];
    const start = parseTime(startField, path, line, 'start');
    const end = parseTime(endField, path, line, 'end');
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      throw new FormatError({
        code: 'E_LABELS_TIME',
        where: `${path}:${line}`,
        message: `TIMIT times are whole sample numbers, found ${startField} ${endField}`,
        hint: 'for times in seconds use a .segs, .TextGrid or .json file',
      });
    }
    segments.push({ start, end, phone, line });
  }
  return { unit: 'samples', segments, warnings: [] };
}
