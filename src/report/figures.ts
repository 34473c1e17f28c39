import * as vega from 'vega';
import * as vl from 'vega-lite';
import { frameSnrDb, SEG_FRAME, SEG_SNR_MAX_DB, SEG_SNR_MIN_DB } from '../metrics/fidelity.js';
import { LogMelAnalyzer, MEL_BANDS, MEL_FRAME, SILENT_MEAN_SQUARE } from '../metrics/spectral-frames.js';
import { meanSquare } from '../dsp/window.js';
import { pitchContour } from '../dsp/yin.js';

/** A named signal for the figures. */
export interface NamedSignal {
  name: string;
  samples: Float32Array;
}

type Spec = vl.TopLevelSpec;

/** Render a vega-lite spec to SVG (headless: no canvas needed). */
export async function renderSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Fixed colours, so every figure shows the same signal the same way. */
const SIGNAL_COLOURS = { domain: ['truth', 'teacher-forced', 'free-running'], range: ['#222222', '#e07b22', '#3b75af'] };

/** Waveforms overlaid: min/max envelope per bucket for the full view, every sample for a zoom window. */
export function waveformSpec(signals: readonly NamedSignal[], rateHz: number, range?: { start: number; end: number }): Spec {
  const rows: Array<{ t: number; v: number; lo?: number; signal: string; order: number }> = [];
  const start = range?.start ?? 0;
  const end = range?.end ?? Math.max(...signals.map((s) => s.samples.length));
  const bucket = range ? 1 : Math.max(1, Math.floor((end - start) / 1200));
  for (const { name, samples } of signals) {
    for (let i = start; i < Math.min(end, samples.length); i += bucket) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = i; j < Math.min(i + bucket, samples.length); j++) {
        lo = Math.min(lo, samples[j] as number);
        hi = Math.max(hi, samples[j] as number);
      }
      rows.push({ t: i / rateHz, v: hi, lo, signal: name, order: name === 'truth' ? 2 : name === 'teacher-forced' ? 1 : 0 });
    }
  }
  return {
    $schema: SCHEMA,
    width: 900,
    height: 220,
    title: range ? `waveform, ${(start / rateHz).toFixed(3)}-${(end / rateHz).toFixed(3)} s` : 'waveform (min/max per bucket)',
    data: { values: rows },
    mark: bucket > 1 ? { type: 'area', opacity: 0.5 } : { type: 'line', strokeWidth: 1 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time (s)' },
      y: { field: 'v', type: 'quantitative', title: 'amplitude', scale: { domain: [-1, 1] }, stack: null },
      ...(bucket > 1 ? { y2: { field: 'lo' } } : {}),
      color: { field: 'signal', type: 'nominal', scale: SIGNAL_COLOURS },
      // The truth is drawn last, on top of the reconstructions.
      order: { field: 'order', type: 'quantitative' },
    },
  } as Spec;
}

/** Log-mel spectrograms side by side (40 bands, frames every 20 ms). */
export function spectrogramSpec(signals: readonly NamedSignal[], rateHz: number): Spec {
  const analyzer = new LogMelAnalyzer(rateHz);
  const rows: Array<{ t: number; t2: number; band: number; db: number; signal: string }> = [];
  const bands = new Float64Array(MEL_BANDS);
  const hop = SEG_FRAME;
  for (const { name, samples } of signals) {
    for (let start = 0; start + MEL_FRAME <= samples.length; start += hop) {
      analyzer.analyze(samples, start, bands);
      const t = Math.round((start / rateHz) * 1000) / 1000;
      const t2 = Math.round(((start + hop) / rateHz) * 1000) / 1000;
      for (let m = 0; m < MEL_BANDS; m++) rows.push({ t, t2, band: m, db: Math.max(-80, Math.round((bands[m] as number) * 10) / 10), signal: name });
    }
  }
  return {
    $schema: SCHEMA,
    title: 'log-mel spectrograms (dB)',
    data: { values: rows },
    facet: { column: { field: 'signal', type: 'nominal', title: null, sort: signals.map((s) => s.name) } },
    spec: {
      width: 300,
      height: 160,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (s)' },
        x2: { field: 't2' },
        y: { field: 'band', type: 'ordinal', sort: 'descending', title: 'mel band', axis: { labelExpr: "datum.index % 10 == 0 ? datum.label : ''" } },
        color: { field: 'db', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'dB' },
      },
    },
  } as Spec;
}

