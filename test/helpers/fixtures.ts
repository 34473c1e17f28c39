import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

/** A fresh temporary folder for one test. */
export function tempDir(prefix = 'synth-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A sine at `hz` with amplitude `amp`, `samples` long. */
export function sine(samples: number, hz = 220, amp = 0.5, rateHz = 16000): Float32Array {
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / rateHz);
  return out;
}

/** Write a mono 16-bit WAV (or another depth) and return its path. */
export function writeWav(path: string, samples: Float32Array, rateHz = 16000, bitDepth: '8' | '16' | '24' | '32' | '32f' = '16', channels = 1): string {
  mkdirSync(dirname(path), { recursive: true });
  const wav = new WaveFile();
  const scale = bitDepth === '32f' ? 1 : bitDepth === '8' ? 127 : 2 ** (Number(bitDepth) - 1) - 1;
  const ints = Array.from(samples, (v) => (bitDepth === '32f' ? v : Math.round(v * scale) + (bitDepth === '8' ? 128 : 0)));
  const data = channels === 1 ? ints : Array.from({ length: channels }, (_, c) => ints.map((v) => (c === 0 ? v : bitDepth === '8' ? 128 : 0)));
  wav.fromScratch(channels, rateHz, bitDepth, data);
  writeFileSync(path, wav.toBuffer());
  return path;
}

/**
 * A tiny labelled utterance: a tone per phone (so phones are audible in the signal), with labels in
 * TIMIT .phn form. Returns the paths.
 */
export function writeToneUtterance(dir: string, name: string, phones: Array<[string, number]>, rateHz = 16000, tailSamples = 0): { wav: string; phn: string; samples: Float32Array } {
  const total = phones.reduce((n, [, len]) => n + len, 0) + tailSamples;
  const samples = new Float32Array(total);
  let at = 0;
  const lines: string[] = [];
  phones.forEach(([phone, len], i) => {
    const hz = 150 + 40 * (i % 7);
    const amp = phone === 'h#' || phone === 'pau' || phone === 'sil' ? 0.002 : 0.3;
    for (let t = 0; t < len; t++) samples[at + t] = amp * Math.sin((2 * Math.PI * hz * (at + t)) / rateHz);
    lines.push(`${at} ${at + len} ${phone}`);
    at += len;
  });
  const wav = writeWav(join(dir, `${name}.wav`), samples, rateHz);
  const phn = join(dir, `${name}.phn`);
  writeFileSync(phn, `${lines.join('\n')}\n`);
  return { wav, phn, samples };
}

/** Path of the shared real-speech folder, if this machine has it. */
export const SHARED_DATA = join(process.cwd(), '..', 'shared', 'data');
