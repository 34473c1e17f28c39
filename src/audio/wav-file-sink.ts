import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import wavefile from 'wavefile';
import { OutputError, describeSystemError } from '../core/errors.js';
import { temporaryPathFor } from '../core/atomic-write.js';
import { floatToS16leBytes } from '../dsp/pcm.js';
import type { AudioSink } from './audio-sink.js';

const { WaveFile } = wavefile;

/** The 44-byte header of a 16-bit mono PCM WAV (from wavefile), with the sizes patched in. */
export function wavHeader(sampleRateHz: number, dataBytes: number): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRateHz, '16', new Int16Array(0));
  const header = new Uint8Array(wav.toBuffer());
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length !== 44 || String.fromCharCode(...header.subarray(36, 40)) !== 'data') {
    throw new Error('unexpected WAV header layout from wavefile');
  }
  view.setUint32(4, 36 + dataBytes, true);
  view.setUint32(40, dataBytes, true);
  return header;
}

/**
 * Streams 16-bit PCM into a temporary file next to the target and renames it into place on close, with
 * the header sizes filled in. close() is also what a Ctrl-C handler calls, so an interrupted run still
 * leaves a valid, playable WAV of what was generated; a failed run leaves no half-written file.
 */
export class WavFileSink implements AudioSink {
  readonly name: string;
  readonly gone = false;
  private fd: number | undefined;
  private readonly tmp: string;
  private dataBytes = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly sampleRateHz: number,
  ) {
    this.name = path;
    this.tmp = temporaryPathFor(path);
    try {
      this.fd = openSync(this.tmp, 'w');
      writeSync(this.fd, wavHeader(sampleRateHz, 0));
    } catch (error) {
      throw this.error(error, 'cannot create the output file');
    }
  }

  async write(samples: Float32Array): Promise<void> {
    if (this.closed || this.fd === undefined) return;
    try {
      const bytes = floatToS16leBytes(samples);
      writeSync(this.fd, bytes);
      this.dataBytes += bytes.length;
    } catch (error) {
      this.abort();
      throw this.error(error, 'cannot write the output file');
    }
  }

  /** Patch the header and move the file into place (synchronous, so a signal handler can call it). */
  closeSync(): void {
    if (this.closed || this.fd === undefined) return;
    this.closed = true;
    try {
      writeSync(this.fd, wavHeader(this.sampleRateHz, this.dataBytes), 0, 44, 0);
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.tmp, this.path);
    } catch (error) {
      this.abort();
      throw this.error(error, 'cannot finish the output file');
    }
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  /** Drop the temporary file (after an error). */
  abort(): void {
    this.closed = true;
    try {
      if (this.fd !== undefined) closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
    try {
      unlinkSync(this.tmp);
    } catch {
      // nothing to remove
    }
  }

  get samplesWritten(): number {
    return this.dataBytes / 2;
  }

  private error(error: unknown, what: string): OutputError {
    return new OutputError({
      code: 'E_WRITE',
      where: this.path,
      message: `${what} (${describeSystemError(error)})`,
      hint: 'check that the folder exists, is writable and has free space',
      cause: error,
    });
  }
}
