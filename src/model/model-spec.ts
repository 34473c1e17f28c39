import { UsageError } from '../core/errors.js';
import { ACOUSTIC_PRE_EMPHASIS } from '../data/features/acoustic-frames.js';
import { isAcoustic, type FeatureLayout, type FeatureSetName } from '../data/features/feature-layout.js';
import type { PhoneSetName } from '../data/phones/phone-sets.js';

export type CellType = 'rnn' | 'gru' | 'lstm';
export type HeadType = 'mse' | 'mulaw';
export const CELL_TYPES: readonly CellType[] = ['rnn', 'gru', 'lstm'];
export const HEAD_TYPES: readonly HeadType[] = ['mse', 'mulaw'];

/** The network, as one spec: everything needed to build, train, export and run it. */
export interface ModelSpec {
  cell: CellType;
  hidden: number;
  layers: number;
  head: HeadType;
  /** Previous samples in the input window. */
  k: number;
  featureSet: FeatureSetName;
  phoneSet: PhoneSetName;
  sampleRateHz: number;
  /** Mu-law levels of the softmax head. */
  levels: number;
  /** Pre-emphasis coefficient a of the modelled signal s[n] - a s[n-1] (0 = the plain waveform). */
  preEmphasis?: number;
}

export function gateCount(cell: CellType): number {
  return cell === 'rnn' ? 1 : cell === 'gru' ? 3 : 4;
}

export function outputWidth(spec: ModelSpec): number {
  return spec.head === 'mse' ? 1 : spec.levels;
}

/** Check a spec's ranges; the message names the option and the allowed values. */
export function validateSpec(spec: ModelSpec): void {
  const fail = (flag: string, message: string): never => {
    throw new UsageError({ code: 'E_OPTION_RANGE', where: flag, message });
  };
  if (!Number.isInteger(spec.hidden) || spec.hidden < 4 || spec.hidden > 2048 || spec.hidden % 4 !== 0) {
    fail('--hidden', `got ${spec.hidden}, allowed a multiple of 4 in [4, 2048] (the kernels work on 4 lanes)`);
  }
  if (!Number.isInteger(spec.layers) || spec.layers < 1 || spec.layers > 2) fail('--layers', `got ${spec.layers}, allowed 1 or 2`);
  if (!Number.isInteger(spec.k) || spec.k < 1 || spec.k > 4096) fail('--k', `got ${spec.k}, allowed an integer in [1, 4096]`);
  if (spec.head === 'mulaw' && spec.levels !== 256) fail('--levels', `got ${spec.levels}, allowed 256`);
  const a = spec.preEmphasis ?? 0;
  if (!(a >= 0 && a < 1)) fail('--pre-emphasis', `got ${a}, allowed [0, 1)`);
  if (isAcoustic(spec.featureSet)) {
    // The frame features' envelope (and the predictor derived from it) is that of the 0.85-emphasized signal.
    if (a !== ACOUSTIC_PRE_EMPHASIS) fail('--pre-emphasis', `got ${a}; feature set ${spec.featureSet} needs ${ACOUSTIC_PRE_EMPHASIS} (the signal its envelope describes)`);
    if (spec.head !== 'mulaw') fail('--head', `got ${spec.head}; feature set ${spec.featureSet} needs mulaw`);
  }
}

export interface ParameterShape {
  name: string;
  shape: [number, number] | [number];
}

/**
 * Every trainable tensor and its shape. Layer 0 reads the sample window (w_win), the categorical
 * conditioning (emb: one row per slot and phone) and the dense conditioning (w_dense); deeper layers read
 * the layer below (w_in). Gates are concatenated along the last axis.
 */
export function parameterShapes(spec: ModelSpec, layout: FeatureLayout): ParameterShape[] {
  const GH = gateCount(spec.cell) * spec.hidden;
  const shapes: ParameterShape[] = [];
  for (let l = 0; l < spec.layers; l++) {
    if (l === 0) {
      shapes.push({ name: 'l0.w_win', shape: [spec.k, GH] });
      // Acoustic models have no categorical input, so no table.
      if (layout.slots.length > 0) shapes.push({ name: 'l0.emb', shape: [layout.slots.length * layout.phoneCount, GH] });
      if (layout.dense.length > 0) shapes.push({ name: 'l0.w_dense', shape: [layout.dense.length, GH] });
    } else {
      shapes.push({ name: `l${l}.w_in`, shape: [spec.hidden, GH] });
    }
    shapes.push({ name: `l${l}.b`, shape: [GH] });
    shapes.push({ name: `l${l}.w_hh`, shape: [spec.hidden, GH] });
    if (spec.cell === 'gru') shapes.push({ name: `l${l}.b_hh`, shape: [GH] });
  }
  shapes.push({ name: 'head.w', shape: [spec.hidden, outputWidth(spec)] });
  shapes.push({ name: 'head.b', shape: [outputWidth(spec)] });
  return shapes;
}

export function parameterCount(spec: ModelSpec, layout: FeatureLayout): number {
  return parameterShapes(spec, layout).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** Weights by name, as plain arrays (the form the kernel, the checkpoints and the exporter share). */
export type Weights = Map<string, Float32Array>;
