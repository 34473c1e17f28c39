import { Rng } from '../core/rng.js';
import { DeEmphasizer, preEmphasize } from '../dsp/emphasis.js';
import { probit } from '../dsp/probit.js';
import { ConditioningWriter } from '../data/features/conditioning-writer.js';
import { frameOfSample, voicedSharpness } from '../data/features/signal-inputs.js';
import type { CategoricalSlot, DenseFeature, FeatureLayout, FeatureSetName } from '../data/features/feature-layout.js';
import type { GenerationPlan, GenerationSettings, GeneratorModel } from './generation-plan.js';
import type { FrameFiller } from './frame-filler.js';
import type { ModelSessions } from './model-sessions.js';

/** The guard's upper bound (int16 full scale); a sample there was clipped. */
const SAMPLE_MAX = 32767 / 32768;

/** One generated chunk: `samples[b]` for each stream b, starting at `startSample`. */
export interface GeneratedChunk {
  index: number;
  startSample: number;
  samples: Float32Array[];
  /** Wall time of the graph calls for this chunk, microseconds. */
  computeUs: number;
  /** Per-sample compute times (step mode only), microseconds. */
  stepUs?: Float64Array;
}

/** Guard counts: predictions that were not finite, or reached full scale, before clamping. */
export interface GuardCounts {
  nonfinite: number;
  clipped: number;
  /** Absolute sample index of the first guarded prediction (any stream), or -1. */
  firstGuardedSample: number;
  firstGuardedKind: 'nonfinite' | 'clipped' | null;
}

/**
 * Everything the sample loop carries from one call to the next, in one object: the sample windows, the
 * recurrent state, the position, one seeded generator per stream and the guard counts. reset() puts it
 * back at the first generated sample, so the same seed always gives the same audio.
 */
export class GeneratorState {
  readonly window: Float32Array;
  readonly recurrent: Float32Array;
  position = 0;
  readonly rngs: Rng[];
  /** One de-emphasis filter per stream (used when the model works on the pre-emphasized signal). */
  readonly deEmphasis: DeEmphasizer[];
  readonly guard: GuardCounts = { nonfinite: 0, clipped: 0, firstGuardedSample: -1, firstGuardedKind: null };

  constructor(
    private readonly model: GeneratorModel,
    private readonly streams: number,
  ) {
    this.window = new Float32Array(streams * model.historySamples);
    this.recurrent = new Float32Array(streams * model.stateWidth);
    this.rngs = Array.from({ length: streams }, () => new Rng(0));
    this.deEmphasis = Array.from({ length: streams }, () => new DeEmphasizer(model.preEmphasis));
  }

  /** `plan` holds what the model sees (pre-emphasized when it works that way); `played` the audio itself. */
  reset(plan: GenerationPlan, rngSeed: number, played: GenerationPlan = plan): void {
    const k = this.model.historySamples;
    const K = plan.seed.length;
    for (const d of this.deEmphasis) d.reset(K > 0 ? (played.seed[K - 1] as number) : 0);
    this.window.fill(0);
    for (let b = 0; b < this.streams; b++) {
      // Fewer seed samples than k: the window starts with silence, as in training.
      for (let i = 0; i < k; i++) {
        const at = K - k + i;
        this.window[b * k + i] = at >= 0 ? (plan.seed[at] as number) : 0;
      }
      (this.rngs[b] as Rng).reset(rngSeed + b);
    }
    this.recurrent.fill(0);
    this.position = K;
    this.guard.nonfinite = 0;
    this.guard.clipped = 0;
    this.guard.firstGuardedSample = -1;
    this.guard.firstGuardedKind = null;
  }
}

function layoutOf(model: GeneratorModel): FeatureLayout {
  return {
    featureSet: model.featureSet as FeatureSetName,
    phoneCount: model.phoneCount,
    slots: model.slots as CategoricalSlot[],
    dense: model.dense as DenseFeature[],
  };
}

/**
 * The generation loop: per chunk, the per-frame work (conditioning rows, uniforms, ground truth) is done
 * for all samples first, then one graph call (chunk mode) or one call per sample (step mode) produces the
 * audio, each prediction fed back as input. Buffers are allocated once, at the largest chunk size.
 */
