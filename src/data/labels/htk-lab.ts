import { FormatError } from '../../core/errors.js';
import type { ParsedLabels, RawSegment } from './label-types.js';
import { contentLines, parseTime } from './label-text.js';

/** Full-context HTS/Merlin label `p1^p2-p3+p4=p5@...`: the phone is p3. */
const FULL_CONTEXT = /^[^\^]*\^[^-]*-([^+]+)\+[^=]*=/;

/**
 * HTK/Festival .lab: `start end phone` in 100 ns units. Full-context HTS labels (as Merlin writes them)
 * are reduced to their centre phone. Times with decimals are read as seconds, with a warning.
 */
export function parseHtkLab(text: string, path: string): ParsedLabels {
  const segments: RawSegment[] = [];
  const warnings: string[] = [];
  let decimals = false;
  for (const { text: lineText, line } of contentLines(text)) {
    if (lineText === '.' || lineText.startsWith('#!MLF!#')) continue;
    const fields = lineText.split(/\s+/);
    if (fields.length < 3) {
      throw new FormatError({
        code: 'E_LABELS_FIELDS',
        where: `${path}:${line}`,
        message: `expected \`start end phone\`, found ${fields.length} field(s): ${JSON.stringify(lineText.slice(0, 60))}`,
        hint: 'HTK label lines hold start and end times in 100 ns units and a phone',
      });
    }
    const [startField, endField, label] = fields as [string, string, string];
    const start = parseTime(startField, path, line, 'start');
    const end = parseTime(endField, path, line, 'end');
    if (startField.includes('.') || endField.includes('.')) decimals = true;
    const full = FULL_CONTEXT.exec(label);
    segments.push({ start, end, phone: full ? (full[1] as string) : label, line });
  }
  if (decimals) warnings.push('times have decimals, so they were read as seconds rather than HTK 100 ns units');
  return { unit: decimals ? 'seconds' : 'htk100ns', segments, warnings };
}

/** True when the text looks like an xlabel file (a header closed by a lone `#`). */
export function looksLikeXlabel(text: string): boolean {
  return /^\s*#\s*$/m.test(text.split(/\r?\n/).slice(0, 40).join('\n'));
}
