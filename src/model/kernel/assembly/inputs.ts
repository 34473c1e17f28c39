// Building a layer's inputs from a window of samples and conditioning features, and scattering their
// gradients back. Rows are time-major: row = t * B + b.
@inline function at(p: usize, index: i32): usize {
  return p + ((<usize>index) << 2);
}

/** windows[t,b,0..k) = source[b, t .. t+k): each stream's source holds k history samples then T new ones. */
export function buildWindows(source: usize, windows: usize, steps: i32, batch: i32, k: i32): void {
  const span = steps + k;
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) {
      memory.copy(at(windows, (t * batch + b) * k), at(source, b * span + t), (<usize>k) << 2);
    }
  }
}

/** ax[r] += table[ids[r, s]] for each of `slots` categorical features (ids already offset per slot). */
export function gatherAdd(ax: usize, table: usize, ids: usize, rows: i32, slots: i32, width: i32): void {
  for (let r = 0; r < rows; r++) {
    const out = at(ax, r * width);
    for (let s = 0; s < slots; s++) {
      const row = at(table, load<i32>(at(ids, r * slots + s)) * width);
      let u = 0;
      for (; u + 4 <= width; u += 4) v128.store(at(out, u), f32x4.add(v128.load(at(out, u)), v128.load(at(row, u))));
      for (; u < width; u++) store<f32>(at(out, u), load<f32>(at(out, u)) + load<f32>(at(row, u)));
    }
  }
}

/** dtable[ids[r, s]] += dax[r]: the embedding gradient. */
export function scatterAdd(dtable: usize, dax: usize, ids: usize, rows: i32, slots: i32, width: i32): void {
  for (let r = 0; r < rows; r++) {
    const g = at(dax, r * width);
    for (let s = 0; s < slots; s++) {
      const row = at(dtable, load<i32>(at(ids, r * slots + s)) * width);
      let u = 0;
      for (; u + 4 <= width; u += 4) v128.store(at(row, u), f32x4.add(v128.load(at(row, u)), v128.load(at(g, u))));
      for (; u < width; u++) store<f32>(at(row, u), load<f32>(at(row, u)) + load<f32>(at(g, u)));
    }
  }
}

/**
 * Inverted dropout: mask[i] = 1/keep with probability keep, else 0, from a xorshift32 stream seeded by the
 * caller (so runs repeat exactly); then x[i] *= mask[i].
 */
export function dropout(x: usize, mask: usize, n: i32, keep: f32, seed: u32): void {
  let s: u32 = seed == 0 ? 0x9e3779b9 : seed;
  const scale: f32 = 1.0 / keep;
  const threshold = <u32>(<f64>keep * 4294967296.0);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    const m: f32 = s < threshold ? scale : 0;
    store<f32>(at(mask, i), m);
    store<f32>(at(x, i), load<f32>(at(x, i)) * m);
  }
}

/** x[i] *= m[i]. */
export function multiplyInPlace(x: usize, m: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.mul(v128.load(at(x, i)), v128.load(at(m, i))));
  for (; i < n; i++) store<f32>(at(x, i), load<f32>(at(x, i)) * load<f32>(at(m, i)));
}