/**
 * F0 contours over the samples after the seed, as the pitch figures see them (the METRICS.md YIN, 5 ms
 * frames): one point per voiced frame, so voicing errors show as gaps or stray points.
 */
export function f0ContourSpec(signals: readonly NamedSignal[], seedSamples: number, rateHz: number): Spec {
  const rows: Array<{ t: number; f0: number; signal: string }> = [];
  for (const { name, samples } of signals) {
    const seed = Math.min(seedSamples, samples.length);
    const contour = pitchContour(samples.subarray(seed), rateHz);
    for (let i = 0; i < contour.f0Hz.length; i++) {
      if (contour.voiced[i] !== 1) continue;
      rows.push({ t: Math.round(((seed + i * contour.hopSamples) / rateHz) * 1000) / 1000, f0: Math.round((contour.f0Hz[i] as number) * 10) / 10, signal: name });
    }
  }
  return {
    $schema: SCHEMA,
    width: 900,
    height: 200,
    title: 'F0 contours (voiced frames)',
    data: { values: rows },
    mark: { type: 'point', size: 6, filled: true },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time (s)' },
      y: { field: 'f0', type: 'quantitative', title: 'F0 (Hz)', scale: { zero: false } },
      color: { field: 'signal', type: 'nominal', scale: SIGNAL_COLOURS },
    },
  } as Spec;
}

/** Per-frame SNR and mel distance of each reconstruction over time (20 ms frames after the seed). */
export function driftSpec(truth: Float32Array, signals: readonly NamedSignal[], seedSamples: number, rateHz: number): Spec {
  const analyzer = new LogMelAnalyzer(rateHz);
  const rows: Array<{ t: number; value: number; measure: string; signal: string }> = [];
  for (const { name, samples } of signals) {
    for (let start = seedSamples; start + Math.max(SEG_FRAME, MEL_FRAME) <= truth.length; start += SEG_FRAME) {
      if (meanSquare(truth, start, SEG_FRAME) < SILENT_MEAN_SQUARE) continue;
      const t = Math.round(((start + SEG_FRAME) / rateHz) * 1000) / 1000;
      rows.push({ t, value: Math.min(SEG_SNR_MAX_DB, Math.max(SEG_SNR_MIN_DB, frameSnrDb(truth, samples, start, SEG_FRAME))), measure: 'frame SNR (dB)', signal: name });
      rows.push({ t, value: analyzer.frameDistance(truth, samples, start), measure: 'mel distance (dB)', signal: name });
    }
  }
  return {
    $schema: SCHEMA,
    title: 'drift over time',
    data: { values: rows },
    facet: { row: { field: 'measure', type: 'nominal', title: null } },
    spec: {
      width: 900,
      height: 150,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (s)' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'signal', type: 'nominal', scale: SIGNAL_COLOURS },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as Spec;
}

/** Training and dev loss per evaluation. */
export function lossSpec(log: ReadonlyArray<{ step: number; trainLoss: number; devLoss: number | null }>): Spec {
  const rows = log.flatMap((e) => [
    { step: e.step, loss: e.trainLoss, split: 'train' },
    ...(e.devLoss !== null ? [{ step: e.step, loss: e.devLoss, split: 'dev' }] : []),
  ]);
  return {
    $schema: SCHEMA,
    width: 600,
    height: 220,
    title: 'loss curve',
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'step', type: 'quantitative' },
      y: { field: 'loss', type: 'quantitative', scale: { type: 'log' } },
      color: { field: 'split', type: 'nominal' },
    },
  } as Spec;
}
