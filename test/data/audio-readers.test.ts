import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, readAudioFile } from '../../src/data/audio/read-audio.js';
import { sine, tempDir, writeWav } from '../helpers/fixtures.js';

/** A NIST SPHERE file written by the test. */
function sphere(samples: Int16Array, fields: Record<string, string>, bigEndian = false): Uint8Array {
  const lines = ['NIST_1A', '   1024', ...Object.entries(fields).map(([k, v]) => `${k} ${v}`), 'end_head'];
  const header = new Uint8Array(1024).fill(32);
  header.set(new TextEncoder().encode(`${lines.join('\n')}\n`));
  const data = new Uint8Array(samples.length * 2);
  const view = new DataView(data.buffer);
  samples.forEach((v, i) => view.setInt16(i * 2, v, !bigEndian));
  const out = new Uint8Array(1024 + data.length);
  out.set(header);
  out.set(data, 1024);
  return out;
}

const expectError = (fn: () => unknown, code: string, text: RegExp): void => {
  try {
    fn();
  } catch (error) {
    expect((error as { code: string }).code).toBe(code);
    expect((error as Error).message).toMatch(text);
    return;
  }
  throw new Error(`expected ${code}`);
};

describe('RIFF WAV reader', () => {
  const dir = tempDir();
  const signal = sine(400, 300, 0.5);
  for (const depth of ['8', '16', '24', '32', '32f'] as const) {
    it(`reads ${depth === '32f' ? 'float32' : `PCM ${depth}-bit`} mono within the format's resolution`, async () => {
      const path = writeWav(join(dir, `d${depth}.wav`), signal, 16000, depth);
      const audio = await readAudioFile(path);
      expect(audio.sampleRateHz).toBe(16000);
      expect(audio.samples.length).toBe(400);
      const tolerance = depth === '8' ? 1 / 100 : depth === '16' ? 1 / 30000 : 1e-6;
      for (let i = 0; i < 400; i++) expect(Math.abs(audio.samples[i]! - signal[i]!)).toBeLessThanOrEqual(tolerance);
    });
  }

  it('refuses multi-channel audio unless a channel is chosen, then reads that channel', async () => {
    const path = writeWav(join(dir, 'stereo.wav'), signal, 16000, '16', 2);
    await expect(readAudioFile(path)).rejects.toMatchObject({ code: 'E_AUDIO_MULTICHANNEL', message: expect.stringMatching(/2 channels/) });
    const left = await readAudioFile(path, { channel: 1 });
    expect(left.samples[10]).toBeCloseTo(signal[10]!, 3);
    const right = await readAudioFile(path, { channel: 2 });
    expect(Math.max(...right.samples.map(Math.abs))).toBe(0);
    await expect(readAudioFile(path, { channel: 3 })).rejects.toMatchObject({ code: 'E_OPTION_RANGE' });
  });

  it('names both rates when the sample rate is not the one asked for', async () => {
    const path = writeWav(join(dir, 'r44.wav'), signal, 44100);
    await expect(readAudioFile(path, { expectedSampleRateHz: 16000 })).rejects.toMatchObject({ code: 'E_SAMPLE_RATE', message: expect.stringMatching(/44100 Hz.*16000 Hz/) });
  });

  it('gives one-line errors for damaged files', async () => {
    const good = new Uint8Array(await (await import('node:fs/promises')).readFile(writeWav(join(dir, 'g.wav'), signal)));
    expectError(() => decodeAudio(good.subarray(0, 10), 'short.wav'), 'E_WAV_TRUNCATED', /truncated header/);
    const wrong = good.slice();
    wrong.set(new TextEncoder().encode('JUNK'), 0);
    expectError(() => decodeAudio(wrong, 'junk.wav'), 'E_AUDIO_MAGIC', /wrong magic/);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(40, 0x7fffff00, true);
    expectError(() => decodeAudio(huge, 'huge.wav'), 'E_WAV_TRUNCATED_DATA', /claims .* samples .* holds only 400/);
    const empty = good.slice(0, 44);
    new DataView(empty.buffer).setUint32(40, 0, true);
    const audio = decodeAudio(empty, 'empty.wav');
    expect(audio.samples.length).toBe(0);
  });

  it('reports a missing file with its path', async () => {
    await expect(readAudioFile(join(dir, 'nope.wav'))).rejects.toMatchObject({ code: 'E_READ', where: join(dir, 'nope.wav'), message: expect.stringMatching(/no such file/) });
  });
});

describe('NIST SPHERE reader', () => {
  const values = Int16Array.from({ length: 100 }, (_, i) => (i - 50) * 300);
  const base = { sample_count: '-i 100', sample_rate: '-i 16000', channel_count: '-i 1', sample_n_bytes: '-i 2', sample_coding: '-s3 pcm' };

  it('reads little- and big-endian PCM as TIMIT stores it', () => {
    for (const big of [false, true]) {
      const bytes = sphere(values, { ...base, sample_byte_format: big ? '-s2 10' : '-s2 01' }, big);
      const audio = decodeAudio(bytes, 'x.wav');
      expect(audio.sourceFormat).toMatch(big ? /big-endian/ : /little-endian/);
      expect(Array.from(audio.samples.slice(0, 3), (v) => v * 32768)).toEqual([-15000, -14700, -14400]);
    }
  });

  it('refuses shorten-compressed data with the command that converts it', () => {
    const bytes = sphere(values, { ...base, sample_coding: '-s26 pcm,embedded-shorten-v2.00', sample_byte_format: '-s2 01' });
    expectError(() => decodeAudio(bytes, 'SA1.WAV'), 'E_SPHERE_COMPRESSED', /compressed/);
    try {
      decodeAudio(bytes, 'SA1.WAV');
    } catch (error) {
      expect((error as { hint: string }).hint).toMatch(/sph2pipe -f rif/);
    }
  });

  it('refuses a header that claims more samples than the file holds', () => {
    const bytes = sphere(values, { ...base, sample_count: '-i 99999999', sample_byte_format: '-s2 01' });
    expectError(() => decodeAudio(bytes, 'big.wav'), 'E_SPHERE_TRUNCATED_DATA', /claims 99999999 samples/);
  });

  it('refuses a truncated header', () => {
    const bytes = sphere(values, { ...base, sample_byte_format: '-s2 01' });
    expectError(() => decodeAudio(bytes.subarray(0, 500), 'cut.wav'), 'E_SPHERE_TRUNCATED', /truncated header/);
  });

  it('reads a SPHERE file from disk by its magic, whatever the extension', async () => {
    const dir = tempDir();
    const path = join(dir, 'SA1.WAV');
    writeFileSync(path, sphere(values, { ...base, sample_byte_format: '-s2 01' }));
    const audio = await readAudioFile(path, { expectedSampleRateHz: 16000 });
    expect(audio.samples.length).toBe(100);
  });
});
