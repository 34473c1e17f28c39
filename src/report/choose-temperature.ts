import type { ProsodyTrack } from '../data/features/phone-track.js';
import type { UtteranceRef } from '../data/corpus/corpus-types.js';
import type { Engine } from '../engine/engine.js';
import type { Condition } from '../engine/prepare-plan.js';
import { evaluateUtterance } from './evaluate-utterance.js';

/** The sampling temperatures tried by default. */
export const CANDIDATE_TEMPERATURES: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** One candidate's free-running figures, averaged over the utterances. */
export interface TemperatureTrial {
  temperature: number;
  mel_dist_db: number;
  level_err_db: number;
}

export interface TemperatureChoice {
  best: TemperatureTrial;
  tried: TemperatureTrial[];
}

/**
 * The free-running sampling temperature that minimizes mel_dist_db + level_err_db (spectrum and loudness)
 * over free-running reconstructions of `refs`; ties go to the first candidate. `onTrial` reports each
 * candidate as it finishes.
 */
export async function chooseTemperature(
  engine: Engine,
  refs: readonly UtteranceRef[],
  options: { rngSeed: number; candidates?: readonly number[]; prosodyOf?: (samples: Float32Array, sampleRateHz: number) => ProsodyTrack; condition?: Condition },
  onTrial?: (trial: TemperatureTrial) => void,
): Promise<TemperatureChoice> {
  const tried: TemperatureTrial[] = [];
  for (const temperature of options.candidates ?? CANDIDATE_TEMPERATURES) {
    let mel = 0;
    let level = 0;
    for (const ref of refs) {
      const r = await evaluateUtterance(engine, ref, { rngSeed: options.rngSeed, temperature, ...(options.prosodyOf ? { prosodyOf: options.prosodyOf } : {}), ...(options.condition ? { condition: options.condition } : {}) });
      mel += r.freeRunning.mel_dist_db / refs.length;
      level += r.freeRunning.level_err_db / refs.length;
    }
    const trial = { temperature, mel_dist_db: mel, level_err_db: level };
    tried.push(trial);
    onTrial?.(trial);
  }
  const best = tried.reduce((a, b) => (b.mel_dist_db + b.level_err_db < a.mel_dist_db + a.level_err_db ? b : a));
  return { best, tried };
}
