import { lastValueFrom, reduce } from 'rxjs';
import type { UtteranceRef } from '../data/corpus/corpus-types.js';
import type { Engine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/engine-events.js';
import type { GuardCounts } from '../engine/generator.js';
import { preparePlan, type Condition, type PreparedPlan } from '../engine/prepare-plan.js';
import { fidelity, type FidelityReport } from '../metrics/fidelity.js';
import { pitchFidelity, type PitchReport } from '../metrics/pitch-fidelity.js';

export interface EvaluationSettings {
  /** K seed samples (default: the model's k, as the 2014 experiment). */
  seedSamples?: number;
  rngSeed: number;
  /** Sampling temperature for free-running (default: the model's own, else 1 for mulaw and the mean for mse). */
  temperature?: number;
  /**
   * Temperature for the teacher-forced run. Default 0: the model's point prediction (the expected value of
   * a mu-law distribution, the mean of an mse head): teacher-forced runs measure the model, not the sampler.
   */
  teacherForcedTemperature?: number;
  prosodyOf?: (samples: Float32Array, sampleRateHz: number) => import('../data/features/phone-track.js').ProsodyTrack;
  /** Acoustic models: frame features from the phones (frame network) or measured on the recording. */
  condition?: Condition;
  /** Voiced sharpening slope of free-running sampling (default: the model's). */
  voicedSharpening?: number;
}

export interface SignalRun {
  samples: Float32Array;
  guard: GuardCounts;
  seconds: number;
}

export interface UtteranceEvaluation {
  id: string;
  lengthSamples: number;
  seedSamples: number;
  teacherForced: FidelityReport;
  freeRunning: FidelityReport;
  /** Pitch figures of the free-running output (METRICS.md). */
  freeRunningPitch: PitchReport;
  truth: Float32Array;
  teacherForcedSignal: Float32Array;
  freeRunningSignal: Float32Array;
  plan: PreparedPlan;
}

/** Run one synthesis to the end and collect stream 0. */
export async function runToEnd(engine: Engine, plan: PreparedPlan, settings: Parameters<Engine['synthesize']>[1]): Promise<SignalRun> {
  const out = new Float32Array(plan.lengthSamples);
  const began = performance.now();
  const guard = await lastValueFrom(
    engine.synthesize(plan, settings).pipe(
      reduce<EngineEvent, GuardCounts | undefined>((acc, e) => {
        if (e.type === 'audio') {
          const s = e.chunk.samples[0] as Float32Array;
          out.set(s.subarray(0, Math.min(s.length, out.length - e.chunk.startSample)), e.chunk.startSample);
        }
        return e.type === 'end' ? e.guard : acc;
      }, undefined),
    ),
  );
  return { samples: out, guard: guard ?? { nonfinite: 0, clipped: 0, firstGuardedSample: -1, firstGuardedKind: null }, seconds: (performance.now() - began) / 1000 };
}

/** Teacher-forced and free-running reconstructions of one utterance, with every fidelity figure. */
export async function evaluateUtterance(engine: Engine, ref: UtteranceRef, settings: EvaluationSettings): Promise<UtteranceEvaluation> {
  const manifest = engine.manifest;
  const seedSamples = settings.seedSamples ?? manifest.spec.k;
  const plan = await preparePlan(manifest, {
    phonesPath: ref.labelPath,
    wavPath: ref.audioPath,
    seedSamples,
    ...(settings.prosodyOf ? { prosodyOf: settings.prosodyOf } : {}),
    ...(settings.condition ? { condition: settings.condition } : {}),
  });
  const truth = plan.truth as Float32Array;
  const rate = manifest.spec.sampleRateHz;
  const base = { rngSeed: settings.rngSeed, mode: 'chunk' as const };
  const tfTemperature = settings.teacherForcedTemperature ?? 0;
  const tf = await runToEnd(engine, plan, { ...base, teacherForced: true, ...(tfTemperature !== undefined ? { temperature: tfTemperature } : {}) });
  const fr = await runToEnd(engine, plan, {
    ...base,
    teacherForced: false,
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.voicedSharpening !== undefined ? { voicedSharpening: settings.voicedSharpening } : {}),
  });
  const report = (signal: SignalRun, mode: FidelityReport['mode']): FidelityReport =>
    fidelity({ truth, generated: signal.samples, seedSamples, segments: plan.segments, mode, nonfinite: signal.guard.nonfinite, clipped: signal.guard.clipped, sampleRateHz: rate });
  return {
    id: ref.id,
    lengthSamples: plan.lengthSamples,
    seedSamples,
    teacherForced: report(tf, 'teacher-forced'),
    freeRunning: report(fr, 'free-running'),
    freeRunningPitch: pitchFidelity(truth, fr.samples, seedSamples, rate),
    truth,
    teacherForcedSignal: tf.samples,
    freeRunningSignal: fr.samples,
    plan,
  };
}

const FIGURES = ['nmse', 'snr_db', 'seg_snr_db', 'lsd_db', 'mel_dist_db', 'level_err_db', 'drift_horizon', 'nonfinite', 'clipped'] as const;

/** Mean of each figure over utterances (counts are summed). */
export function averageReports(reports: readonly FidelityReport[]): FidelityReport {
  const first = reports[0] as FidelityReport;
  const out = { ...first, samples: 0, seedSamples: 0 } as FidelityReport;
  for (const key of FIGURES) {
    const values = reports.map((r) => r[key]).filter((v) => Number.isFinite(v));
    const sum = values.reduce((a, b) => a + b, 0);
    (out as unknown as Record<string, number>)[key] = key === 'nonfinite' || key === 'clipped' ? sum : values.length > 0 ? sum / values.length : Number.NaN;
  }
  out.samples = reports.reduce((n, r) => n + r.samples, 0);
  return out;
}
