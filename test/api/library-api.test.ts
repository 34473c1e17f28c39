import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { randomBundle } from '../helpers/bundles.js';
import { tempDir, writeToneUtterance } from '../helpers/fixtures.js';

describe('the library API (package exports)', () => {
  it('is declared in package.json with its types, built to dist/index.js and dist/index.d.ts', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(existsSync('dist/index.js')).toBe(true);
    const dts = readFileSync('dist/index.d.ts', 'utf8');
    for (const name of ['loadModel', 'preparePlan', 'audioChunks', 'synthesizeText$', 'TextFrontEnd', 'EnginePool']) expect(dts).toContain(name);
  });

  it('loads a model, plans labels, and pipes the audio of an Observable into a Node stream', async () => {
    const api = await import(join(process.cwd(), 'dist', 'index.js'));
    const { dir } = await randomBundle({ cell: 'gru', hidden: 8, layers: 1, head: 'mulaw', k: 8, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 }, 1, 1);
    const corpus = tempDir();
    const { phn } = writeToneUtterance(corpus, 'hello', [['pau', 800], ['aa', 1600], ['pau', 800]]);
    const model = await api.loadModel(dir);
    try {
      const plan = await api.preparePlan(model.manifest, { phonesPath: phn, seedSamples: 0 });
      const out = new PassThrough();
      let bytes = 0;
      out.on('data', (b: Buffer) => (bytes += b.length));
      await new Promise<void>((resolve, reject) => {
        model.synthesize(plan).pipe(api.audioChunks()).subscribe({
          next: (chunk: { samples: Float32Array[] }) => out.write(Buffer.from((chunk.samples[0] as Float32Array).buffer)),
          error: reject,
          complete: () => resolve(),
        });
      });
      out.end();
      expect(bytes).toBe(3200 * 4);
    } finally {
      await model.dispose();
    }
  });
});
