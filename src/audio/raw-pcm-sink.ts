import { OutputError, describeSystemError } from '../core/errors.js';
import { floatToF32leBytes, floatToS16leBytes } from '../dsp/pcm.js';
import type { AudioSink } from './audio-sink.js';

export type RawFormat = 's16le' | 'f32le';

/**
 * Raw PCM on a stream (stdout), for `| aplay -f S16_LE -r 16000`, `| sox -t raw ...`, `| ffmpeg -f s16le`.
 * Honors the stream's backpressure; a closed pipe (EPIPE, `| head -c 1000`) marks the sink gone so the run
 * ends quietly instead of crashing.
 */
export class RawPcmSink implements AudioSink {
  readonly name: string;
  private isGone = false;
  private closed = false;
  private readonly onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.isGone = true;
    else this.failure = error;
  };
  private failure: Error | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly format: RawFormat,
    name = 'stdout',
  ) {
    this.name = name;
    stream.on('error', this.onError);
  }

  get gone(): boolean {
    return this.isGone;
  }

  write(samples: Float32Array): Promise<void> {
    if (this.isGone || this.closed) return Promise.resolve();
    if (this.failure) return Promise.reject(this.wrap(this.failure));
    const bytes = this.format === 's16le' ? floatToS16leBytes(samples) : floatToF32leBytes(samples);
    return new Promise<void>((resolve, reject) => {
      const ok = this.stream.write(bytes, (error) => {
        if (!error) return;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') this.isGone = true;
        else this.failure = error;
      });
      if (ok) resolve();
      else {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          if (this.failure) reject(this.wrap(this.failure));
          else resolve();
        };
        this.stream.once('drain', done);
        this.stream.once('close', () => {
          this.isGone = true;
          done();
        });
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private wrap(error: Error): OutputError {
    return new OutputError({ code: 'E_WRITE', where: this.name, message: `cannot write audio (${describeSystemError(error)})` });
  }
}
