import type { HistorySettings } from './chunk-graph.js';
import { emitHistoryStep, emitTapIndex, TAP_OFFSETS } from './history-step.js';
import { GraphBuilder, FLOAT } from './onnx-graph-builder.js';
import { NetworkEmitter, type ConditioningLayout, type StateNames } from './network-emitter.js';

/** Graph input and output names, shared with the engine. */
export const STEP_IO = {
  /** mse models take `noise` (Gaussian, already scaled by temperature and sigma); mulaw models `uniform` and `temperature`. */
  inputs: { mse: ['window', 'features', 'state', 'noise'], mulaw: ['window', 'features', 'state', 'uniform', 'temperature'] },
  outputs: ['sample', 'raw', 'prediction', 'state_out'],
} as const;

/** Width of the packed state [B, L*S*H]: every layer's h (and c for LSTM) side by side. */
export function stateWidth(em: NetworkEmitter): number {
  return em.spec.layers * (em.spec.cell === 'lstm' ? 2 : 1) * em.spec.hidden;
}

/** Split a packed [B, L*S*H] state into per-layer [B, H] tensors (no node for a one-layer rnn/gru). */
export function splitState(g: GraphBuilder, em: NetworkEmitter, state: string): StateNames {
  const parts = em.spec.layers * (em.spec.cell === 'lstm' ? 2 : 1);
  const pieces = parts === 1 ? [state] : g.node('Split', [state], parts, { axis: 1 });
  const perLayer = em.spec.cell === 'lstm' ? 2 : 1;
  return {
    h: pieces.filter((_, i) => i % perLayer === 0),
    c: em.spec.cell === 'lstm' ? pieces.filter((_, i) => i % 2 === 1) : [],
  };
}

/** The packed state's parts in order: h0 (c0) h1 (c1)... */
export function stateParts(state: StateNames): string[] {
  return state.h.flatMap((h, l) => (state.c[l] ? [h, state.c[l] as string] : [h]));
}

/** Pack per-layer states into [B, L*S*H] under `output`. */
export function packState(g: GraphBuilder, state: StateNames, output: string): void {
  const parts = stateParts(state);
  if (parts.length === 1) {
    if (g.produces(parts[0] as string)) g.rename(parts[0] as string, output);
    else g.op('Identity', parts, {}, output);
  } else g.op('Concat', parts, { axis: 1 }, output);
}

/**
 * step.onnx: one sample for B streams. Inputs: the window [B,k] (audio units, oldest first), the
 * features [B,F], the packed state [B,L*S*H], and the randomness: mse models take `noise` [B,1] (a
 * Gaussian draw times temperature times sigma, in audio units; zeros for the plain mean), mulaw models
 * take `uniform` [B,1] and `temperature`. Outputs: the sample [B,1] (guarded), its raw value [B,1], the
 * prediction (mse: mean [B,1]; mulaw: logits [B,levels]) and the new state.
 */
export function buildStepGraph(em: NetworkEmitter, featureWidth: number, layout: ConditioningLayout): GraphBuilder {
  const { k, layers, hidden, head } = em.spec;
  const g = new GraphBuilder('step', 's_');
  g.input('window', FLOAT, ['B', k]);
  g.input('features', FLOAT, ['B', featureWidth]);
  g.input('state', FLOAT, ['B', stateWidth(em)]);
  if (head === 'mse') g.input('noise', FLOAT, ['B', 1]);
  else {
    g.input('uniform', FLOAT, ['B', 1]);
    g.input('temperature', FLOAT, []);
  }
  const GH = em.gates * hidden;
  const cp = em.emitConditioning(g, 'features', em.w('l0.b'), layout);
  const state = splitState(g, em, 'state');
  const wx0 = em.windowMatrix(0);
  const gru = em.spec.cell === 'gru';
  const weights = gru ? em.constant(g, 'wx0', wx0, [k, GH]) : em.constant(g, 'wxh0', NetworkEmitter.stack(wx0, em.w('l0.w_hh')), [k + hidden, GH]);
  const next = em.emitStep(g, ['window'], gru ? weights : '', gru ? undefined : weights, cp, state);
  const top = next.h[layers - 1] as string;
  const headW = em.headWeights(g);
  let sample: { fed: string; raw: string };
  if (head === 'mse') {
    const out = em.emitHead(g, top, headW.w, headW.b);
    sample = em.emitSample(g, out, 'noise');
    g.rename(out, 'prediction');
  } else {
    // Temperature above 0: sample (the temperature divides the head's weights, exactly as chunk.onnx does,
    // so both sample identically); 0: the distribution's expected value.
    const logits = em.emitHead(g, top, headW.w, headW.b);
    g.rename(logits, 'prediction');
    const sampled = new GraphBuilder('sampled', 'ss_');
    const scaled = em.emitHead(sampled, top, sampled.op('Div', [headW.w, 'temperature']), sampled.op('Div', [headW.b, 'temperature']));
    sampled.rename(em.emitSample(sampled, scaled, 'uniform').fed, 'ss_value');
    sampled.output('ss_value', FLOAT);
    const mean = new GraphBuilder('mean', 'sm_');
    mean.rename(em.emitMean(mean, 'prediction'), 'sm_value');
    mean.output('sm_value', FLOAT);
    const value = g.node('If', [g.op('Greater', ['temperature', g.scalar(0)])], 1, { then_branch: sampled, else_branch: mean })[0] as string;
    sample = { fed: value, raw: value };
  }
  g.rename(sample.fed, 'sample');
  if (sample.raw === sample.fed) g.op('Identity', ['sample'], {}, 'raw');
  else g.rename(sample.raw, 'raw');
  packState(g, next, 'state_out');
  g.output('sample', FLOAT, ['B', 1]);
  g.output('raw', FLOAT, ['B', 1]);
  g.output('prediction', FLOAT, ['B', head === 'mse' ? 1 : em.spec.levels]);
  g.output('state_out', FLOAT, ['B', stateWidth(em)]);
  return g;
}

