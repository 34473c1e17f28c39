import type { DriftFrame } from '../metrics/operators/drift-frames.js';
import type { SpeedSnapshot } from '../metrics/operators/latency-stats.js';

/** Round for printing; non-finite values pass through. */
export function round(v: number, digits: number): number {
  return Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v;
}

export function roundAll<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v, 4) : v])) as T;
}

/** The one-line live status on a terminal. */
export function statusLine(s: SpeedSnapshot, d: DriftFrame | undefined, total: number): string {
  const drift = d ? ` | snr ${d.snrDb === null ? '-' : d.snrDb.toFixed(1)} dB | mel ${d.melDistDb === null ? '-' : d.melDistDb.toFixed(1)} dB` : '';
  return `synth ${s.audioSeconds.toFixed(2)}/${total.toFixed(2)} s | rtf ${s.rtf.toFixed(1)} | p99 ${s.latency_us_p99.toFixed(1)} us${drift}`;
}

/** The text summary printed on stderr at the end of a synthesis. */
export function formatSummary(s: Record<string, unknown>): string {
  const lines: string[] = [];
  const speed = s['speed'] as Record<string, number> | null;
  const fid = s['fidelity'] as Record<string, number | string> | null;
  const guard = s['guard'] as { nonfinite: number; clipped: number; firstGuardedSample: number } | null;
  lines.push(`synth: ${s['stopped'] ? 'stopped' : 'done'}: ${s['produced_samples']} samples (${s['seed_samples']} seed) to ${(s['outputs'] as string[]).join(', ') || 'nowhere'}; ${s['mode']}, ${s['engine_mode']} mode, ${s['backend']}${s['condition'] ? `, frames from ${s['condition'] === 'phones' ? 'the frame network' : 'the recording'}` : ''}`);
  if (speed) {
    lines.push(
      `  speed    rtf ${speed['rtf']} (${speed['us_per_sample']} us/sample), latency p50 ${speed['latency_us_p50']} us, p99 ${speed['latency_us_p99']} us, max ${speed['latency_us_max']} us, first audio ${speed['first_audio_ms']} ms, underruns ${speed['underruns']}`,
    );
  }
  if (guard) lines.push(`  guard    nonfinite ${guard.nonfinite}, clipped ${guard.clipped}${guard.firstGuardedSample >= 0 ? ` (first at sample ${guard.firstGuardedSample})` : ''}`);
  if (fid) {
    lines.push(
      `  drift    ${fid['mode']}: snr ${fid['snr_db']} dB, seg_snr ${fid['seg_snr_db']} dB, mel_dist ${fid['mel_dist_db']} dB, lsd ${fid['lsd_db']} dB, level_err ${fid['level_err_db']} dB, drift_horizon ${fid['drift_horizon']} samples, nmse ${fid['nmse']}`,
    );
  } else lines.push('  drift    no recording to compare with');
  return `${lines.join('\n')}\n`;
}
