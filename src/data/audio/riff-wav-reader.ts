import wavefile from 'wavefile';
import { FormatError, MismatchError } from '../../core/errors.js';
import type { Audio, ReadAudioOptions } from './audio.js';
import { selectChannelIndex } from './channel-select.js';

const { WaveFile } = wavefile;

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Highest sample rate we accept in a header (anything above is damage). */
const MAX_SAMPLE_RATE_HZ = 768000;
/** Data sizes that streaming writers put in the header when they do not know the length. */
const STREAMING_SIZES = new Set([0, 0xffffffff]);

interface RiffLayout {
  audioFormat: number;
  channelCount: number;
  sampleRateHz: number;
  bitsPerSample: number;
  dataOffset: number;
  dataBytes: number;
  warnings: string[];
}

/**
 * Walk the RIFF chunks and check every size against the file before any decoding, so that a damaged
 * header gives a one-line error instead of a crash or a huge allocation.
 */
export function inspectRiffWav(bytes: Uint8Array, path: string): RiffLayout {
  const fail = (code: string, message: string, hint?: string): never => {
    throw new FormatError({ code, where: path, message, ...(hint ? { hint } : {}) });
  };
  if (bytes.length < 12) fail('E_WAV_TRUNCATED', `truncated header: the file has ${bytes.length} bytes, a WAV header needs at least 44`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) === 'RIFX') fail('E_WAV_BIG_ENDIAN', 'big-endian RIFX WAV is not supported', 'convert it with `sox IN.wav -e signed -b 16 OUT.wav`');
  if (tag(0) !== 'RIFF') fail('E_WAV_MAGIC', `wrong magic: starts with ${JSON.stringify(tag(0))}, expected "RIFF"`);
  if (tag(8) !== 'WAVE') fail('E_WAV_MAGIC', `wrong RIFF type ${JSON.stringify(tag(8))}, expected "WAVE"`);

  let offset = 12;
  let fmt: Omit<RiffLayout, 'dataOffset' | 'dataBytes' | 'warnings'> | undefined;
  const warnings: string[] = [];
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) fail('E_WAV_TRUNCATED', `truncated header: fmt chunk of ${size} bytes`);
      let audioFormat = view.getUint16(body, true);
      if (audioFormat === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        audioFormat = view.getUint16(body + 24, true);
      }
      fmt = {
        audioFormat,
        channelCount: view.getUint16(body + 2, true),
        sampleRateHz: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) fail('E_WAV_HEADER', 'the data chunk comes before the fmt chunk');
      const available = bytes.length - body;
      let dataBytes = size;
      if (STREAMING_SIZES.has(size) && available > 0) {
        warnings.push(`data size ${size} in the header (a streaming writer); read the ${available} bytes to the end of the file`);
        dataBytes = available;
      } else if (size > available) {
        const frameBytes = Math.max(1, (fmt!.bitsPerSample / 8) * fmt!.channelCount);
        fail(
          'E_WAV_TRUNCATED_DATA',
          `the header claims ${Math.floor(size / frameBytes)} samples (${size} bytes) but the file holds only ${Math.floor(available / frameBytes)} (${available} bytes)`,
          'the file was cut short; re-export or repair it (for example `sox IN.wav OUT.wav` with --ignore-length)',
        );
      }
      return { ...fmt!, dataOffset: body, dataBytes, warnings };
    }
    offset = body + size + (size & 1);
  }
  if (!fmt) fail('E_WAV_TRUNCATED', 'truncated header: no fmt chunk');
  return fail('E_WAV_NO_DATA', 'no data chunk: the file holds no audio');
}

function describeEncoding(layout: RiffLayout): string {
  if (layout.audioFormat === WAVE_FORMAT_IEEE_FLOAT) return `float ${layout.bitsPerSample}-bit`;
  return `PCM ${layout.bitsPerSample}-bit`;
}

