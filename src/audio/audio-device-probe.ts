import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface DeviceProbe {
  available: boolean;
  reason: string;
}

/**
 * Whether `speaker` can open the default output device. With no sound card, opening it aborts the whole
 * process (an ALSA assertion), so the attempt is made in a throwaway child process: if the child dies, we
 * only learn that there is no device.
 */
export async function probeAudioDevice(sampleRateHz: number, timeoutMs = 5000): Promise<DeviceProbe> {
  let speakerPath: string;
  try {
    speakerPath = createRequire(import.meta.url).resolve('speaker');
  } catch {
    return { available: false, reason: 'the optional `speaker` package is not installed (it needs libasound2-dev to build)' };
  }
  const script = `
    const Speaker = require(${JSON.stringify(speakerPath)});
    const s = new Speaker({ channels: 1, bitDepth: 16, sampleRate: ${sampleRateHz} });
    s.on('error', (e) => { process.stderr.write(String(e && e.message)); process.exit(3); });
    s.on('open', () => { s.end(Buffer.alloc(${Math.round(sampleRateHz / 100) * 2})); });
    s.on('close', () => process.exit(0));
  `;
  return new Promise<DeviceProbe>((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ available: false, reason: 'opening the sound device timed out' });
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ available: true, reason: 'ok' });
      else {
        const detail = stderr.split('\n').find((l) => /cannot|error|No such/i.test(l))?.trim();
        resolve({ available: false, reason: signal ? `no usable sound device (the ALSA probe ${signal === 'SIGABRT' ? 'aborted' : `ended with ${signal}`})` : `no usable sound device${detail ? ` (${detail})` : ''}` });
      }
    });
  });
}
