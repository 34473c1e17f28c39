import { emitHistoryStep, emitTapIndex, TAP_OFFSETS } from './history-step.js';
import { BOOL, FLOAT, GraphBuilder, INT64 } from './onnx-graph-builder.js';
import { NetworkEmitter, SAMPLE_MAX, SAMPLE_MIN, type ConditioningLayout, type StateNames } from './network-emitter.js';
import { packState, splitState, stateParts, stateWidth } from './step-graph.js';

export const CHUNK_IO = {
  inputs: ['features', 'window', 'state', 'uniforms', 'temperature', 'truth', 'teacher_forcing'],
  /** Models with signal features also take the predictor per sample and the pitch lag per sample. */
  signalInputs: ['lpc', 'lags'],
  outputs: ['samples', 'raw', 'window_out', 'state_out'],
} as const;

/**
 * Models with signal features carry a history longer than their window (it reaches one pitch period back)
 * and read the frame's predictor and pitch lag per sample.
 */
export interface HistorySettings {
  samples: number;
  lpcOrder: number;
  taps: boolean;
}

/**
 * Row-major [N*B, W] -> [N/U, U*B, W]: a reshape, no copy. Iteration i gathers its U*B rows; splitting them
 * along axis 0 gives step j's [B, W] (rows are time-major, so no transpose is ever needed).
 */
function toBlocks(g: GraphBuilder, rows: string, blockShape: string): string {
  return g.op('Reshape', [rows, blockShape]);
}

/** Head weights of the main graph, read by the bodies from the outer scope. */
interface OuterHead {
  /** With the temperature applied (mulaw) or scaled to audio units (mse). */
  w: string;
  b: string;
  /** mulaw head weights without the temperature, for mean decoding. */
  meanW: string;
  meanB: string;
}

/**
 * U unrolled steps, each fed its own output (free-running) or the ground truth (teacher-forced),
 * everything in audio units (the input scale is folded into the weights).
 *
 * The Scan body: the carried state (window, h, c) first, then this iteration's slices of the scan inputs
 * (conditioning rows, draws, truth: each [U*B, .]), split into U steps of [B, .]. Scan slices its inputs
 * itself, which costs onnxruntime far less per iteration than a Loop with a Gather.
 */
function buildBody(em: NetworkEmitter, unroll: number, teacherForced: boolean, withDraws: boolean, outerHead: OuterHead, prefix: string): GraphBuilder {
  const { k, hidden, layers } = em.spec;
  const GH = em.gates * hidden;
  const g = new GraphBuilder(`${prefix}body`, prefix);
  const win = g.input(`${prefix}win`, FLOAT, ['B', k]);
  const state = stateInputs(g, em, prefix);
  const split = (row: string): string[] => (unroll === 1 ? [row] : g.node('Split', [row], unroll, { axis: 0 }));
  const cps = split(g.input(`${prefix}cp`, FLOAT, ['UB', GH]));
  const draws = withDraws ? split(g.input(`${prefix}draws`, FLOAT, ['UB', 1])) : [];
  const truths = teacherForced ? split(g.input(`${prefix}truth`, FLOAT, ['UB', 1])) : [];
  const fedBack: string[] = [];
  const raw: string[] = [];
  let current = state;
  const gru = em.spec.cell === 'gru';
  const guard = em.spec.head === 'mse';
  for (let j = 0; j < unroll; j++) {
    // Step j reads [window, fed_0..fed_{j-1}]; its weights hold zero rows for what fell out of the model's
    // window (one Concat per step instead of a Slice and a Concat). They are the body's own initializers:
    // onnxruntime pre-packs constant Gemm operands only in the graph that runs them.
    const values = em.windowMatrix(j, guard);
    const weights = gru ? em.constant(g, `wx${j}`, values, [k + j, GH]) : em.constant(g, `wxh${j}`, NetworkEmitter.stack(values, em.w('l0.w_hh')), [k + j + hidden, GH]);
    current = em.emitStep(g, [win, ...fedBack], gru ? weights : '', gru ? undefined : weights, cps[j] as string, current);
    const top = current.h[layers - 1] as string;
    if (guard) {
      // mse: the guarded sample in guard units, one fused Gemm + HardSigmoid (noise rides in the bias).
      const u = em.emitGuardedMse(g, top, outerHead.w, withDraws ? (draws[j] as string) : outerHead.b);
      raw.push(u);
      fedBack.push(teacherForced ? (truths[j] as string) : u);
    } else if (withDraws) {
      const sample = em.emitSample(g, em.emitHead(g, top, outerHead.w, outerHead.b), draws[j]);
      raw.push(sample.raw);
      fedBack.push(teacherForced ? (truths[j] as string) : sample.fed);
    } else {
      // mulaw at temperature 0: the expected value (unscaled logits).
      const value = em.emitMean(g, em.emitHead(g, top, outerHead.meanW, outerHead.meanB));
      raw.push(value);
      fedBack.push(teacherForced ? (truths[j] as string) : value);
    }
  }
  finishBody(g, prefix, win, k, fedBack, raw, current, hidden);
  return g;
}

