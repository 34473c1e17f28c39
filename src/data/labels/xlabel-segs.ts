import { FormatError } from '../../core/errors.js';
import type { ParsedLabels, RawSegment } from './label-types.js';
import { parseTime } from './label-text.js';

/**
 * xlabel / Festival .segs: header lines, a line holding `#`, then `end_seconds colour phone` per line.
 * Each segment starts where the previous one ended; the first starts at 0.
 */
export function parseXlabelSegs(text: string, path: string): ParsedLabels {
  const lines = text.split(/\r?\n/);
  const hashAt = lines.findIndex((l) => l.trim() === '#');
  if (hashAt < 0) {
    throw new FormatError({
      code: 'E_LABELS_FORMAT',
      where: path,
      message: 'no `#` line: an xlabel file has a header ended by a line holding only `#`',
    });
  }
  const segments: RawSegment[] = [];
  let previousEnd = 0;
  for (let i = hashAt + 1; i < lines.length; i++) {
    const lineText = (lines[i] as string).trim();
    if (lineText === '') continue;
    const line = i + 1;
    const fields = lineText.split(/\s+/);
    if (fields.length < 3) {
      throw new FormatError({
        code: 'E_LABELS_FIELDS',
        where: `${path}:${line}`,
        message: `expected \`end_seconds colour phone\`, found ${fields.length} field(s): ${JSON.stringify(lineText.slice(0, 60))}`,
      });
    }
    const end = parseTime(fields[0] as string, path, line, 'end time');
    segments.push({ start: previousEnd, end, phone: fields.slice(2).join(' '), line });
    previousEnd = end;
  }
  return { unit: 'seconds', segments, warnings: [] };
}
