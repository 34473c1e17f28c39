import { BOOL, FLOAT, GraphBuilder, INT64 } from './onnx-graph-builder.js';
import { NetworkEmitter, SAMPLE_MAX, SAMPLE_MIN, type StateNames } from './network-emitter.js';
import { packState, splitState, stateParts, stateWidth } from './step-graph.js';

export const CHUNK_IO = {
  inputs: ['features', 'window', 'state', 'uniforms', 'temperature', 'truth', 'teacher_forcing'],
  outputs: ['samples', 'raw', 'window_out', 'state_out'],
} as const;

/** [N, B, W] (or [N, B] with W = 1) -> [N/U, B, U*W]: step j of iteration i is columns j*W..(j+1)*W. */
function toBlocks(g: GraphBuilder, x: string, unroll: number, width: number, rank3: boolean): string {
  const bn = g.op('Transpose', [x], { perm: rank3 ? [1, 0, 2] : [1, 0] });
  const blocks = g.op('Reshape', [bn, g.int64s([0, -1, unroll * width])]);
  return g.op('Transpose', [blocks], { perm: [1, 0, 2] });
}

/** [N/U, B, U] -> [N, B]. */
function fromBlocks(g: GraphBuilder, x: string, output: string): void {
  const bnu = g.op('Transpose', [x], { perm: [1, 0, 2] });
  const bn = g.op('Reshape', [bnu, g.int64s([0, -1])]);
  g.op('Transpose', [bn], { perm: [1, 0] }, output);
}

interface OuterNames {
  cp: string;
  draws: string;
  truth: string;
  headW: string;
  headB: string;
}

/**
 * The Loop body: U unrolled steps, each fed its own output (free-running) or the ground truth
 * (teacher-forced). Everything is in audio units (the input scale is folded into the weights).
 */
function buildBody(em: NetworkEmitter, unroll: number, teacherForced: boolean, withDraws: boolean, outer: OuterNames, prefix: string): GraphBuilder {
  const { k, hidden, layers } = em.spec;
  const GH = em.gates * hidden;
  const g = new GraphBuilder(`${prefix}body`, prefix);
  const i = g.input(`${prefix}i`, INT64, []);
  const cond = g.input(`${prefix}cond`, BOOL, []);
  const win = g.input(`${prefix}win`, FLOAT, ['B', k]);
  const state: StateNames = { h: [], c: [] };
  for (let l = 0; l < layers; l++) {
    state.h.push(g.input(`${prefix}h${l}`, FLOAT, ['B', hidden]));
    if (em.spec.cell === 'lstm') state.c.push(g.input(`${prefix}c${l}`, FLOAT, ['B', hidden]));
  }
  const split = (tensor: string): string[] => {
    const row = g.op('Gather', [tensor, i], { axis: 0 });
    return unroll === 1 ? [row] : g.node('Split', [row], unroll, { axis: 1 });
  };
  const cps = split(outer.cp);
  const draws = withDraws ? split(outer.draws) : [];
  const truths = teacherForced ? split(outer.truth) : [];
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
      const u = em.emitGuardedMse(g, top, outer.headW, withDraws ? (draws[j] as string) : outer.headB);
      raw.push(u);
      fedBack.push(teacherForced ? (truths[j] as string) : u);
    } else {
      const sample = em.emitSample(g, em.emitHead(g, top, outer.headW, outer.headB), draws[j]);
      raw.push(sample.raw);
      fedBack.push(teacherForced ? (truths[j] as string) : sample.fed);
    }
  }
  g.op('Identity', [cond], {}, `${prefix}cond_out`);
  const all = g.op('Concat', [win, ...fedBack], { axis: 1 });
  g.op('Slice', [all, g.int64s([unroll]), g.int64s([unroll + k]), g.int64s([1])], {}, `${prefix}win_out`);
  const carry = (tensor: string, name: string): void => {
    if (g.produces(tensor) && !raw.includes(tensor)) g.rename(tensor, name);
    else g.op('Identity', [tensor], {}, name);
  };
  current.h.forEach((h, l) => carry(h, `${prefix}h${l}_out`));
  current.c.forEach((c, l) => carry(c, `${prefix}c${l}_out`));
  // Only raw values leave the loop; the guarded samples are the same values clipped, done once outside.
  g.op('Concat', raw, { axis: 1 }, `${prefix}raw_out`);
  g.output(`${prefix}cond_out`, BOOL, []);
  g.output(`${prefix}win_out`, FLOAT, ['B', k]);
  current.h.forEach((_, l) => {
    g.output(`${prefix}h${l}_out`, FLOAT, ['B', hidden]);
    if (current.c[l]) g.output(`${prefix}c${l}_out`, FLOAT, ['B', hidden]);
  });
  g.output(`${prefix}raw_out`, FLOAT, ['B', unroll]);
  return g;
}

/**
 * chunk.onnx: N samples for B streams in one call, each prediction fed back inside the graph (ONNX Loop,
 * U steps unrolled per iteration; N must be a multiple of U). Sampling uses the caller's uniforms [N,B]
 * (inverse-CDF for mu-law; probit for the mse head's Gaussian), so the same seed gives the same audio.
 * `teacher_forcing` switches (If) to a body that feeds back `truth` [N,B] instead. Per-frame work (the
 * conditioning projection, the noise, the temperature) is done once per call, outside the loop.
 */
