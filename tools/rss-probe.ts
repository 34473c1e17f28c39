import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** RSS of a process in MB from /proc (Linux). */
export function rssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A phone file of `seconds` of speech-like phones (radio set), written to `dir`. */
export function longPhoneFile(dir: string, seconds: number, rateHz = 16000): string {
  const phones = ['pau', 'dh', 'ax', 's', 'ae', 'm', 'p', 'l', 'iy', 'k', 'aa', 'n', 't', 'ow', 'r'];
  const lines: string[] = [];
  const total = Math.round(seconds * rateHz);
  for (let at = 0, i = 0; at < total; i++) {
    const len = 800 + ((i * 613) % 1600);
    const end = Math.min(total, at + len);
    lines.push(`${at} ${end} ${phones[i % phones.length]}`);
    at = end;
  }
  const path = join(dir, `long-${seconds}s.phn`);
  writeFileSync(path, `${lines.join('\n')}\n`);
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