export class Generator {
  readonly state: GeneratorState;
  private readonly writer: ConditioningWriter;
  private readonly features: Float32Array;
  private readonly uniforms: Float32Array;
  private readonly truth: Float32Array;
  private readonly stepFeatures: Float32Array;
  private readonly stepUniform: Float32Array;
  /** Models with signal features: predictor rows and pitch lags per sample (chunk) and per stream (step). */
  private readonly lpc: Float32Array;
  private readonly lags: Float32Array;
  private readonly sharpness: Float32Array;
  private readonly stepLpc: Float32Array;
  private readonly stepLags: Float32Array;
  private readonly stepSharpness: Float32Array;
  private readonly scratchIds: Int32Array;
  private readonly scratchDense: Float32Array;
  private chunkIndex = 0;
  private readonly maxChunk: number;
  /** What the model sees: the plan, pre-emphasized when the model works that way. */
  private readonly plan: GenerationPlan;

  constructor(
    private readonly sessions: ModelSessions,
    private readonly model: GeneratorModel,
    private readonly played: GenerationPlan,
    private readonly settings: GenerationSettings,
    /** Predicts the plan's acoustic frames ahead of the loop (vocoders speaking from phones). */
    private readonly frames?: FrameFiller,
  ) {
    const a = model.preEmphasis;
    const plan = a > 0 ? { ...played, seed: preEmphasize(played.seed, a), ...(played.truth ? { truth: preEmphasize(played.truth, a) } : {}) } : played;
    this.plan = plan;
    const B = settings.streams;
    const U = model.unroll;
    this.maxChunk = Math.ceil(Math.max(settings.chunkSamples, settings.firstChunkSamples) / U) * U;
    this.state = new GeneratorState(model, B);
    const layout = layoutOf(model);
    this.writer = new ConditioningWriter(plan.track, layout, model.silenceId);
    this.features = new Float32Array(this.maxChunk * B * model.featureWidth);
    this.uniforms = new Float32Array(this.maxChunk * B);
    this.truth = new Float32Array(this.maxChunk * B);
    this.stepFeatures = new Float32Array(B * model.featureWidth);
    this.stepUniform = new Float32Array(B);
    this.lpc = new Float32Array(model.lpcOrder > 0 ? this.maxChunk * B * model.lpcOrder : 0);
    this.lags = new Float32Array(model.pitchTaps ? this.maxChunk * B : 0);
    this.stepLpc = new Float32Array(B * model.lpcOrder);
    this.stepLags = new Float32Array(model.pitchTaps ? B : 0);
    const signal = model.lpcOrder > 0 || model.pitchTaps;
    this.sharpness = new Float32Array(signal ? this.maxChunk * B : 0);
    this.stepSharpness = new Float32Array(signal ? B : 0);
    if ((model.lpcOrder > 0 || model.pitchTaps) && !plan.track.excitation) {
      throw new RangeError('this model reads a predictor and a pitch lag per frame, and the plan has no excitation frames');
    }
    this.scratchIds = new Int32Array(layout.slots.length);
    this.scratchDense = new Float32Array(layout.dense.length);
    this.reset();
  }

  reset(): void {
    this.state.reset(this.plan, this.settings.rngSeed, this.played);
    this.writer.reset();
    this.chunkIndex = 0;
  }

  get done(): boolean {
    return this.state.position >= this.plan.lengthSamples;
  }

  /** Generate the next chunk, or null when the utterance is complete. */
  async next(): Promise<GeneratedChunk | null> {
    if (this.done) return null;
    const wanted = this.chunkIndex === 0 ? this.settings.firstChunkSamples : this.settings.chunkSamples;
    const n = Math.min(wanted, this.plan.lengthSamples - this.state.position);
    // Per-frame work first: the frames every sample of this chunk (padded to the unroll) reads.
    if (this.frames) await this.frames.ensure(this.state.position + Math.ceil(n / this.model.unroll) * this.model.unroll);
    const chunk = this.settings.mode === 'chunk' ? await this.runChunk(n) : await this.runSteps(n);
    this.chunkIndex++;
    return chunk;
  }

