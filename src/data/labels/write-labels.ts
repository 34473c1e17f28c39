import { extname } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { LABEL_EXTENSIONS, type LabelFormat, type PhoneSegment } from './label-types.js';

/**
 * Timed phones as text in any format the readers take, chosen by the file's extension: TIMIT .phn
 * (samples), HTK .lab (100 ns units), xlabel .segs, Praat .TextGrid (one "phones" tier) and .json (seconds).
 * What is written reads back to the same segments (tested).
 */
export function formatLabels(segments: readonly PhoneSegment[], format: LabelFormat, sampleRateHz: number): string {
  const seconds = (s: number): string => (s / sampleRateHz).toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  switch (format) {
    case 'timit':
      return segments.map((s) => `${s.startSample} ${s.endSample} ${s.phone}\n`).join('');
    case 'htk':
      return segments.map((s) => `${Math.round((s.startSample * 1e7) / sampleRateHz)} ${Math.round((s.endSample * 1e7) / sampleRateHz)} ${s.phone}\n`).join('');
    case 'segs':
      return `separator ;\nnfields 1\n#\n${segments.map((s) => `${seconds(s.endSample)} 100 ${s.phone}\n`).join('')}`;
    case 'json':
      return `${JSON.stringify({ units: 'samples', segments: segments.map((s) => ({ phone: s.phone, start: s.startSample, end: s.endSample })) }, null, 1)}\n`;
    case 'textgrid': {
      const end = segments.length > 0 ? seconds((segments[segments.length - 1] as PhoneSegment).endSample) : '0';
      const lines = ['File type = "ooTextFile"', 'Object class = "TextGrid"', '', 'xmin = 0', `xmax = ${end}`, 'tiers? <exists>', 'size = 1', 'item []:', '    item [1]:',
        '        class = "IntervalTier"', '        name = "phones"', '        xmin = 0', `        xmax = ${end}`, `        intervals: size = ${segments.length}`];
      segments.forEach((s, i) => lines.push(`        intervals [${i + 1}]:`, `            xmin = ${seconds(s.startSample)}`, `            xmax = ${seconds(s.endSample)}`, `            text = "${s.phone}"`));
      return `${lines.join('\n')}\n`;
    }
  }
}

/** The format a path's extension names (the readers' table), or a usage error that lists them. */
export function labelFormatOfPath(path: string): LabelFormat {
  const ext = extname(path).toLowerCase();
  const format = LABEL_EXTENSIONS[ext];
  if (!format) throw new UsageError({ code: 'E_OPTION_VALUE', where: '--out', message: `unknown label format for extension "${ext || '(none)'}"`, hint: 'use .phn, .lab, .segs, .TextGrid or .json' });
  return format;
}
