import { join } from 'node:path';
import { tempDir, writeToneUtterance } from './fixtures.js';

/** A small corpus of tone "utterances" in the radio phone set (fast enough to train in tests). */
export function toneCorpus(count = 3, lengthScale = 1): string {
  const root = tempDir('synth-corpus-');
  for (let i = 0; i < count; i++) {
    writeToneUtterance(join(root), `utt${i}`, [
      ['pau', Math.round(400 * lengthScale)],
      ['aa', Math.round((1200 + 200 * i) * lengthScale)],
      ['s', Math.round(800 * lengthScale)],
      ['iy', Math.round(1000 * lengthScale)],
      ['pau', Math.round(400 * lengthScale)],
    ]);
  }
  return root;
}
