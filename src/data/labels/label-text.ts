import { FormatError } from '../../core/errors.js';

/** Largest label file we read (a long TextGrid is well under this). */
export const MAX_LABEL_FILE_BYTES = 16 * 1024 * 1024;

/** Decode label bytes as UTF-8 text, refusing binary content and empty files with a clear message. */
export function decodeLabelText(bytes: Uint8Array, path: string): string {
  if (bytes.length === 0) {
    throw new FormatError({ code: 'E_LABELS_EMPTY', where: path, message: 'the label file is empty', hint: 'give a file with one phone segment per line' });
  }
  let binary = 0;
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) {
    const b = bytes[i] as number;
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12)) binary++;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '';
    binary++;
  }
  if (binary > 0) {
    throw new FormatError({
      code: 'E_LABELS_BINARY',
      where: path,
      message: 'binary content, not a text label file',
      hint: 'give a TIMIT .phn, HTK .lab, xlabel .segs, Praat .TextGrid or .json label file',
    });
  }
  // Praat writes UTF-16 TextGrids sometimes; those arrive here as text with a BOM only when UTF-8.
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new FormatError({ code: 'E_LABELS_EMPTY', where: path, message: 'the label file holds only white space' });
  }
  return text;
}

/** Parse a time field: a finite, non-negative number. */
export function parseTime(field: string, path: string, line: number, what: string): number {
  const value = Number(field);
  if (field === '' || !Number.isFinite(value)) {
    throw new FormatError({
      code: 'E_LABELS_TIME',
      where: `${path}:${line}`,
      message: `${what} ${JSON.stringify(field)} is not a number`,
      hint: 'each line must be `start end phone` with numeric times',
    });
  }
  if (value < 0) {
    throw new FormatError({ code: 'E_LABELS_NEGATIVE', where: `${path}:${line}`, message: `${what} ${field} is negative`, hint: 'times start at 0' });
  }
  return value;
}

/** Non-empty, non-comment lines with their 1-based numbers. */
export function contentLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (t !== '') out.push({ text: t, line: i + 1 });
  });
  return out;
}