export function buildChunkGraph(em: NetworkEmitter, featureWidth: number, unroll: number): { graph: GraphBuilder; nodesPerSample: number } {
  const { k, hidden, head, layers } = em.spec;
  const GH = em.gates * hidden;
  const g = new GraphBuilder('chunk', 'g_');
  g.input('features', FLOAT, ['N', 'B', featureWidth]);
  g.input('window', FLOAT, ['B', k]);
  g.input('state', FLOAT, ['B', stateWidth(em)]);
  g.input('uniforms', FLOAT, ['N', 'B']);
  g.input('temperature', FLOAT, []);
  g.input('truth', FLOAT, ['N', 'B']);
  g.input('teacher_forcing', BOOL, []);
  // The conditioning projection as one Gemm over all N*B rows: the same arithmetic (bias first, then the
  // products in order) as step.onnx, so that both graphs sample identically.
  const rows = g.op('Reshape', ['features', g.int64s([-1, featureWidth])]);
  // mse models run the loop in guard units u = (s - lo) / (hi - lo): windows, feedback and truth.
  const guard = head === 'mse';
  const bias = guard ? em.constant(g, 'l0.b_guard', em.guardUnitBias(), [GH]) : em.constant(g, 'l0.b');
  const projected = g.op('Gemm', [rows, em.constant(g, 'cond', em.conditioningMatrix(), [featureWidth, GH]), bias]);
  const cond = g.op('Reshape', [projected, g.op('Concat', [g.op('Slice', [g.op('Shape', ['features']), g.int64s([0]), g.int64s([2])]), g.int64s([GH])], { axis: 0 })]);
  const cp = toBlocks(g, cond, unroll, GH, true);
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
    draws = toBlocks(g, g.op('Add', [noise, headB]), unroll, 1, false);
  } else {
    draws = toBlocks(g, 'uniforms', unroll, 1, false);
    headW = g.op('Div', [headW, 'temperature']);
    headB = g.op('Div', [headB, 'temperature']);
  }
  const truth = toBlocks(g, toGuard('truth'), unroll, 1, false);
  const trips = g.op('Div', [g.op('Gather', [g.op('Shape', ['features']), g.int64s([0], [])], { axis: 0 }), g.int64s([unroll], [])]);
  const keepGoing = g.bool(true);
  const state = splitState(g, em, 'state');
  const carried = [toGuard('window'), ...stateParts(state)];
  const outer: OuterNames = { cp, draws, truth, headW, headB };
  const outputNames = (prefix: string): string[] => {
    const names = [`${prefix}win_final`];
    for (let l = 0; l < layers; l++) {
      names.push(`${prefix}h${l}_final`);
      if (em.spec.cell === 'lstm') names.push(`${prefix}c${l}_final`);
    }
    return [...names, `${prefix}raw_all`];
  };
  let perIteration = 0;
  const loopGraph = (teacherForced: boolean, withDraws: boolean): { graph: GraphBuilder; outputs: string[] } => {
    const prefix = `${teacherForced ? 't' : 'f'}${withDraws ? 'd' : ''}_`;
    const body = buildBody(em, unroll, teacherForced, withDraws, outer, prefix);
    if (!teacherForced) perIteration = body.nodeCount;
    const bg = new GraphBuilder(`${prefix}branch`, `${prefix}b_`);
    const outputs = outputNames(prefix);
    bg.node('Loop', [trips, keepGoing, ...carried], outputs.length, { body }, outputs);
    outputs.forEach((o) => bg.output(o, FLOAT));
    return { graph: bg, outputs };
  };
  const forced = loopGraph(true, true);
  let free = loopGraph(false, true);
  if (head === 'mse') {
    // The mse head samples only above temperature 0; the plain body saves a node per step.
    const plain = loopGraph(false, false);
    const choose = new GraphBuilder('free_branch', 'fc_');
    const outs = plain.outputs.map((o) => `fc_${o}`);
    choose.node('If', [g.op('Greater', ['temperature', g.scalar(0)])], outs.length, { then_branch: free.graph, else_branch: plain.graph }, outs);
    outs.forEach((o) => choose.output(o, FLOAT));
    free = { graph: choose, outputs: outs };
  }
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
  if (guard) {
    // mse: the loop's values are already guarded; raw and samples are the same.
    fromBlocks(g, rawAll, 'raw_guard');
    fromGuard('raw_guard', 'raw');
  } else fromBlocks(g, rawAll, 'raw');
  g.op('Clip', ['raw', g.scalar(SAMPLE_MIN), g.scalar(SAMPLE_MAX)], {}, 'samples');
  g.output('samples', FLOAT, ['N', 'B']);
  g.output('raw', FLOAT, ['N', 'B']);
  g.output('window_out', FLOAT, ['B', k]);
  g.output('state_out', FLOAT, ['B', stateWidth(em)]);
  // Per sample: the free-running body's nodes over its U steps, plus the Loop's own iteration.
  return { graph: g, nodesPerSample: (perIteration + 1) / unroll };
}
