/** HTK mel scale and triangular filter banks (peak 1, not area-normalized), as ../shared/METRICS.md defines. */

export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * `bands` triangular filters spanning [lowHz, highHz] on the mel scale, evaluated at the FFT bin
 * frequencies k * sampleRateHz / fftSize for k = 0..fftSize/2. Returns one row of weights per band.
 */
export function melFilterBank(
  bands: number,
  fftSize: number,
  sampleRateHz: number,
  lowHz = 0,
  highHz = sampleRateHz / 2,
): Float64Array[] {
  const bins = fftSize / 2 + 1;
  const lowMel = hzToMel(lowHz);
  const highMel = hzToMel(highHz);
  const edgesHz: number[] = [];
  for (let i = 0; i < bands + 2; i++) edgesHz.push(melToHz(lowMel + ((highMel - lowMel) * i) / (bands + 1)));
  const filters: Float64Array[] = [];
  for (let m = 0; m < bands; m++) {
    const left = edgesHz[m] as number;
    const centre = edgesHz[m + 1] as number;
    const right = edgesHz[m + 2] as number;
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRateHz) / fftSize;
      if (f >= left && f <= centre) row[k] = centre > left ? (f - left) / (centre - left) : 0;
      else if (f > centre && f <= right) row[k] = right > centre ? (right - f) / (right - centre) : 0;
    }
    filters.push(row);
  }
  return filters;
}
