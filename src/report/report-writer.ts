import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { OutputError, describeSystemError } from '../core/errors.js';
import type { FidelityReport } from '../metrics/fidelity.js';
import { floatToS16leBytes } from '../dsp/pcm.js';
import { wavHeader } from '../audio/wav-file-sink.js';
import { driftSpec, f0ContourSpec, lossSpec, renderSvg, spectrogramSpec, waveformSpec, type NamedSignal } from './figures.js';
import type { UtteranceEvaluation } from './evaluate-utterance.js';

export const FIGURE_FIELDS: ReadonlyArray<keyof FidelityReport> = ['nmse', 'snr_db', 'seg_snr_db', 'lsd_db', 'mel_dist_db', 'level_err_db', 'drift_horizon', 'nonfinite', 'clipped'];

/** 16-bit PCM WAV bytes (the same header the WAV sink writes). */
export function wavBytes(samples: Float32Array, rateHz: number): Uint8Array {
  const data = floatToS16leBytes(samples);
  const out = new Uint8Array(44 + data.length);
  out.set(wavHeader(rateHz, data.length), 0);
  out.set(data, 44);
  return out;
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new OutputError({ code: 'E_WRITE', where: dir, message: `cannot create the report folder (${describeSystemError(error)})` });
  }
}

export interface UtteranceFiles {
  wavs: Record<string, string>;
  figures: Record<string, string>;
}

/** The three signals as WAVs and the figures as SVG, in `dir`. */
export async function writeUtteranceFiles(dir: string, evaluation: UtteranceEvaluation, rateHz: number, trainLog?: ReadonlyArray<{ step: number; trainLoss: number; devLoss: number | null }>): Promise<UtteranceFiles> {
  ensureDir(dir);
  const signals: NamedSignal[] = [
    { name: 'truth', samples: evaluation.truth },
    { name: 'teacher-forced', samples: evaluation.teacherForcedSignal },
    { name: 'free-running', samples: evaluation.freeRunningSignal },
  ];
  const wavs: Record<string, string> = {};
  for (const s of signals) {
    const file = `${s.name}.wav`;
    await writeFileAtomic(join(dir, file), wavBytes(s.samples, rateHz));
    wavs[s.name] = file;
  }
  const seed = evaluation.seedSamples;
  const zoomStart = Math.min(Math.max(seed, Math.floor(evaluation.lengthSamples / 2)), Math.max(0, evaluation.lengthSamples - 800));
  const specs: Record<string, Parameters<typeof renderSvg>[0]> = {
    'waveform-full': waveformSpec(signals, rateHz),
    'waveform-zoom': waveformSpec(signals, rateHz, { start: zoomStart, end: zoomStart + 800 }),
    spectrograms: spectrogramSpec(signals, rateHz),
    'f0-contours': f0ContourSpec(signals, seed, rateHz),
    drift: driftSpec(evaluation.truth, signals.slice(1), seed, rateHz),
    ...(trainLog && trainLog.length > 0 ? { loss: lossSpec(trainLog) } : {}),
  };
  const figures: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const file = `${name}.svg`;
    await writeFileAtomic(join(dir, file), await renderSvg(spec));
    figures[name] = file;
  }
  return { wavs, figures };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

const format = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : escapeHtml(String(v)));

/** A table of fidelity figures: one row per (label, report). */
export function figuresTable(rows: ReadonlyArray<[string, FidelityReport]>): string {
  const head = `<tr><th></th><th>mode</th>${FIGURE_FIELDS.map((f) => `<th>${f}</th>`).join('')}</tr>`;
  const body = rows.map(([label, r]) => `<tr><td>${escapeHtml(label)}</td><td>${r.mode}</td>${FIGURE_FIELDS.map((f) => `<td>${format(r[f])}</td>`).join('')}</tr>`).join('\n');
  return `<table>${head}\n${body}</table>`;
}

/** report.html: headings, tables, the figures and players for the WAVs. */
export async function writeHtmlReport(path: string, title: string, sections: ReadonlyArray<{ heading: string; html: string }>): Promise<void> {
  const css = 'body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child{text-align:left}img{max-width:100%}pre{background:#f4f4f4;padding:8px;white-space:pre-wrap}';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${css}</style></head><body>
<h1>${escapeHtml(title)}</h1>
${sections.map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.html}`).join('\n')}
</body></html>\n`;
  await writeFileAtomic(path, html);
}

export function mediaHtml(prefix: string, files: UtteranceFiles): string {
  const audio = Object.entries(files.wavs).map(([name, file]) => `<p>${escapeHtml(name)}<br><audio controls src="${escapeHtml(prefix + file)}"></audio></p>`).join('\n');
  const figures = Object.entries(files.figures).map(([name, file]) => `<p><img alt="${escapeHtml(name)}" src="${escapeHtml(prefix + file)}"></p>`).join('\n');
  return `${audio}\n${figures}`;
}

export function preHtml(text: string): string {
  return `<pre>${escapeHtml(text)}</pre>`;
}

export function writeJson(path: string, value: unknown): void {
  try {
    writeFileSync(path, `${JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`);
  } catch (error) {
    throw new OutputError({ code: 'E_WRITE', where: path, message: `cannot write the report (${describeSystemError(error)})` });
  }
}
