/** log F0 is taken relative to this. */
export const F0_REFERENCE_HZ = 100;

/** log(F0 / reference) where voiced, linearly interpolated between voiced frames, held at the ends. */
export function interpolateLogF0(f0: Float32Array, voicing: Float32Array): Float32Array {
  const out = new Float32Array(f0.length);
  const voiced: number[] = [];
  for (let i = 0; i < f0.length; i++) if ((voicing[i] as number) > 0) voiced.push(i);
  if (voiced.length === 0) return out;
  let v = 0;
  for (let i = 0; i < f0.length; i++) {
    while (v < voiced.length - 1 && (voiced[v + 1] as number) <= i) v++;
    const a = voiced[v] as number;
    const b = voiced[Math.min(v + 1, voiced.length - 1)] as number;
    const la = Math.log((f0[a] as number) / F0_REFERENCE_HZ);
    const lb = Math.log((f0[b] as number) / F0_REFERENCE_HZ);
    if (i <= a || a === b) out[i] = i < (voiced[0] as number) ? Math.log((f0[voiced[0] as number] as number) / F0_REFERENCE_HZ) : la;
    else if (i >= b) out[i] = lb;
    else out[i] = la + ((lb - la) * (i - a)) / (b - a);
  }
  return out;
}
