import { FormatError } from '../../core/errors.js';
import type { ParsedLabels, RawSegment } from './label-types.js';

/**
 * JSON labels: either an array of `{"phone", "start", "end"}` in seconds, or
 * `{"units": "seconds" | "samples" | "htk100ns", "segments": [...]}`. `label` is accepted for `phone`.
 */
export function parseJsonLabels(text: string, path: string): ParsedLabels {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FormatError({ code: 'E_LABELS_JSON', where: path, message: `not valid JSON (${(error as Error).message})` });
  }
  let units: ParsedLabels['unit'] = 'seconds';
  let list: unknown = doc;
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const obj = doc as Record<string, unknown>;
    list = obj['segments'];
    const u = obj['units'] ?? 'seconds';
    if (u !== 'seconds' && u !== 'samples' && u !== 'htk100ns') {
      throw new FormatError({ code: 'E_LABELS_JSON', where: path, message: `units is ${JSON.stringify(u)}; allowed "seconds", "samples", "htk100ns"` });
    }
    units = u;
  }
  if (!Array.isArray(list)) {
    throw new FormatError({
      code: 'E_LABELS_JSON',
      where: path,
      message: 'expected an array of segments or an object with a "segments" array',
      hint: 'e.g. {"units": "seconds", "segments": [{"phone": "sil", "start": 0, "end": 0.2}]}',
    });
  }
  const segments: RawSegment[] = list.map((item, index) => {
    const where = `${path}: segment ${index + 1}`;
    if (item === null || typeof item !== 'object') throw new FormatError({ code: 'E_LABELS_JSON', where, message: 'a segment must be an object' });
    const seg = item as Record<string, unknown>;
    const phone = seg['phone'] ?? seg['label'];
    if (typeof phone !== 'string') throw new FormatError({ code: 'E_LABELS_JSON', where, message: 'the segment has no string "phone"' });
    const time = (key: string): number => {
      const v = seg[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new FormatError({ code: 'E_LABELS_TIME', where, message: `"${key}" is ${JSON.stringify(v)}, not a finite number` });
      }
      if (v < 0) throw new FormatError({ code: 'E_LABELS_NEGATIVE', where, message: `"${key}" is negative (${v})` });
      return v;
    };
    return { start: time('start'), end: time('end'), phone, line: index + 1 };
  });
  return { unit: units, segments, warnings: [] };
}
