import { createRequire } from 'node:module';
import { OutputError } from '../core/errors.js';
import { floatToS16leBytes } from '../dsp/pcm.js';
import type { AudioSink } from './audio-sink.js';

interface SpeakerStream extends NodeJS.WritableStream {
  close?(flush: boolean): void;
}

/**
 * Live playback through the `speaker` package (ALSA). Only construct it after probeAudioDevice() said a
 * device exists: opening a missing device aborts the process.
 */
export class SpeakerSink implements AudioSink {
  readonly name = 'speaker';
  readonly gone = false;
  private readonly speaker: SpeakerStream;
  private failure: Error | undefined;

  constructor(sampleRateHz: number) {
    const Speaker = createRequire(import.meta.url)('speaker') as new (options: object) => SpeakerStream;
    this.speaker = new Speaker({ channels: 1, bitDepth: 16, sampleRate: sampleRateHz, signed: true });
    this.speaker.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  write(samples: Float32Array): Promise<void> {
    if (this.failure) return Promise.reject(new OutputError({ code: 'E_AUDIO_DEVICE', where: 'speaker', message: `the sound device failed (${this.failure.message})` }));
    const bytes = Buffer.from(floatToS16leBytes(samples));
    return new Promise<void>((resolve) => {
      if (this.speaker.write(bytes)) resolve();
      else this.speaker.once('drain', () => resolve());
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.speaker.once('close', () => resolve());
      this.speaker.end();
      setTimeout(resolve, 3000).unref();
    });
  }
}
