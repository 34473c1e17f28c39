import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeWav } from '../test/helpers/fixtures.js';
import { round } from './machine.js';

/** RSS of a process in MB from /proc (Linux). */
export function rssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A phone file of `seconds` of speech-like phones (radio set) and a recording beside it (same name, .wav):
 * models conditioned on prosody take F0, voicing and energy from it. The recording is a harmonic tone whose
 * pitch glides and whose level follows the phones (vowels loud, pauses silent): deterministic, no
 * randomness, enough for the pitch tracker and the energy feature to produce varied values.
 */
export function longPhoneFile(dir: string, seconds: number, rateHz = 16000, withRecording = true): string {
  const phones = ['pau', 'dh', 'ax', 's', 'ae', 'm', 'p', 'l', 'iy', 'k', 'aa', 'n', 't', 'ow', 'r'];
  const loud = new Set(['ax', 'ae', 'iy', 'aa', 'ow', 'm', 'l', 'n', 'r']);
  const lines: string[] = [];
  const total = Math.round(seconds * rateHz);
  const audio = withRecording ? new Float32Array(total) : undefined;
  let phase = 0;
  for (let at = 0, i = 0; at < total; i++) {
    const len = 800 + ((i * 613) % 1600);
    const end = Math.min(total, at + len);
    const phone = phones[i % phones.length] as string;
    lines.push(`${at} ${end} ${phone}`);
    const amp = phone === 'pau' ? 0 : loud.has(phone) ? 0.25 : 0.05;
    for (let t = at; audio && t < end; t++) {
      const f0Hz = 170 + 40 * Math.sin((2 * Math.PI * t) / (1.3 * rateHz));
      phase += (2 * Math.PI * f0Hz) / rateHz;
      audio[t] = amp * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) / 1.75;
    }
    at = end;
  }
  const name = `long-${seconds}s${withRecording ? '' : '-phones-only'}`;
  const path = join(dir, `${name}.phn`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  if (audio) writeWav(join(dir, `${name}.wav`), audio, rateHz);
  return path;
}

export interface RssTrace {
  startMb: number;
  peakMb: number;
  endMb: number;
  samples: number[];
  seconds: number;
  code: number | null;
  stderr: string;
}

/** Run the CLI with `args`, sampling its RSS every second. */
export function runWithRss(args: string[], options: { stdoutTo?: 'ignore' | 'pipe' } = {}): Promise<RssTrace> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'synth.js'), ...args], { stdio: ['ignore', options.stdoutTo === 'pipe' ? 'pipe' : 'ignore', 'pipe'] });
    const samples: number[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout?.on('data', () => undefined);
    const timer = setInterval(() => {
      const mb = rssMb(child.pid as number);
      if (mb !== undefined) samples.push(mb);
    }, 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({
        startMb: samples[0] ?? Number.NaN,
        peakMb: Math.max(...samples),
        endMb: samples[samples.length - 1] ?? Number.NaN,
        samples,
        seconds: (performance.now() - began) / 1000,
        code,
        stderr,
      });
    });
  });
}

/** Fail with what the CLI said, instead of printing figures of a run that did not happen. */
export function assertRunSucceeded(what: string, trace: RssTrace): void {
  if (trace.code !== 0) throw new Error(`${what}: the synth CLI exited with ${trace.code}: ${trace.stderr.trim().split('\n').slice(-3).join(' | ')}`);
}

/** Start, peak and end RSS, and the range over the run's second half (flat = no leak). */
export function describeRss(trace: RssTrace): string {
  const half = trace.samples.slice(Math.floor(trace.samples.length / 2));
  return `RSS start ${round(trace.startMb, 1)} MB, peak ${round(trace.peakMb, 1)} MB, end ${round(trace.endMb, 1)} MB, second-half range ${round(Math.min(...half), 1)}-${round(Math.max(...half), 1)} MB`;
}