/** Read a RIFF WAV: PCM 8/16/24/32-bit or float 32/64-bit. Decoding is wavefile's; checks are ours. */
export function readRiffWav(bytes: Uint8Array, path: string, options: ReadAudioOptions = {}): Audio {
  const layout = inspectRiffWav(bytes, path);
  const { audioFormat, bitsPerSample } = layout;
  const pcmOk = audioFormat === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample);
  const floatOk = audioFormat === WAVE_FORMAT_IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64);
  if (!pcmOk && !floatOk) {
    throw new FormatError({
      code: 'E_WAV_ENCODING',
      where: path,
      message: `unsupported encoding (format tag ${audioFormat}, ${bitsPerSample} bits); allowed: PCM 8/16/24/32-bit, float 32/64-bit`,
      hint: 'convert it with `sox IN.wav -e signed -b 16 OUT.wav`',
    });
  }
  if (layout.sampleRateHz < 1 || layout.sampleRateHz > MAX_SAMPLE_RATE_HZ) {
    throw new FormatError({ code: 'E_WAV_HEADER', where: path, message: `the header says a sample rate of ${layout.sampleRateHz} Hz (allowed 1 to ${MAX_SAMPLE_RATE_HZ})` });
  }
  const channelIndex = selectChannelIndex(path, layout.channelCount, options.channel);
  const frameBytes = (bitsPerSample / 8) * layout.channelCount;
  const frames = Math.floor(layout.dataBytes / frameBytes);
  // Hand wavefile a clean copy (canonical header + exactly the data we checked): it trusts header sizes.
  const data = bytes.subarray(layout.dataOffset, layout.dataOffset + frames * frameBytes);
  const wav = new WaveFile();
  const bitDepth = floatOk ? (bitsPerSample === 64 ? '64' : '32f') : String(bitsPerSample);
  try {
    wav.fromScratch(layout.channelCount, layout.sampleRateHz, bitDepth, new Float64Array(0));
  } catch (error) {
    // wavefile validates the format too; its words, our error.
    throw new FormatError({ code: 'E_WAV_HEADER', where: path, message: `unsupported header (${(error as Error).message.replace(/\.$/, '')})` });
  }
  // wavefile documents `data.samples` as the raw sample bytes; giving it our checked slice avoids a copy.
  const chunk = (wav as unknown as { data: { chunkId: string; chunkSize: number; samples: Uint8Array } }).data;
  chunk.chunkSize = data.length;
  chunk.samples = data;
  // Decoded straight to float32 and scaled in place: one array per channel, no float64 copy of a long
  // recording. Exact: 8-24-bit integers fit float32, and scaling by a power of two commutes with rounding.
  const decoded = wav.getSamples(false, Float32Array) as unknown as Float32Array | Float32Array[];
  const samples = (Array.isArray(decoded) ? decoded[channelIndex] : decoded) as Float32Array;
  const scale = floatOk ? 1 : bitsPerSample === 8 ? 1 / 128 : 1 / 2 ** (bitsPerSample - 1);
  const offset = !floatOk && bitsPerSample === 8 ? 128 : 0;
  if (samples.length !== frames) throw new FormatError({ code: 'E_WAV_DATA', where: path, message: `decoded ${samples.length} samples where the data holds ${frames}` });
  if (scale !== 1 || offset !== 0) for (let i = 0; i < frames; i++) samples[i] = ((samples[i] as number) - offset) * scale;
  if (options.expectedSampleRateHz !== undefined) {
    assertSampleRate(path, layout.sampleRateHz, options.expectedSampleRateHz);
  }
  return {
    samples,
    sampleRateHz: layout.sampleRateHz,
    sourceFormat: `RIFF WAV ${describeEncoding(layout)}`,
    channelCount: layout.channelCount,
    path,
    warnings: layout.warnings,
  };
}

export function assertSampleRate(path: string, actualHz: number, expectedHz: number): void {
  if (actualHz !== expectedHz) {
    throw new MismatchError({
      code: 'E_SAMPLE_RATE',
      where: path,
      message: `sample rate is ${actualHz} Hz, but ${expectedHz} Hz is needed`,
      hint: `resample it first, e.g. \`sox IN.wav -r ${expectedHz} OUT.wav\``,
    });
  }
}
