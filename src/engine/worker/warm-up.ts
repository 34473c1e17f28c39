import type { ManifestSpec } from '../../core/manifest.js';
import type { FrameNetworkSession } from '../frame-filler.js';
import type { ModelSessions } from '../model-sessions.js';
import type { SignalGraphInputs } from '../ort-model-sessions.js';

/**
 * One throw-away call of each graph right after loading: the first run of a session (onnxruntime's
 * allocations, the kernel's memory growth, the JIT) costs tens of milliseconds, which would otherwise land in
 * the first audio of the first synthesis. Silence in, results discarded; no state survives it.
 */
export async function warmUp(
  sessions: ModelSessions,
  model: { spec: ManifestSpec; featureWidth: number; unroll: number; signal?: SignalGraphInputs },
  frame?: { session: FrameNetworkSession; inputWidth: number },
): Promise<void> {
  const { spec, featureWidth, unroll, signal } = model;
  const N = Math.max(1, unroll);
  const stateWidth = spec.layers * (spec.cell === 'lstm' ? 2 : 1) * spec.hidden;
  await sessions.runChunk({
    features: new Float32Array(N * featureWidth),
    window: new Float32Array(signal ? signal.historySamples : spec.k),
    state: new Float32Array(stateWidth),
    uniforms: new Float32Array(N).fill(0.5),
    temperature: 1,
    truth: new Float32Array(N),
    teacherForcing: false,
    samples: N,
    streams: 1,
    ...(signal ? { lpc: new Float32Array(N * signal.lpcOrder), lags: new Float32Array(N).fill(100), sharpness: new Float32Array(N).fill(1) } : {}),
  });
  if (frame) {
    const rows = 16;
    await frame.session.predict(new Float32Array(rows * frame.inputWidth), rows);
  }
}
