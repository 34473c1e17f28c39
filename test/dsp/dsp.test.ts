import { describe, expect, it } from 'vitest';
import { RealFft } from '../../src/dsp/fft.js';
import { hzToMel, melFilterBank, melToHz } from '../../src/dsp/mel.js';
import { mulawDecode, mulawEncode, mulawTable } from '../../src/dsp/mulaw.js';
import { floatToInt16 } from '../../src/dsp/pcm.js';
import { probit } from '../../src/dsp/probit.js';

describe('mu-law', () => {
  it('maps silence to the middle levels and full scale to the ends', () => {
    expect(mulawEncode(-1)).toBe(0);
    expect(mulawEncode(1)).toBe(255);
    expect(mulawDecode(0)).toBeCloseTo(-1, 6);
    expect(mulawDecode(255)).toBeCloseTo(1, 6);
    expect(Math.abs(mulawDecode(mulawEncode(0)))).toBeLessThan(1e-3);
  });

  it('round-trips with a relative error that grows with amplitude (companding)', () => {
    for (const x of [0.001, 0.01, 0.1, 0.5, -0.3]) {
      const y = mulawDecode(mulawEncode(x));
      expect(Math.abs(y - x)).toBeLessThan(Math.abs(x) * 0.05 + 1e-4);
    }
    const table = mulawTable();
    for (let i = 1; i < 256; i++) expect(table[i]!).toBeGreaterThan(table[i - 1]!);
  });
});

describe('pcm', () => {
  it('rounds, saturates and turns NaN into 0', () => {
    expect(Array.from(floatToInt16(new Float32Array([0.5, -1, 1, 2, -2, Number.NaN])))).toEqual([16384, -32768, 32767, 32767, -32768, 0]);
  });
});

describe('fft and mel', () => {
  it('puts a bin-centred sine into that bin with the expected power', () => {
    const n = 512;
    const fft = new RealFft(n);
    const frame = Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 32 * i) / n));
    const power = fft.powerSpectrum(frame, new Float64Array(n / 2 + 1));
    expect(power[32]).toBeCloseTo((n / 2) ** 2, 3);
    expect(power[31]! + power[33]!).toBeLessThan(1e-12);
  });

  it('uses the HTK mel scale with peak-1 triangles', () => {
    expect(hzToMel(700)).toBeCloseTo(2595 * Math.log10(2), 9);
    expect(melToHz(hzToMel(1234))).toBeCloseTo(1234, 9);
    const bank = melFilterBank(40, 512, 16000);
    expect(bank).toHaveLength(40);
    for (const row of bank) expect(Math.max(...row)).toBeLessThanOrEqual(1);
  });
});

describe('probit', () => {
  it('inverts the normal CDF', () => {
    expect(probit(0.5)).toBeCloseTo(0, 9);
    expect(probit(0.975)).toBeCloseTo(1.959964, 5);
    expect(probit(0.001)).toBeCloseTo(-3.090232, 4);
    expect(Number.isFinite(probit(0))).toBe(true);
    expect(Number.isFinite(probit(1))).toBe(true);
  });
});

describe('pre-emphasis', () => {
  it('de-emphasis inverts pre-emphasis, chunk by chunk', async () => {
    const { preEmphasize, DeEmphasizer } = await import('../../src/dsp/emphasis.js');
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) * 0.5);
    const e = preEmphasize(x, 0.85);
    expect(e[1]).toBeCloseTo(x[1]! - 0.85 * x[0]!, 6);
    const d = new DeEmphasizer(0.85);
    const y = new Float32Array(1000);
    y.set(d.process(e.slice(0, 300)), 0);
    y.set(d.process(e.slice(300)), 300);
    for (let i = 0; i < 1000; i++) expect(y[i]).toBeCloseTo(x[i]!, 5);
  });
});
