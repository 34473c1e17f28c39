import { FormatError } from '../../core/errors.js';
import type { Audio, ReadAudioOptions } from './audio.js';
import { selectChannelIndex } from './channel-select.js';
import { assertSampleRate } from './riff-wav-reader.js';

/** Largest SPHERE header we accept; real ones are 1024 bytes. */
const MAX_HEADER_BYTES = 1 << 20;

export interface SphereHeader {
  headerBytes: number;
  fields: Map<string, string | number>;
}

/** Parse the `NIST_1A` text header: `key -type value` lines up to `end_head`. */
export function parseSphereHeader(bytes: Uint8Array, path: string): SphereHeader {
  const fail = (code: string, message: string, hint?: string): never => {
    throw new FormatError({ code, where: path, message, ...(hint ? { hint } : {}) });
  };
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64)));
  if (!head.startsWith('NIST_1A')) fail('E_SPHERE_MAGIC', `wrong magic: expected "NIST_1A", found ${JSON.stringify(head.slice(0, 7))}`);
  const sizeLine = head.split('\n')[1]?.trim() ?? '';
  const headerBytes = Number(sizeLine);
  if (!/^\d+$/.test(sizeLine) || headerBytes < 16 || headerBytes > MAX_HEADER_BYTES) {
    fail('E_SPHERE_HEADER', `bad header size ${JSON.stringify(sizeLine)} (allowed 16 to ${MAX_HEADER_BYTES} bytes)`);
  }
  if (headerBytes > bytes.length) {
    fail('E_SPHERE_TRUNCATED', `truncated header: it declares ${headerBytes} bytes but the file has ${bytes.length}`);
  }
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, headerBytes));
  const fields = new Map<string, string | number>();
  let ended = false;
  for (const raw of text.split('\n').slice(2)) {
    const line = raw.trim();
    if (line === 'end_head') {
      ended = true;
      break;
    }
    if (line === '' || line.startsWith(';')) continue;
    const match = /^(\S+)\s+-(i|r|s\d+)\s+(.*)$/.exec(line);
    if (!match) fail('E_SPHERE_HEADER', `unreadable header line ${JSON.stringify(line.slice(0, 60))}`);
    const [, key, type, value] = match as unknown as [string, string, string, string];
    if (type === 'i' || type === 'r') {
      const n = Number(value.trim());
      if (!Number.isFinite(n)) fail('E_SPHERE_HEADER', `field ${key} should be a number, found ${JSON.stringify(value)}`);
      fields.set(key, n);
    } else {
      const length = Number(type.slice(1));
      fields.set(key, value.slice(0, length));
    }
  }
  if (!ended) fail('E_SPHERE_TRUNCATED', 'truncated header: no end_head line');
  return { headerBytes, fields };
}

/**
 * Read uncompressed PCM NIST SPHERE (the original TIMIT .WAV). Shorten-compressed files are refused with
 * the command that converts them.
 */
export function readSphere(bytes: Uint8Array, path: string, options: ReadAudioOptions = {}): Audio {
  const { headerBytes, fields } = parseSphereHeader(bytes, path);
  const fail = (code: string, message: string, hint?: string): never => {
    throw new FormatError({ code, where: path, message, ...(hint ? { hint } : {}) });
  };
  const num = (key: string, fallback?: number): number => {
    const v = fields.get(key);
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      return fail('E_SPHERE_HEADER', `the header has no ${key} field`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return fail('E_SPHERE_HEADER', `${key} must be a non-negative integer, found ${JSON.stringify(v)}`);
    return v;
  };
  const coding = String(fields.get('sample_coding') ?? 'pcm').toLowerCase();
  if (coding.includes('shorten') || coding.includes('wavpack') || coding.includes('shortpack')) {
    fail(
      'E_SPHERE_COMPRESSED',
      `the samples are compressed (sample_coding "${coding}"), which this reader does not decode`,
      'convert it to PCM first with LDC\'s sph2pipe: `sph2pipe -f rif IN.WAV OUT.wav`',
    );
  }
  if (coding !== 'pcm' && !coding.startsWith('pcm')) {
    fail('E_SPHERE_CODING', `unsupported sample_coding "${coding}" (allowed: pcm)`, 'convert it with `sph2pipe -f rif IN OUT.wav`');
  }
  const sampleCount = num('sample_count');
  const sampleRateHz = num('sample_rate');
  const channelCount = num('channel_count', 1);
  const bytesPerSample = num('sample_n_bytes', 2);
  if (![1, 2, 4].includes(bytesPerSample)) fail('E_SPHERE_HEADER', `sample_n_bytes is ${bytesPerSample} (allowed 1, 2 or 4)`);
  if (sampleRateHz === 0) fail('E_SPHERE_HEADER', 'sample_rate is 0');
  const byteFormat = String(fields.get('sample_byte_format') ?? (bytesPerSample === 1 ? '1' : '01'));
  const bigEndian = byteFormat === '10' || byteFormat === '3210';
  if (!['1', '01', '10', '0123', '3210'].includes(byteFormat)) {
    fail('E_SPHERE_HEADER', `sample_byte_format "${byteFormat}" is not supported (allowed 01, 10, 0123, 3210, 1)`);
  }
  const channelIndex = selectChannelIndex(path, channelCount, options.channel);
  const available = bytes.length - headerBytes;
  const needed = sampleCount * channelCount * bytesPerSample;
  if (needed > available) {
    fail(
      'E_SPHERE_TRUNCATED_DATA',
      `the header claims ${sampleCount} samples (${needed} bytes) but the file holds only ${Math.floor(available / (channelCount * bytesPerSample))}`,
      'the file was cut short; copy it again from the original',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerBytes, needed);
  const samples = new Float32Array(sampleCount);
  const stride = channelCount * bytesPerSample;
  for (let i = 0; i < sampleCount; i++) {
    const at = i * stride + channelIndex * bytesPerSample;
    let v: number;
    if (bytesPerSample === 1) v = view.getInt8(at) / 128;
    else if (bytesPerSample === 2) v = view.getInt16(at, !bigEndian) / 32768;
    else v = view.getInt32(at, !bigEndian) / 2147483648;
    samples[i] = v;
  }
  if (options.expectedSampleRateHz !== undefined) assertSampleRate(path, sampleRateHz, options.expectedSampleRateHz);
  return {
    samples,
    sampleRateHz,
    sourceFormat: `NIST SPHERE PCM ${bytesPerSample * 8}-bit ${bigEndian ? 'big' : 'little'}-endian`,
    channelCount,
    path,
    warnings: [],
  };
}
