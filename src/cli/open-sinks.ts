import type { AudioSink } from '../audio/audio-sink.js';
import type { RawFormat } from '../audio/raw-pcm-sink.js';
import { OutputError } from '../core/errors.js';

export interface OpenedSink {
  sink: AudioSink;
  /** Which stream of a multi-stream synthesis it takes. */
  stream: number;
}

export interface SinkOptions {
  sampleRateHz: number;
  streams: number;
  format: RawFormat;
  stdout: NodeJS.WritableStream;
  log: (line: string) => void;
}

/** FILE.wav for stream 0, FILE.s2.wav, FILE.s3.wav... for the others. */
export const streamPath = (path: string, stream: number): string => (stream === 0 ? path : path.replace(/(\.wav)?$/i, `.s${stream + 1}$1`));

/**
 * Open the --out destinations: `-` (raw PCM on stdout, stream 1), `speaker` (only after the device probe
 * found a device: opening a missing one aborts the process), FILE.wav (one file per stream). With no --out,
 * the speaker when there is a device, else synth-out.wav with a one-line note.
 */
export async function openSinks(outs: readonly string[], options: SinkOptions): Promise<OpenedSink[]> {
  const { WavFileSink } = await import('../audio/wav-file-sink.js');
  const { RawPcmSink } = await import('../audio/raw-pcm-sink.js');
  const rate = options.sampleRateHz;
  const sinks: OpenedSink[] = [];
  try {
    for (const target of outs.length > 0 ? outs : ['speaker?']) {
      if (target === '-') sinks.push({ sink: new RawPcmSink(options.stdout, options.format), stream: 0 });
      else if (target === 'speaker' || target === 'speaker?') {
        const { probeAudioDevice } = await import('../audio/audio-device-probe.js');
        const probe = await probeAudioDevice(rate);
        if (probe.available) {
          const { SpeakerSink } = await import('../audio/speaker-sink.js');
          sinks.push({ sink: new SpeakerSink(rate), stream: 0 });
        } else if (target === 'speaker') {
          throw new OutputError({ code: 'E_AUDIO_DEVICE', where: '--out speaker', message: probe.reason, hint: 'write a file with --out FILE.wav, or pipe with --out -' });
        } else {
          options.log(`synth: ${probe.reason}; writing synth-out.wav instead`);
          sinks.push({ sink: new WavFileSink('synth-out.wav', rate), stream: 0 });
        }
      } else {
        for (let s = 0; s < options.streams; s++) sinks.push({ sink: new WavFileSink(streamPath(target, s), rate), stream: s });
      }
    }
  } catch (error) {
    // Nothing half-made stays behind: temporary WAV files of the sinks opened so far are removed.
    for (const { sink } of sinks) (sink as { abort?: () => void }).abort?.();
    throw error;
  }
  return sinks;
}
