import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type SynthServer } from '../../src/serve/server.js';
import { vocoderFixture } from '../helpers/vocoder-bundle.js';

let server: SynthServer;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, modelDir: await vocoderFixture(), pageDir: fileURLToPath(new URL('../../dist/page', import.meta.url)), workers: 1, maxConnections: 3 });
}, 60000);

afterAll(async () => {
  await server?.close();
});

interface Connection {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  audioSamples: Map<string, number>;
  next(predicate: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function connect(origin = server.url): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { origin });
    ws.binaryType = 'arraybuffer';
    const messages: Array<Record<string, unknown>> = [];
    const waiters: Array<{ predicate: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
    const audioSamples = new Map<string, number>();
    ws.on('message', (data, binary) => {
      if (binary) {
        const bytes = new Uint8Array(data as ArrayBuffer);
        const id = String.fromCharCode(...bytes.subarray(2, 2 + (bytes[1] as number)));
        const head = 2 + (bytes[1] as number) + ((4 - ((2 + (bytes[1] as number)) % 4)) % 4);
        if (bytes[0] === 1) audioSamples.set(id, (audioSamples.get(id) ?? 0) + (bytes.length - head - 4) / 4);
        return;
      }
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      messages.push(m);
      for (const w of [...waiters]) {
        if (w.predicate(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    ws.once('open', () =>
      resolve({
        ws, messages, audioSamples,
        next: (predicate, timeoutMs = 20000) =>
          new Promise((res, rej) => {
            const found = messages.find(predicate);
            if (found) return res(found);
            const timer = setTimeout(() => rej(new Error('timed out waiting for a message')), timeoutMs);
            waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), res(m)) });
          }),
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const waitFor = async (condition: () => boolean, timeoutMs = 10000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('synth serve (WebSocket, no browser)', () => {
  it('greets, streams a demo and text, answers bad messages with an error and stays usable', async () => {
    const c = await connect();
    const hello = await c.next((m) => m.type === 'hello');
    expect(hello).toMatchObject({ sampleRateHz: 16000, demos: ['tones.phn'], text: true });
    c.ws.send('{"type":"start","id":"x","source":{"kind":"demo","name":"../../package.json"}}');
    expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'E_PROTOCOL', id: 'x' });
    c.ws.send('garbage');
    c.ws.send(JSON.stringify({ type: 'start', id: 'd', source: { kind: 'demo', name: 'tones.phn' }, seed: 160, aheadMs: 10000 }));
    const started = await c.next((m) => m.type === 'started' && m.id === 'd');
    expect(started).toMatchObject({ hasTruth: true, seedSamples: 160 });
    await c.next((m) => m.type === 'end' && m.id === 'd');
    expect(c.audioSamples.get('d')).toBe(started.lengthSamples);
    expect(c.messages.some((m) => m.type === 'drift' && m.id === 'd')).toBe(true);
    c.ws.send(JSON.stringify({ type: 'start', id: 't', source: { kind: 'text', text: 'Hello world.' }, aheadMs: 10000 }));
    const text = await c.next((m) => m.type === 'started' && m.id === 't');
    await c.next((m) => m.type === 'end' && m.id === 't');
    expect(c.audioSamples.get('t')).toBe(text.lengthSamples);
    c.ws.send('{"type":"ping"}');
    await c.next((m) => m.type === 'pong');
    c.ws.close();
  }, 60000);

  it('stays at most aheadMs ahead of what the client has played, and Stop cancels at once', async () => {
    const c = await connect();
    await c.next((m) => m.type === 'hello');
    c.ws.send(JSON.stringify({ type: 'start', id: 'f', source: { kind: 'text', text: 'The quick brown fox jumps over the lazy dog. The quick brown fox jumps again.' }, aheadMs: 300 }));
    await c.next((m) => m.type === 'started');
    await new Promise((r) => setTimeout(r, 1500));
    // Nothing played: the audio sent is bounded by the budget plus the chunks the engine had in flight.
    const sent = c.audioSamples.get('f') ?? 0;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(0.3 * 16000 + 5 * 2048 + 256);
    c.ws.send(JSON.stringify({ type: 'played', id: 'f', samples: sent }));
    await waitFor(() => (c.audioSamples.get('f') ?? 0) > sent);
    c.ws.send(JSON.stringify({ type: 'stop', id: 'f' }));
    expect(await c.next((m) => m.type === 'end' && m.id === 'f')).toMatchObject({ stopped: true });
    await waitFor(() => server.activeStreams === 0);
    c.ws.close();
  }, 60000);

  it('cancels the streams of a client that goes away', async () => {
    const c = await connect();
    await c.next((m) => m.type === 'hello');
    c.ws.send(JSON.stringify({ type: 'start', id: 'g', source: { kind: 'text', text: 'A sentence that takes a while to say, and then some more words.' }, aheadMs: 200 }));
    await c.next((m) => m.type === 'started');
    expect(server.activeStreams).toBe(1);
    c.ws.terminate();
    await waitFor(() => server.activeStreams === 0 && server.connections === 0);
  }, 60000);

  it('refuses a foreign Origin, other paths, too many connections, and oversized messages', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/HTTP 403/);
    const open = await Promise.all([connect(), connect(), connect()]);
    await expect(connect()).rejects.toThrow(/HTTP 503/);
    for (const c of open) c.ws.close();
    await waitFor(() => server.connections === 0);
    const c = await connect();
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.ws.send('x'.repeat(3 * 1024 * 1024));
    expect(await closed).toBe(1009);
    // Raw paths (fetch would normalize the encoded dots away before sending).
    const { get } = await import('node:http');
    const { port } = new URL(server.url);
    const status = (path: string): Promise<number> => new Promise((resolve) => get({ host: '127.0.0.1', port, path }, (res) => (res.resume(), resolve(res.statusCode ?? 0))));
    expect(await status('/%2e%2e/package.json')).toBe(403);
    expect(await status('/package.json')).toBe(404);
    expect((await fetch(`${server.url}/`)).headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  }, 60000);
});
