import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

describe('Rng', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('gives uniforms in [0, 1) with mean 1/2 and normals with mean 0 and variance 1', () => {
    const rng = new Rng(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100000; i++) {
      const u = rng.uniform();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100000).toBeCloseTo(0.5, 2);
    let m = 0;
    let v = 0;
    for (let i = 0; i < 100000; i++) {
      const x = rng.normal();
      m += x;
      v += x * x;
    }
    expect(m / 100000).toBeCloseTo(0, 1);
    expect(v / 100000).toBeCloseTo(1, 1);
  });

  it('restores its state exactly', () => {
    const rng = new Rng(1);
    rng.normal();
    const state = rng.getState();
    const next = [rng.uniform(), rng.normal(), rng.nextUint32()];
    const other = new Rng(99);
    other.setState(state);
    expect([other.uniform(), other.normal(), other.nextUint32()]).toEqual(next);
  });
});