/** The state inputs of a Scan body: h (and c for LSTM) of every layer, [B, H] each. */
function stateInputs(g: GraphBuilder, em: NetworkEmitter, prefix: string): StateNames {
  const state: StateNames = { h: [], c: [] };
  for (let l = 0; l < em.spec.layers; l++) {
    state.h.push(g.input(`${prefix}h${l}`, FLOAT, ['B', em.spec.hidden]));
    if (em.spec.cell === 'lstm') state.c.push(g.input(`${prefix}c${l}`, FLOAT, ['B', em.spec.hidden]));
  }
  return state;
}

/**
 * The end of a Scan body: the carried window (its last `width` columns after the samples fed back), the
 * state, and the iteration's raw values ([U*B, 1], step-major; the guarded samples are clipped once outside).
 */
function finishBody(g: GraphBuilder, prefix: string, window: string, width: number, fedBack: readonly string[], raw: readonly string[], current: StateNames, hidden: number): void {
  const unroll = fedBack.length;
  const all = g.op('Concat', [window, ...fedBack], { axis: 1 });
  g.op('Slice', [all, g.int64s([unroll]), g.int64s([unroll + width]), g.int64s([1])], {}, `${prefix}win_out`);
  const carry = (tensor: string, name: string): void => {
    if (g.produces(tensor) && !raw.includes(tensor) && !fedBack.includes(tensor)) g.rename(tensor, name);
    else g.op('Identity', [tensor], {}, name);
  };
  current.h.forEach((h, l) => carry(h, `${prefix}h${l}_out`));
  current.c.forEach((c, l) => carry(c, `${prefix}c${l}_out`));
  g.op('Concat', [...raw], { axis: 0 }, `${prefix}raw_out`);
  g.output(`${prefix}win_out`, FLOAT, ['B', width]);
  current.h.forEach((_, l) => {
    g.output(`${prefix}h${l}_out`, FLOAT, ['B', hidden]);
    if (current.c[l]) g.output(`${prefix}c${l}_out`, FLOAT, ['B', hidden]);
  });
  g.output(`${prefix}raw_out`, FLOAT, ['UB', 1]);
}

/**
 * The Scan body of a model with signal features: like buildBody, but the carried window is the history
 * [B, Lh] and each step reads its predictor row and tap columns from the scan inputs.
 */
function buildHistoryBody(em: NetworkEmitter, unroll: number, teacherForced: boolean, withDraws: boolean, outerHead: OuterHead, prefix: string, layout: ConditioningLayout, history: HistorySettings): GraphBuilder {
  const { hidden } = em.spec;
  const GH = em.gates * hidden;
  const Lh = history.samples;
  const g = new GraphBuilder(`${prefix}body`, prefix);
  const hist = g.input(`${prefix}win`, FLOAT, ['B', Lh]);
  const state = stateInputs(g, em, prefix);
  const split = (row: string): string[] => (unroll === 1 ? [row] : g.node('Split', [row], unroll, { axis: 0 }));
  const cps = split(g.input(`${prefix}cp`, FLOAT, ['UB', GH]));
  const draws = withDraws ? split(g.input(`${prefix}draws`, FLOAT, ['UB', 1])) : [];
  const truths = teacherForced ? split(g.input(`${prefix}truth`, FLOAT, ['UB', 1])) : [];
  const lpcs = history.lpcOrder > 0 ? split(g.input(`${prefix}lpc`, FLOAT, ['UB', history.lpcOrder])) : [];
  const taps = history.taps ? split(g.input(`${prefix}taps`, INT64, ['UB', TAP_OFFSETS.length])) : [];
  const sharp = withDraws ? split(g.input(`${prefix}sharp`, FLOAT, ['UB', 1])) : [];
  const head = withDraws ? { w: outerHead.w, b: outerHead.b } : { w: outerHead.meanW, b: outerHead.meanB };
  const fedBack: string[] = [];
  const raw: string[] = [];
  let current = state;
  for (let j = 0; j < unroll; j++) {
    const all = j === 0 ? hist : g.op('Concat', [hist, ...fedBack], { axis: 1 });
    const step = emitHistoryStep(em, g, layout, {
      all,
      length: Lh + j,
      cp: cps[j] as string,
      ...(history.lpcOrder > 0 ? { lpc: { name: lpcs[j] as string, order: history.lpcOrder } } : {}),
      ...(history.taps ? { tapIndex: taps[j] as string } : {}),
      ...(withDraws ? { draw: draws[j] as string, sharpness: sharp[j] as string } : {}),
    }, head, current);
    current = step.state;
    raw.push(step.raw);
    fedBack.push(teacherForced ? (truths[j] as string) : step.fed);
  }
  finishBody(g, prefix, hist, Lh, fedBack, raw, current, hidden);
  return g;
}

