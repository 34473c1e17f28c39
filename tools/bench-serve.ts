/**
 * npm run bench:serve: how many real-time streams `synth serve` sustains on this machine. N WebSocket
 * clients on 127.0.0.1 each start a stream of the shipped default model (speaking a paragraph from text) and
 * consume it in real time: playback starts after a 200 ms prebuffer and advances with the wall clock, an
 * underrun is a moment the playhead reached audio not yet received. N grows until a run has underruns (or
 * the cap); the figure is the largest N with none, and the p99 chunk latency (from the credit's return to
 * the chunk's sending, as the server reports it) at that load; then, in headless Chromium, first audio in the
 * page after Play. Ends with a RESULT line.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { DEFAULT_MODEL_DIR } from '../src/cli/default-model.js';
import { startServer } from '../src/serve/server.js';
import { machineInfo, round } from './machine.js';

const TEXT = 'The quick brown fox jumps over the lazy dog. She had your dark suit in greasy wash water all year. Don\'t ask me to carry an oily rag like that.';
const PREBUFFER_MS = 200;
const CAP = Number(process.env['BENCH_SERVE_MAX'] ?? 64);
const STEPS = (process.env['BENCH_SERVE_STEPS'] ?? '4,8,12,16,20,24,28,32,40,48,56,64').split(',').map(Number).filter((n) => n <= CAP);
const RATE = 16000;
const CHROMIUM = '/usr/bin/chromium';

interface ClientResult {
  underruns: number;
  chunkLatencyMs: number;
  firstAudioMs: number;
  samples: number;
  error?: string;
}

/** One client that plays in real time; resolves when its stream ended and its playhead reached the end. */
function client(url: string, index: number): Promise<ClientResult> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { origin: url });
    ws.binaryType = 'arraybuffer';
    let received = 0;
    let total = -1;
    let started = -1;
    let requested = 0;
    let underruns = 0;
    let starving = false;
    let latency = 0;
    let firstAudio = -1;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: string): void => {
      if (timer) clearInterval(timer);
      ws.close();
      resolve({ underruns, chunkLatencyMs: latency, firstAudioMs: firstAudio, samples: received, ...(error ? { error } : {}) });
    };
    ws.on('message', (data, binary) => {
      if (binary) {
        const bytes = new Uint8Array(data as ArrayBuffer);
        if (bytes[0] !== 1) return;
        const idLength = bytes[1] as number;
        const head = 2 + idLength + ((4 - ((2 + idLength) % 4)) % 4);
        received += (bytes.length - head - 4) / 4;
        if (firstAudio < 0) firstAudio = performance.now() - requested;
        if (started < 0 && (received / RATE) * 1000 >= PREBUFFER_MS) started = performance.now();
        return;
      }
      const m = JSON.parse(String(data));
      if (m.type === 'hello') {
        requested = performance.now();
        ws.send(JSON.stringify({ type: 'start', id: `c${index}`, source: { kind: 'text', text: TEXT }, rngSeed: index, aheadMs: 1000 }));
        timer = setInterval(() => {
          if (started < 0) return;
          const playhead = Math.floor(((performance.now() - started) / 1000) * RATE);
          const end = total >= 0 ? total : Number.POSITIVE_INFINITY;
          const at = Math.min(playhead, end);
          if (at > received && at < end) {
            if (!starving) underruns++;
            starving = true;
          } else starving = false;
          ws.send(JSON.stringify({ type: 'played', id: `c${index}`, samples: Math.min(at, received) }));
          if (total >= 0 && playhead >= total) finish();
        }, 20);
      } else if (m.type === 'started') total = m.lengthSamples;
      else if (m.type === 'stats') latency = m.chunkLatencyMs;
      else if (m.type === 'error') finish(`${m.code}: ${m.message}`);
      else if (m.type === 'end' && m.stopped) finish('stopped');
    });
    ws.on('error', (e) => finish(String(e)));
  });
}

const machine = machineInfo();
const server = await startServer({ host: '127.0.0.1', port: 0, modelDir: DEFAULT_MODEL_DIR, pageDir: fileURLToPath(new URL('../dist/page', import.meta.url)), workers: 2, maxConnections: 1000, engine: { kernelWeights: process.env['BENCH_SERVE_WEIGHTS'] === 'f32' ? 'f32' : 'int8' } });
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; server ${server.url}, 2 workers; model ${DEFAULT_MODEL_DIR}`);
let best = 0;
let bestLatency = Number.NaN;
let bestFirstAudio = Number.NaN;
for (const n of STEPS) {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => client(server.url, i)));
  const errors = results.filter((r) => r.error);
  const underruns = results.reduce((s, r) => s + r.underruns, 0);
  const p99 = Math.max(...results.map((r) => r.chunkLatencyMs));
  const first = results.map((r) => r.firstAudioMs).sort((a, b) => a - b);
  const firstMedian = first[Math.floor(first.length / 2)] as number;
  console.log(`${n} concurrent real-time streams: underruns ${underruns} (${results.filter((r) => r.underruns > 0).length} stream(s)), chunk latency p99 ${round(p99, 1)} ms (worst stream), first audio median ${round(firstMedian, 1)} ms${errors.length ? `, ${errors.length} error(s): ${errors[0]?.error}` : ''}`);
  if (underruns > 0 || errors.length > 0) break;
  best = n;
  bestLatency = p99;
  bestFirstAudio = firstMedian;
}

/**
 * First audio in the page after Play, in headless Chromium (when /usr/bin/chromium exists): from the click to
 * the worklet starting playback, as the page shows it; median of 5 for a shipped demo and for typed text.
 */
async function pageFirstAudio(url: string): Promise<Record<string, number> | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await page.waitForFunction(() => (document.getElementById('demo') as HTMLSelectElement).options.length > 0);
    const out: Record<string, number> = {};
    for (const source of ['demo', 'text'] as const) {
      if (source === 'text') await page.click('#textRadio');
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        await page.click('#play');
        await page.waitForFunction(() => (window as unknown as { synthPage: { firstAudioMs: number } }).synthPage.firstAudioMs >= 0, undefined, { timeout: 10000 });
        runs.push(await page.evaluate(() => (window as unknown as { synthPage: { firstAudioMs: number } }).synthPage.firstAudioMs));
        await page.click('#stop');
        await new Promise((r) => setTimeout(r, 300));
      }
      runs.sort((a, b) => a - b);
      out[source] = runs[2] as number;
      console.log(`first audio in the page after Play (headless Chromium, ${source}): median ${round(out[source] as number, 1)} ms of ${runs.map((v) => round(v, 1)).join(', ')}`);
    }
    return out;
  } finally {
    await browser.close();
  }
}
const inPage = await pageFirstAudio(server.url);
await server.close();
console.log(
  `RESULT ${JSON.stringify({
    machine,
    backend: `synth serve, ${server.backend}, 2 workers, dynamic batching`,
    realtime_streams: best,
    chunk_latency_ms_p99: round(bestLatency, 1),
    first_audio_ms: round(bestFirstAudio, 1),
    ...(inPage ? { page_first_audio_ms_demo: round(inPage['demo'] as number, 1), page_first_audio_ms_text: round(inPage['text'] as number, 1) } : {}),
  })}`,
);
