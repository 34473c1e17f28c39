import { frameMemberPrefixes } from '../../core/manifest.js';
import type { FrameTrainingResult } from './train-frame-network.js';

/**
 * Several frame networks of one shape, trained on the same targets from different seeds, as one ensemble
 * whose output is their mean: the members' parameters side by side under the prefixes 'm1.', 'm2.', ...
 * (frame-model.ts). frame.onnx runs the members as parallel branches and averages them, so the engine sees
 * one frame network; it costs the members' arithmetic, per 10 ms frame, outside the sample loop. Pure.
 */
export function mergeFrameEnsemble(members: readonly FrameTrainingResult[]): FrameTrainingResult {
  const first = members[0];
  if (!first) throw new RangeError('an ensemble needs at least one frame network');
  if (members.length === 1) return first;
  const { inputWidth: I, hidden: H, convChannels: C, convWidth: K, outputWidth: O } = first.spec;
  for (const m of members) {
    const s = m.spec;
    if ((s.members ?? 1) !== 1) throw new RangeError('the members of an ensemble must be single networks');
    if (s.inputWidth !== I || s.hidden !== H || s.convChannels !== C || s.convWidth !== K || s.outputWidth !== O) {
      throw new RangeError('the frame networks of an ensemble must have the same shape');
    }
    // The outputs are averaged in z-score units, so the members must share the z-score.
    if (m.targetMean.some((v, i) => v !== first.targetMean[i]) || m.targetStd.some((v, i) => v !== first.targetStd[i])) {
      throw new RangeError('the frame networks of an ensemble must be trained on the same targets (same mean and deviation)');
    }
  }
  const spec = { ...first.spec, members: members.length };
  const prefixes = frameMemberPrefixes(spec);
  const weights = new Map<string, Float32Array>();
  members.forEach((m, k) => {
    for (const [name, values] of m.weights) weights.set(`${prefixes[k] as string}${name}`, values);
  });
  const n = members.length;
  const mean = (pick: (m: FrameTrainingResult) => number): number => members.reduce((s, m) => s + pick(m), 0) / n;
  const devLosses = members.map((m) => m.devLoss);
  return {
    spec,
    weights,
    targetMean: first.targetMean,
    targetStd: first.targetStd,
    epochsRun: Math.max(...members.map((m) => m.epochsRun)),
    bestEpoch: Math.round(mean((m) => m.bestEpoch)),
    // The members' mean losses (the ensemble's own are lower; train-frames measures them on the data).
    trainLoss: mean((m) => m.trainLoss),
    devLoss: devLosses.every((d): d is number => d !== null) ? devLosses.reduce((a, b) => a + b, 0) / n : null,
    seconds: members.reduce((s, m) => s + m.seconds, 0),
  };
}
