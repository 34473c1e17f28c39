import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBundle } from '../helpers/bundles.js';
import { tempDir, writeToneUtterance } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const BIN = join(process.cwd(), 'bin', 'synth.js');
let model: string;
let dir: string;
let phn: string;
let wav: string;

beforeAll(async () => {
  ({ dir: model } = await randomBundle({ cell: 'gru', head: 'mulaw', hidden: 16, layers: 1, k: 12, featureSet: 'rich', phoneSet: 'radio', sampleRateHz: 16000, levels: 256 }, 2, 1.5));
  dir = tempDir();
  ({ phn, wav } = writeToneUtterance(dir, 'utt', [['h#', 1600], ['aa', 3200], ['s', 2400], ['iy', 3200], ['h#', 1600]], 16000, 320));
});

/** Data chunk of a 16-bit WAV, after checking its header sizes against the file. */
function wavData(path: string): Buffer {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
  return bytes.subarray(44);
}

describe('synth (black box)', () => {
  it('writes a WAV exactly as long as the labels\' audio, and JSON drift/latency events with a summary', async () => {
    const out = join(dir, 'a.wav');
    const run = await runCli(['--phones', phn, '--seed', '640', '--model', model, '--out', out, '--metrics', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(wavData(out).length / 2).toBe(12320);
    const events = run.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'drift').length).toBeGreaterThan(10);
    expect(events.some((e) => e.type === 'latency')).toBe(true);
    const summary = events[events.length - 1];
    expect(summary).toMatchObject({ type: 'summary', mode: 'free-running', seed_samples: 640, length_samples: 12320, produced_samples: 12320, stopped: false });
    expect(summary.fidelity).toMatchObject({ mode: 'free-running', samples: 12320 - 640 });
    for (const key of ['nmse', 'snr_db', 'seg_snr_db', 'lsd_db', 'mel_dist_db', 'level_err_db', 'drift_horizon', 'nonfinite', 'clipped']) expect(summary.fidelity).toHaveProperty(key);
    for (const key of ['rtf', 'us_per_sample', 'latency_us_p50', 'latency_us_p99', 'latency_us_max', 'first_audio_ms', 'underruns']) expect(summary.speed).toHaveProperty(key);
    // The seed samples are the recording's own.
    const original = wavData(wav);
    expect(Buffer.compare(wavData(out).subarray(0, 1280), original.subarray(0, 1280))).toBe(0);
  });

  it('chunk and step modes write the same audio; teacher-forced runs say so', async () => {
    const a = join(dir, 'chunk.wav');
    const b = join(dir, 'step.wav');
    expect((await runCli(['--phones', phn, '--seed', '100', '--model', model, '--out', a, '--mode', 'chunk', '--chunk', '512'])).code).toBe(0);
    expect((await runCli(['--phones', phn, '--seed', '100', '--model', model, '--out', b, '--mode', 'step'])).code).toBe(0);
    expect(Buffer.compare(wavData(a), wavData(b))).toBe(0);
    const tf = await runCli(['--phones', phn, '--seed', '100', '--model', model, '--out', join(dir, 'tf.wav'), '--teacher-forced']);
    expect(tf.stderr).toMatch(/teacher-forced/);
  });

  it('pipes raw PCM: s16le and f32le, and a closed pipe (head -c) ends quietly with status 0', async () => {
    const s16 = await runCli(['--phones', phn, '--seed', '0', '--model', model, '--out', '-']);
    expect(s16.code).toBe(0);
    expect(s16.stdout.length).toBe(12320 * 2);
    const f32 = await runCli(['--phones', phn, '--seed', '0', '--model', model, '--out', '-', '--format', 'f32le']);
    expect(f32.stdout.length).toBe(12320 * 4);
    const shell = execFileSync('bash', ['-c', `set -o pipefail; node ${BIN} --phones ${phn} --seed 0 --model ${model} --out - 2>${dir}/err.txt | head -c 1000 | wc -c; echo "status $?"`], { encoding: 'utf8' });
    expect(shell).toMatch(/^1000\nstatus 0/);
    expect(readFileSync(join(dir, 'err.txt'), 'utf8')).not.toMatch(/EPIPE|Error:|at /);
  });

  it('with no --out and no sound device, says so in one line and writes synth-out.wav', async () => {
    const cwd = tempDir();
    const run = await runCli(['--phones', phn, '--seed', '0', '--model', model], { cwd, env: { ALSA_CONFIG_PATH: join(cwd, 'no-such-alsa.conf') } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/no usable sound device.*writing synth-out.wav instead/);
    expect(wavData(join(cwd, 'synth-out.wav')).length / 2).toBe(12320);
  });

  it('plays through speaker: an ALSA default pcm of type file captures exactly the bytes generated', async () => {
    const capture = join(dir, 'capture.raw');
    const conf = join(dir, 'alsa.conf');
    writeFileSync(conf, `</usr/share/alsa/alsa.conf>\npcm.!default {\n type file\n slave.pcm "null"\n file "${capture}"\n format "raw"\n}\n`);
    const ref = join(dir, 'ref.wav');
    const run = await runCli(['--phones', phn, '--seed', '0', '--model', model, '--out', 'speaker', '--out', ref], { env: { ALSA_CONFIG_PATH: conf } });
    if (run.stderr.includes('not installed')) return; // speaker could not be built (no libasound2-dev)
    expect(run.code, run.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(capture), wavData(ref))).toBe(0);
  });

  it('Ctrl-C and SIGTERM: a valid WAV of what was made, the summary, and exit 130 / 143', async () => {
    const long = join(dir, 'long.phn');
    writeFileSync(long, Array.from({ length: 400 }, (_, i) => `${i * 16000} ${(i + 1) * 16000} ${i % 2 ? 'aa' : 's'}`).join('\n'));
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const out = join(dir, `${signal}.wav`);
      const child = spawn(process.execPath, [BIN, '--phones', long, '--seed', '0', '--model', model, '--out', out, '--realtime']);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      await new Promise((r) => setTimeout(r, 2500));
      child.kill(signal);
      const exit = await new Promise<number | null>((r) => child.on('close', r));
      expect(exit).toBe(code);
      expect(stderr).toMatch(/synth: stopped: \d+ samples/);
      expect(existsSync(out)).toBe(true);
      expect(wavData(out).length).toBeGreaterThan(1000);
    }
  });
});