  /**
   * Per-frame inputs of models with signal features, for `count` samples from `start` (rows [count, B, .]):
   * the frame's predictor, oldest sample first (the graphs multiply it with the last `order` history
   * samples), and its pitch lag. Past the last frame, the last frame's values hold.
   */
  private fillSignalRows(start: number, count: number, lpc: Float32Array, lags: Float32Array, sharpness: Float32Array): void {
    const { lpcOrder: order, pitchTaps } = this.model;
    if (order === 0 && !pitchTaps) return;
    const excitation = this.plan.track.excitation as NonNullable<GenerationPlan['track']['excitation']>;
    const B = this.settings.streams;
    const slope = this.settings.voicedSharpening ?? 0;
    for (let t = 0; t < count; t++) {
      const frame = frameOfSample(start + t, excitation.hopSamples, excitation.lag.length);
      const sharp = voicedSharpness(excitation.periodicity[frame] as number, slope);
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        for (let i = 0; i < order; i++) lpc[row * order + i] = excitation.lpc[frame * order + (order - 1 - i)] as number;
        if (pitchTaps) lags[row] = excitation.lag[frame] as number;
        sharpness[row] = sharp;
      }
    }
  }

  /** Conditioning rows [count, B, F] from `start` (rows past the end are silence). */
  private fillFeatures(start: number, count: number): void {
    const B = this.settings.streams;
    const F = this.model.featureWidth;
    for (let b = 0; b < B; b++) {
      this.writer.writeDenseRows(start, count, this.features.subarray(b * F), B * F, this.scratchIds, this.scratchDense);
    }
  }

  private async runChunk(n: number): Promise<GeneratedChunk> {
    const { state, settings, model, plan } = this;
    const B = settings.streams;
    const U = model.unroll;
    const padded = Math.ceil(n / U) * U;
    const start = state.position;
    this.fillFeatures(start, padded);
    this.fillSignalRows(start, padded, this.lpc, this.lags, this.sharpness);
    for (let t = 0; t < padded; t++) {
      for (let b = 0; b < B; b++) {
        this.uniforms[t * B + b] = (state.rngs[b] as Rng).uniform();
        const at = start + t;
        this.truth[t * B + b] = settings.teacherForced && plan.truth && at < plan.truth.length ? (plan.truth[at] as number) : 0;
      }
    }
    const began = performance.now();
    const out = await this.sessions.runChunk({
      features: this.features.subarray(0, padded * B * model.featureWidth),
      window: state.window,
      state: state.recurrent,
      uniforms: this.uniforms.subarray(0, padded * B),
      temperature: settings.temperature,
      truth: this.truth.subarray(0, padded * B),
      teacherForcing: settings.teacherForced,
      samples: padded,
      streams: B,
      ...(model.lpcOrder > 0 ? { lpc: this.lpc.subarray(0, padded * B * model.lpcOrder) } : {}),
      ...(model.pitchTaps ? { lags: this.lags.subarray(0, padded * B) } : {}),
      ...(this.sharpness.length > 0 ? { sharpness: this.sharpness.subarray(0, padded * B) } : {}),
    });
    const computeUs = (performance.now() - began) * 1000;
    const samples = Array.from({ length: B }, () => new Float32Array(n));
    for (let t = 0; t < n; t++) {
      for (let b = 0; b < B; b++) {
        (samples[b] as Float32Array)[t] = this.guard(out.samples[t * B + b] as number, out.raw[t * B + b] as number, start + t);
      }
    }
    copySanitized(out.window, state.window);
    copySanitized(out.state, state.recurrent);
    state.position += n;
    this.toPlayed(samples, start);
    return { index: this.chunkIndex, startSample: start, samples, computeUs };
  }

  private async runSteps(n: number): Promise<GeneratedChunk> {
    const { state, settings, model, plan } = this;
    const B = settings.streams;
    const F = model.featureWidth;
    const k = model.historySamples;
    const start = state.position;
    const samples = Array.from({ length: B }, () => new Float32Array(n));
    const stepUs = new Float64Array(n);
    let computeUs = 0;
    for (let t = 0; t < n; t++) {
      const at = start + t;
      for (let b = 0; b < B; b++) {
        this.writer.write(at, this.scratchIds, 0, this.scratchDense, 0);
        const row = b * F;
        this.stepFeatures.fill(0, row, row + F);
        for (let s = 0; s < this.scratchIds.length; s++) this.stepFeatures[row + (this.scratchIds[s] as number)] = 1;
        const oneHot = this.scratchIds.length * model.phoneCount;
        for (let d = 0; d < this.scratchDense.length; d++) this.stepFeatures[row + oneHot + d] = this.scratchDense[d] as number;
        const u = (state.rngs[b] as Rng).uniform();
        // mse models get their Gaussian draw here (the step graph takes noise; chunk.onnx derives the same from u).
        this.stepUniform[b] = model.head === 'mse' ? (settings.temperature > 0 ? probit(u) * settings.temperature * model.sigmaAudio : 0) : u;
      }
      this.fillSignalRows(at, 1, this.stepLpc, this.stepLags, this.stepSharpness);
      const began = performance.now();
      const out = await this.sessions.runStep({
        window: state.window,
        features: this.stepFeatures,
        state: state.recurrent,
        draws: this.stepUniform,
        temperature: settings.temperature,
        streams: B,
        ...(model.lpcOrder > 0 ? { lpc: this.stepLpc } : {}),
        ...(model.pitchTaps ? { lags: this.stepLags } : {}),
        ...(this.stepSharpness.length > 0 ? { sharpness: this.stepSharpness } : {}),
      });
      const us = (performance.now() - began) * 1000;
      stepUs[t] = us;
      computeUs += us;
      copySanitized(out.state, state.recurrent);
      for (let b = 0; b < B; b++) {
        const raw = out.raw[b] as number;
        // As in chunk.onnx: mse and excitation models feed back the clamped value, mulaw the sampled level's own
        // value; all play the clamped one.
        const clamped = clampSample(raw);
        (samples[b] as Float32Array)[t] = this.guard(clamped, raw, at);
        const ownValue = model.head === 'mse' || model.lpcOrder > 0 ? (Number.isFinite(clamped) ? clamped : 0) : Number.isFinite(raw) ? raw : 0;
        const fed = settings.teacherForced && plan.truth && at < plan.truth.length ? (plan.truth[at] as number) : ownValue;
        state.window.copyWithin(b * k, b * k + 1, (b + 1) * k);
        state.window[(b + 1) * k - 1] = fed;
      }
    }
    state.position += n;
    this.toPlayed(samples, start);
    return { index: this.chunkIndex, startSample: start, samples, computeUs, stepUs };
  }

  /**
   * From the model's signal to the played one: de-emphasis (teacher-forced runs undo it with the true
   * previous sample, so that they measure the model's prediction alone), then the output guard.
   */
  private toPlayed(samples: Float32Array[], start: number): void {
    const a = this.model.preEmphasis;
    if (a <= 0) return;
    const truth = this.played.truth;
    samples.forEach((s, b) => {
      if (this.settings.teacherForced && truth) {
        for (let t = 0; t < s.length; t++) {
          const at = start + t;
          s[t] = (s[t] as number) + a * (at > 0 && at - 1 < truth.length ? (truth[at - 1] as number) : 0);
        }
      } else (this.state.deEmphasis[b] as DeEmphasizer).process(s);
      for (let t = 0; t < s.length; t++) {
        const v = s[t] as number;
        if (Math.abs(v) >= 1) this.countGuarded('clipped', start + t);
        s[t] = clampSample(v);
      }
    });
  }

  /** Count a guarded prediction and return the value to play (never NaN). */
  private guard(sample: number, raw: number, at: number): number {
    if (!Number.isFinite(raw)) this.countGuarded('nonfinite', at);
    // mse chunk graphs report the guarded value, so reaching a bound is what counts as clipped.
    else if (this.model.head === 'mse' ? raw <= -1 || raw >= SAMPLE_MAX : Math.abs(raw) >= 1) this.countGuarded('clipped', at);
    return Number.isFinite(sample) ? sample : 0;
  }

  /** One guarded sample: the count of its kind, and where guarding began. */
  private countGuarded(kind: 'nonfinite' | 'clipped', at: number): void {
    const g = this.state.guard;
    g[kind]++;
    if (g.firstGuardedSample < 0) {
      g.firstGuardedSample = at;
      g.firstGuardedKind = kind;
    }
  }
}

/** The guard's clamp, in float32 exactly as the graphs' Clip: [-1, 32767/32768]; NaN stays NaN. */
function clampSample(v: number): number {
  return Math.fround(v < -1 ? -1 : v > SAMPLE_MAX ? SAMPLE_MAX : v);
}

/** Copy, replacing NaN/Inf by 0 so that one bad value cannot poison every later sample. */
function copySanitized(from: Float32Array, to: Float32Array): void {
  for (let i = 0; i < to.length; i++) {
    const v = from[i] as number;
    to[i] = Number.isFinite(v) ? v : 0;
  }
}
