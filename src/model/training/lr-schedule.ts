import type { LrSchedule } from './training-config.js';

/** Learning rate at `step` of `totalSteps`: linear warm-up, then constant or cosine down to 5%. */
export function learningRateAt(base: number, schedule: LrSchedule, step: number, totalSteps: number, warmupSteps: number): number {
  const warm = warmupSteps > 0 && step < warmupSteps ? (step + 1) / warmupSteps : 1;
  if (schedule === 'constant') return base * warm;
  const progress = Math.min(1, Math.max(0, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps)));
  return base * warm * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
