import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, TRAINING_PRESETS, validateTrainingConfig } from '../../src/model/training/training-config.js';

describe('training presets', () => {
  it('every preset, laid over the defaults, is a valid configuration', () => {
    for (const [name, preset] of Object.entries(TRAINING_PRESETS)) {
      expect(() => validateTrainingConfig({ ...DEFAULT_TRAINING, ...preset, data: 'x', out: 'y' }), name).not.toThrow();
    }
  });

  it('2014 is the original experiment and best-overfit the README\'s one-utterance setup', () => {
    expect(TRAINING_PRESETS['2014']).toMatchObject({ cell: 'rnn', hidden: 100, head: 'mse', k: 40, featureSet: 'seed', clipNorm: 0, epochs: 200 });
    expect(TRAINING_PRESETS['best-overfit']).toMatchObject({ cell: 'gru', hidden: 128, head: 'mulaw', featureSet: 'prosody-energy', preEmphasis: 0.85, scheduledSampling: 0.2, clipNorm: 1, learningRate: 2e-3, epochs: 200 });
    expect(TRAINING_PRESETS['prosody']).toMatchObject({ cell: 'gru', hidden: 128, head: 'mulaw', featureSet: 'prosody-energy', preEmphasis: 0.85, epochs: 24 });
  });

  it('default is the recipe the shipped model was trained with, field by field', () => {
    const manifest = JSON.parse(readFileSync('models/default/manifest.json', 'utf8')) as { training: { config: Record<string, unknown> } };
    const preset = TRAINING_PRESETS['default'] as Record<string, unknown>;
    expect(Object.keys(preset).length).toBeGreaterThan(10);
    for (const [key, value] of Object.entries(preset)) expect(manifest.training.config[key], key).toEqual(value);
  });
});