/**
 * chunk.onnx: N samples for B streams in one call, each prediction fed back inside the graph (ONNX Scan,
 * U steps unrolled per iteration; N must be a multiple of U). Sampling uses the caller's uniforms [N,B]
 * (inverse-CDF for mu-law; probit for the mse head's Gaussian), so the same seed gives the same audio.
 * `teacher_forcing` switches (If) to a body that feeds back `truth` [N,B] instead. Per-frame work (the
 * conditioning projection, the noise, the temperature) is done once per call, outside the loop.
 */
export function buildChunkGraph(em: NetworkEmitter, featureWidth: number, unroll: number, layout: ConditioningLayout, history?: HistorySettings): { graph: GraphBuilder; nodesPerSample: number } {
  const { k, hidden, head, layers } = em.spec;
  const GH = em.gates * hidden;
  const windowWidth = history ? history.samples : k;
  const g = new GraphBuilder('chunk', 'g_');
  g.input('features', FLOAT, ['N', 'B', featureWidth]);
  g.input('window', FLOAT, ['B', windowWidth]);
  g.input('state', FLOAT, ['B', stateWidth(em)]);
  g.input('uniforms', FLOAT, ['N', 'B']);
  g.input('temperature', FLOAT, []);
  g.input('truth', FLOAT, ['N', 'B']);
  g.input('teacher_forcing', BOOL, []);
  if (history && history.lpcOrder > 0) g.input('lpc', FLOAT, ['N', 'B', history.lpcOrder]);
  if (history?.taps) g.input('lags', FLOAT, ['N', 'B']);
  if (history) g.input('sharpness', FLOAT, ['N', 'B']);
  // Block shapes [-1, U*B, W] from the batch size B of this call.
  const batch = g.op('Slice', [g.op('Shape', ['features']), g.int64s([1]), g.int64s([2])]);
  const unrolledBatch = g.op('Mul', [batch, g.int64s([unroll])]);
  const blockShape = (width: number): string => g.op('Concat', [g.int64s([-1]), unrolledBatch, g.int64s([width])], { axis: 0 });
  // Per-frame work, once per call over all N*B rows: the conditioning projection (the same ops, in the
  // same order, as step.onnx, so both sample identically). mse models run the loop in guard units
  // u = (s - lo) / (hi - lo): windows, feedback and truth.
  const guard = head === 'mse';
  const rows = g.op('Reshape', ['features', g.int64s([-1, featureWidth])]);
  const cp = toBlocks(g, em.emitConditioning(g, rows, guard ? em.guardUnitBias() : em.w('l0.b'), layout), blockShape(GH));
  const column = (x: string): string => g.op('Reshape', [x, g.int64s([-1, 1])]);
  const head0 = em.headWeights(g);
  let headW = head0.w;
  let headB = head0.b;
  let draws: string;
  const span = SAMPLE_MAX - SAMPLE_MIN;
  const toGuard = (x: string): string => (guard ? g.op('Mul', [g.op('Sub', [x, g.scalar(SAMPLE_MIN)]), g.scalar(1 / span)]) : x);
  const fromGuard = (x: string, output?: string): string => g.op('Add', [g.op('Mul', [x, g.scalar(span)]), g.scalar(SAMPLE_MIN)], {}, output);
  if (head === 'mse') {
    // The head's bias per step: b * s plus the Gaussian noise (so sampling adds no node to the loop).
    const sigmaAudio = em.sigma * em.inputScale;
    const noise = g.op('Mul', [em.emitProbit(g, 'uniforms'), g.op('Mul', ['temperature', g.scalar(sigmaAudio)])]);
    draws = toBlocks(g, column(g.op('Add', [noise, headB])), blockShape(1));
  } else {
    draws = toBlocks(g, column('uniforms'), blockShape(1));
    headW = g.op('Div', [headW, 'temperature']);
    headB = g.op('Div', [headB, 'temperature']);
  }
  const truth = toBlocks(g, column(toGuard('truth')), blockShape(1));
  const signalBlocks: string[] = [];
  if (history && history.lpcOrder > 0) signalBlocks.push(toBlocks(g, g.op('Reshape', ['lpc', g.int64s([-1, history.lpcOrder])]), blockShape(history.lpcOrder)));
  if (history?.taps) {
    // Step j of an iteration reads the tap columns (Lh + j) - lag + offset of [history, fed_0..fed_{j-1}].
    const perStep = g.op('Reshape', ['lags', g.op('Concat', [g.int64s([-1, unroll]), batch, g.int64s([1])], { axis: 0 })]);
    const bases = Array.from({ length: unroll }, (_, j) => history.samples + j);
    const columns = emitTapIndex(g, perStep, bases, [1, unroll, 1, TAP_OFFSETS.length]);
    signalBlocks.push(toBlocks(g, columns, blockShape(TAP_OFFSETS.length)));
  }
  const sharpBlocks = history ? toBlocks(g, column('sharpness'), blockShape(1)) : undefined;
  const state = splitState(g, em, 'state');
  const carried = [toGuard('window'), ...stateParts(state)];
  const outerHead: OuterHead = { w: headW, b: headB, meanW: head0.w, meanB: head0.b };
  const outputNames = (prefix: string): string[] => {
    const names = [`${prefix}win_final`];
    for (let l = 0; l < layers; l++) {
      names.push(`${prefix}h${l}_final`);
      if (em.spec.cell === 'lstm') names.push(`${prefix}c${l}_final`);
    }
    return [...names, `${prefix}raw_all`];
  };
  // Node counts of the loop each head runs by default: mse the mean, mulaw sampling.
  let perIteration = 0;
  const loopGraph = (teacherForced: boolean, withDraws: boolean): { graph: GraphBuilder; outputs: string[] } => {
    const prefix = `${teacherForced ? 't' : 'f'}${withDraws ? 'd' : ''}_`;
    const body = history ? buildHistoryBody(em, unroll, teacherForced, withDraws, outerHead, prefix, layout, history) : buildBody(em, unroll, teacherForced, withDraws, outerHead, prefix);
    if (!teacherForced && withDraws === (head === 'mulaw')) perIteration = body.nodeCount;
    const bg = new GraphBuilder(`${prefix}branch`, `${prefix}b_`);
    const outputs = outputNames(prefix);
    const scanned = [cp, ...(withDraws ? [draws] : []), ...(teacherForced ? [truth] : []), ...signalBlocks, ...(withDraws && sharpBlocks ? [sharpBlocks] : [])];
    bg.node('Scan', [...carried, ...scanned], outputs.length, { body, num_scan_inputs: scanned.length }, outputs);
    outputs.forEach((o) => bg.output(o, FLOAT));
    return { graph: bg, outputs };
  };
  // Temperature above 0 samples; 0 decodes deterministically (mse: the mean, without the noise node;
  // mulaw: the expected value). Teacher-forced and free-running each get both loops.
  const sampling = g.op('Greater', ['temperature', g.scalar(0)]);
  const choose = (teacherForced: boolean): { graph: GraphBuilder; outputs: string[] } => {
    const sampled = loopGraph(teacherForced, true);
    const deterministic = loopGraph(teacherForced, false);
    const prefix = teacherForced ? 'tc_' : 'fc_';
    const chooser = new GraphBuilder(`${prefix}branch`, prefix);
    const outs = deterministic.outputs.map((o) => `${prefix}${o}`);
    chooser.node('If', [sampling], outs.length, { then_branch: sampled.graph, else_branch: deterministic.graph }, outs);
    outs.forEach((o) => chooser.output(o, FLOAT));
    return { graph: chooser, outputs: outs };
  };
  const forced = choose(true);
  const free = choose(false);
  const results = g.node('If', ['teacher_forcing'], free.outputs.length, { then_branch: forced.graph, else_branch: free.graph });
  const [winFinal, ...rest] = results as [string, ...string[]];
  const rawAll = rest[rest.length - 1] as string;
  const finalState: StateNames = { h: [], c: [] };
  rest.slice(0, rest.length - 1).forEach((t, idx) => {
    if (em.spec.cell === 'lstm' && idx % 2 === 1) finalState.c.push(t);
    else finalState.h.push(t);
  });
  if (guard) fromGuard(winFinal, 'window_out');
  else g.op('Identity', [winFinal], {}, 'window_out');
  packState(g, finalState, 'state_out');
  // [N/U, U*B, 1] back to [N, B]: a reshape (the rows are in time order).
  const perSample = g.op('Reshape', [rawAll, g.op('Concat', [g.int64s([-1]), batch], { axis: 0 })]);
  if (guard) fromGuard(perSample, 'raw'); // mse: the loop's values are already guarded; raw and samples agree
  else g.op('Identity', [perSample], {}, 'raw');
  g.op('Clip', ['raw', g.scalar(SAMPLE_MIN), g.scalar(SAMPLE_MAX)], {}, 'samples');
  g.output('samples', FLOAT, ['N', 'B']);
  g.output('raw', FLOAT, ['N', 'B']);
  g.output('window_out', FLOAT, ['B', windowWidth]);
  g.output('state_out', FLOAT, ['B', stateWidth(em)]);
  // Per sample: the free-running body's nodes over its U steps, plus the Scan's own iteration.
  return { graph: g, nodesPerSample: (perIteration + 1) / unroll };
}
