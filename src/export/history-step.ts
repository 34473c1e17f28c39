import { INT64, type GraphBuilder } from './onnx-graph-builder.js';
import { NetworkEmitter, SAMPLE_MAX, SAMPLE_MIN, type ConditioningLayout, type StateNames } from './network-emitter.js';

/** Offsets of the three pitch taps from t - lag (as data/features/signal-inputs.ts reads them in training). */
export const TAP_OFFSETS = [-1, 0, 1] as const;

/** The head weights a step reads: sampling (temperature applied) or mean decoding. */
export interface HeadNames {
  w: string;
  b: string;
}

/** What one step of a history model reads besides the carried history and state. */
export interface HistoryStepInputs {
  /** [B, Lh + j]: the history followed by the samples fed back earlier in this iteration. */
  all: string;
  /** Columns of `all` before the sample predicted now (Lh + j). */
  length: number;
  cp: string;
  /** [B, order] predictor coefficients, oldest sample first (lpc models). */
  lpc?: { name: string; order: number };
  /** [B, 3] int64 columns of `all` holding the pitch taps (tap models). */
  tapIndex?: string;
  /** [B, 1] uniforms when sampling; absent: the expected value. */
  draw?: string;
  /** [B, 1] sampling sharpness (multiplies the logits when sampling). */
  sharpness?: string;
}

/**
 * One sample of a model with signal features (LPCNet's split): the window is the last k columns of the
 * history, the linear prediction p = sum c_i x[t-1-i] and the pitch taps are computed from it, the network
 * predicts the excitation (or the sample, without prediction), and the sample is p + e. Returns the raw
 * sample [B,1] and the value fed back (lpc models: clipped to the guard's range, as the generator does).
 */
export function emitHistoryStep(em: NetworkEmitter, g: GraphBuilder, layout: ConditioningLayout, inputs: HistoryStepInputs, head: HeadNames, state: StateNames): { raw: string; fed: string; state: StateNames } {
  const { k } = em.spec;
  const { all, length } = inputs;
  const win = g.op('Slice', [all, g.int64s([length - k]), g.int64s([length]), g.int64s([1])]);
  const parts = [win];
  let prediction: string | undefined;
  if (inputs.lpc) {
    const { order } = inputs.lpc;
    const recent = k >= order ? g.op('Slice', [win, g.int64s([k - order]), g.int64s([k]), g.int64s([1])]) : g.op('Slice', [all, g.int64s([length - order]), g.int64s([length]), g.int64s([1])]);
    prediction = g.op('ReduceSum', [g.op('Mul', [recent, inputs.lpc.name]), g.int64s([1])], { keepdims: 1 });
    parts.push(prediction);
  }
  if (inputs.tapIndex) parts.push(g.op('GatherElements', [all, inputs.tapIndex], { axis: 1 }));
  const gru = em.spec.cell === 'gru';
  const values = em.signalInputMatrix(layout);
  const rows = k + layout.signal.length;
  const GH = em.gates * em.H;
  const weights = gru ? em.constant(g, 'wsig', values, [rows, GH]) : em.constant(g, 'wsigh', NetworkEmitter.stack(values, em.w('l0.w_hh')), [rows + em.H, GH]);
  const next = em.emitStep(g, parts, gru ? weights : '', gru ? undefined : weights, inputs.cp, state);
  const top = next.h[em.spec.layers - 1] as string;
  const logits = em.emitHead(g, top, head.w, head.b);
  const sharpened = inputs.draw && inputs.sharpness ? g.op('Mul', [logits, inputs.sharpness]) : logits;
  const value = inputs.draw ? em.emitSample(g, sharpened, inputs.draw).fed : em.emitMean(g, logits);
  if (!prediction) return { raw: value, fed: value, state: next };
  const raw = g.op('Add', [prediction, value]);
  return { raw, fed: g.op('Clip', [raw, g.scalar(SAMPLE_MIN), g.scalar(SAMPLE_MAX)]), state: next };
}

/**
 * Tap columns of `all` for pitch lags: columns (base + j) - lag + offset, for the j-th step. `lags` is float
 * [.., 1]-shaped so it broadcasts against the [.., 3] offsets; the result is int64.
 */
export function emitTapIndex(g: GraphBuilder, lags: string, bases: readonly number[], shape: number[]): string {
  const values: number[] = [];
  for (const base of bases) for (const offset of TAP_OFFSETS) values.push(base + offset);
  return g.op('Sub', [g.int64s(values, shape), g.op('Cast', [lags], { to: INT64 })]);
}