/**
 * step.onnx of a model with signal features: one sample for B streams from the history [B, Lh] (oldest
 * first), the features [B,F], the state, the frame's predictor [B, order] (lpc models) and pitch lag [B]
 * (tap models), and the uniform and temperature (0: the expected value). Outputs the sample fed back
 * [B,1], its raw value [B,1] and the new state.
 */
export function buildHistoryStepGraph(em: NetworkEmitter, featureWidth: number, layout: ConditioningLayout, history: HistorySettings): GraphBuilder {
  const { layers, hidden } = em.spec;
  const Lh = history.samples;
  const g = new GraphBuilder('step', 's_');
  g.input('window', FLOAT, ['B', Lh]);
  g.input('features', FLOAT, ['B', featureWidth]);
  g.input('state', FLOAT, ['B', stateWidth(em)]);
  g.input('uniform', FLOAT, ['B', 1]);
  g.input('temperature', FLOAT, []);
  if (history.lpcOrder > 0) g.input('lpc', FLOAT, ['B', history.lpcOrder]);
  if (history.taps) g.input('lags', FLOAT, ['B']);
  g.input('sharpness', FLOAT, ['B']);
  const cp = em.emitConditioning(g, 'features', em.w('l0.b'), layout);
  const state = splitState(g, em, 'state');
  const tapIndex = history.taps ? emitTapIndex(g, g.op('Reshape', ['lags', g.int64s([-1, 1])]), [Lh], [1, TAP_OFFSETS.length]) : undefined;
  const headW = em.headWeights(g);
  // Temperature above 0 samples (the temperature divides the head, as chunk.onnx does); 0 takes the mean.
  const branch = (name: string, sampled: boolean): GraphBuilder => {
    const b = new GraphBuilder(name, `${name}_`);
    const head = sampled ? { w: b.op('Div', [headW.w, 'temperature']), b: b.op('Div', [headW.b, 'temperature']) } : headW;
    const step = emitHistoryStep(em, b, layout, {
      all: 'window',
      length: Lh,
      cp,
      ...(history.lpcOrder > 0 ? { lpc: { name: 'lpc', order: history.lpcOrder } } : {}),
      ...(tapIndex ? { tapIndex } : {}),
      ...(sampled ? { draw: 'uniform', sharpness: b.op('Reshape', ['sharpness', b.int64s([-1, 1])]) } : {}),
    }, head, state);
    b.op('Identity', [step.fed], {}, `${name}_fed`);
    b.op('Identity', [step.raw], {}, `${name}_raw`);
    packState(b, step.state, `${name}_state`);
    for (const o of ['fed', 'raw', 'state']) b.output(`${name}_${o}`, FLOAT);
    return b;
  };
  g.node('If', [g.op('Greater', ['temperature', g.scalar(0)])], 3, { then_branch: branch('sampled', true), else_branch: branch('mean', false) }, ['sample', 'raw', 'state_out']);
  g.output('sample', FLOAT, ['B', 1]);
  g.output('raw', FLOAT, ['B', 1]);
  g.output('state_out', FLOAT, ['B', layers * (em.spec.cell === 'lstm' ? 2 : 1) * hidden]);
  return g;
}
