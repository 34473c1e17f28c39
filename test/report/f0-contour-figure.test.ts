import { describe, expect, it } from 'vitest';
import { f0ContourSpec, renderSvg } from '../../src/report/figures.js';

const RATE_HZ = 16000;

function tone(f0Hz: number, lengthSamples: number, amplitude = 0.3): Float32Array {
  const x = new Float32Array(lengthSamples);
  for (let n = 0; n < lengthSamples; n++) x[n] = amplitude * Math.sin((2 * Math.PI * f0Hz * n) / RATE_HZ);
  return x;
}

describe('F0 contour figure', () => {
  it('plots each signal at its pitch, only on voiced frames after the seed, and renders to SVG', async () => {
    const voicedThenSilent = tone(150, 8000);
    voicedThenSilent.fill(0, 4000);
    const spec = f0ContourSpec([
      { name: 'truth', samples: tone(200, 8000) },
      { name: 'free-running', samples: voicedThenSilent },
    ], 800, RATE_HZ) as unknown as { data: { values: Array<{ t: number; f0: number; signal: string }> } };
    const rows = spec.data.values;
    const truth = rows.filter((r) => r.signal === 'truth');
    const generated = rows.filter((r) => r.signal === 'free-running');
    expect(truth.length).toBeGreaterThan(50);
    for (const r of truth) expect(r.f0).toBeCloseTo(200, 0);
    for (const r of generated) expect(Math.abs(r.f0 - 150)).toBeLessThan(2);
    // Nothing before the seed; the silent half has no points.
    expect(Math.min(...rows.map((r) => r.t))).toBeGreaterThanOrEqual(800 / RATE_HZ);
    expect(Math.max(...generated.map((r) => r.t))).toBeLessThan(4000 / RATE_HZ);
    expect(await renderSvg(spec as never)).toMatch(/^<svg/);
  });
});
