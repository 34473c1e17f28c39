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
    expect(TRAINING_PRESETS['default']).toMatchObject({ cell: 'gru', hidden: 128, head: 'mulaw', featureSet: 'prosody-energy', preEmphasis: 0.85, epochs: 24 });
  });
});
