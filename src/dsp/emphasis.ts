/**
 * Pre-emphasis s'[n] = s[n] - a s[n-1] and its inverse y[n] = s'[n] + a y[n-1]. A model trained on the
 * pre-emphasized signal (as LPCNet does) makes errors that are roughly white there; de-emphasis turns them
 * into noise that follows the speech spectrum instead of filling the quiet high bands.
 */
export function preEmphasize(x: Float32Array, a: number, previous = 0): Float32Array {
  const out = new Float32Array(x.length);
  let prev = previous;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    out[i] = v - a * prev;
    prev = v;
  }
  return out;
}

/** Stateful de-emphasis, chunk by chunk. */
export class DeEmphasizer {
  private previous = 0;

  constructor(readonly a: number) {}

  reset(previous = 0): void {
    this.previous = previous;
  }

  /** y[n] = x[n] + a y[n-1], in place. */
  process(x: Float32Array): Float32Array {
    let prev = this.previous;
    for (let i = 0; i < x.length; i++) {
      prev = (x[i] as number) + this.a * prev;
      x[i] = prev;
    }
    this.previous = prev;
    return x;
  }
}
