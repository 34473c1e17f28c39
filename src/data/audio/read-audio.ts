import { promises as fsp } from 'node:fs';
import { FormatError, InputError, describeSystemError } from '../../core/errors.js';
import type { Audio, ReadAudioOptions } from './audio.js';
import { readRiffWav } from './riff-wav-reader.js';
import { readSphere } from './sphere-reader.js';

/** Largest audio file we read into memory (about 4 hours of 16 kHz 16-bit mono). */
export const MAX_AUDIO_FILE_BYTES = 512 * 1024 * 1024;

/** Decode audio bytes by their magic number: RIFF WAV or NIST SPHERE. */
export function decodeAudio(bytes: Uint8Array, path: string, options: ReadAudioOptions = {}): Audio {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic === 'NIST') return readSphere(bytes, path, options);
  if (magic === 'RIFF' || magic === 'RIFX' || bytes.length < 4) return readRiffWav(bytes, path, options);
  const shown = Array.from(bytes.subarray(0, 4), (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
  throw new FormatError({
    code: 'E_AUDIO_MAGIC',
    where: path,
    message: `wrong magic: the file starts with "${shown}", expected "RIFF" (WAV) or "NIST_1A" (SPHERE)`,
    hint: 'give a WAV or SPHERE file; convert other formats with `sox IN OUT.wav`',
  });
}

/** Read and decode an audio file, with one-line errors for missing, unreadable or damaged files. */
export async function readAudioFile(path: string, options: ReadAudioOptions = {}): Promise<Audio> {
  const bytes = await readFileChecked(path, MAX_AUDIO_FILE_BYTES, 'audio');
  return decodeAudio(bytes, path, options);
}

/** Read a whole file after checking that it is a regular file of bounded size. */
export async function readFileChecked(path: string, maxBytes: number, what: string): Promise<Uint8Array> {
  let size: number;
  try {
    const stat = await fsp.stat(path);
    if (!stat.isFile()) {
      throw new InputError({ code: 'E_NOT_A_FILE', where: path, message: `the ${what} path is not a regular file` });
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({
      code: 'E_READ',
      where: path,
      message: `cannot read the ${what} file (${describeSystemError(error)})`,
      hint: 'check the path and its permissions',
      cause: error,
    });
  }
  if (size > maxBytes) {
    throw new InputError({ code: 'E_FILE_TOO_LARGE', where: path, message: `the ${what} file has ${size} bytes, more than the ${maxBytes} allowed` });
  }
  try {
    return new Uint8Array(await fsp.readFile(path));
  } catch (error) {
    throw new InputError({ code: 'E_READ', where: path, message: `cannot read the ${what} file (${describeSystemError(error)})`, cause: error });
  }
}
