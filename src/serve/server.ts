import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isSynthError } from '../core/errors.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { preparePlan, type PreparedPlan } from '../engine/prepare-plan.js';
import { TextFrontEnd, textSentencePlan } from '../engine/text-plan.js';
import { LIMITS, parseClientMessage, type ServerMessage, type StartMessage } from './protocol.js';
import { resolveStatic } from './static-files.js';
import { StreamSession } from './stream-session.js';

export interface ServerOptions {
  host: string;
  port: number;
  modelDir: string;
  /** Folder of the built page (dist/page). */
  pageDir: string;
  /** Engines (worker threads); streams go to the least busy, and each batches its streams. */
  workers: number;
  maxConnections: number;
  engine?: EngineOptions;
}

export interface SynthServer {
  url: string;
  server: Server;
  /** The sample loop's runtime, as the engines report it. */
  readonly backend: string;
  /** Streams running now, and connections open. */
  readonly activeStreams: number;
  readonly connections: number;
  close(): Promise<void>;
}

const DEMO_EXTENSIONS = /\.(lab|phn|segs|TextGrid|json)$/;

/** The label files a bundle ships in its demo/ folder (the page lists them). */
function listDemos(modelDir: string): string[] {
  try {
    return readdirSync(join(modelDir, 'demo')).filter((f) => DEMO_EXTENSIONS.test(f)).sort();
  } catch {
    return [];
  }
}

/**
 * `synth serve`: the page (static files from one folder), and a WebSocket at /ws that runs streams on the
 * model: one set of engines for the process, several streams batched per engine, flow control from the
 * client's playback, and every message checked (protocol.ts). The WebSocket's Origin must be the page's own.
 */
export async function startServer(options: ServerOptions): Promise<SynthServer> {
  const engines: Engine[] = [];
  for (let w = 0; w < Math.max(1, options.workers); w++) engines.push(await Engine.load(options.modelDir, options.engine ?? {}));
  const manifest = (engines[0] as Engine).manifest;
  const frontEnd = manifest.text ? await TextFrontEnd.load(options.modelDir, manifest) : undefined;
  const demos = listDemos(options.modelDir);
  const uploads = mkdtempSync(join(tmpdir(), 'synth-serve-'));
  let uploadCounter = 0;
  const load = new Map<Engine, number>(engines.map((e) => [e, 0]));
  let activeStreams = 0;
  let connections = 0;

  const http = createServer((req, res) => {
    const result = resolveStatic(options.pageDir, req.method ?? 'GET', req.url ?? '/');
    if (result.status !== 200) {
      res.writeHead(result.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${result.reason}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': result.type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'",
    });
    res.end(req.method === 'HEAD' ? undefined : result.body);
  });

  /** The page's own origin: the Host the browser asked for, over http. */
  const originAllowed = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    const host = req.headers.host;
    return typeof origin === 'string' && typeof host === 'string' && origin === `http://${host}`;
  };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.messageBytes,
  });
  http.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    const refuse = (status: number, reason: string): void => {
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (path !== '/ws') return refuse(404, 'Not Found');
    if (!originAllowed(req)) return refuse(403, 'Forbidden');
    if (connections >= options.maxConnections) return refuse(503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const planFor = async (request: StartMessage): Promise<PreparedPlan> => {
    const source = request.source;
    const condition = request.condition;
    if (source.kind === 'text') {
      if (!frontEnd) throw Object.assign(new Error('this model has no text front end'), { code: 'E_NO_TEXT_MODELS' });
      const sentence = frontEnd.oneSentence(source.text);
      if (!sentence) throw Object.assign(new Error('the text has no words to speak'), { code: 'E_TEXT_EMPTY' });
      return textSentencePlan(manifest, await frontEnd.plan(sentence));
    }
    if (source.kind === 'demo') {
      if (!demos.includes(source.name)) throw Object.assign(new Error(`no demo "${source.name}"; the demos are ${demos.join(', ') || 'none'}`), { code: 'E_DEMO' });
      return preparePlan(manifest, { phonesPath: join(options.modelDir, 'demo', source.name), seedSamples: request.seed ?? 0, ...(condition ? { condition } : {}) });
    }
    // Uploads go to files the server names itself: nothing the client sends becomes a path.
    const n = ++uploadCounter;
    const phonesPath = join(uploads, `${n}.${source.format}`);
    const wavPath = source.recording !== undefined ? join(uploads, `${n}.wav`) : undefined;
    try {
      writeFileSync(phonesPath, source.content);
      if (wavPath) writeFileSync(wavPath, Buffer.from(source.recording as string, 'base64'));
      return await preparePlan(manifest, { phonesPath, seedSamples: request.seed ?? 0, ...(wavPath ? { wavPath } : {}), ...(condition ? { condition } : {}) });
    } finally {
      rmSync(phonesPath, { force: true });
      if (wavPath) rmSync(wavPath, { force: true });
    }
  };

  wss.on('connection', (ws: WebSocket) => {
    connections++;
    const sessions = new Map<string, StreamSession>();
    const send = (message: ServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    send({ type: 'hello', sampleRateHz: manifest.spec.sampleRateHz, demos, model: `${manifest.spec.cell}-${manifest.spec.hidden} ${manifest.spec.featureSet}`, backend: (engines[0] as Engine).backend, text: frontEnd !== undefined, limits: LIMITS });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send({ type: 'error', code: 'E_PROTOCOL', message: 'binary messages are not accepted; send JSON' });
      const parsed = parseClientMessage(data.toString());
      if (!parsed.ok) return send({ type: 'error', ...(parsed.id ? { id: parsed.id } : {}), code: 'E_PROTOCOL', message: parsed.reason });
      const m = parsed.message;
      if (m.type === 'ping') return send({ type: 'pong' });
      if (m.type === 'stop') return sessions.get(m.id)?.stop();
      if (m.type === 'played') return sessions.get(m.id)?.played(m.samples);
      if (sessions.has(m.id)) return send({ type: 'error', id: m.id, code: 'E_PROTOCOL', message: `stream ${m.id} is already running` });
      if (sessions.size >= LIMITS.streamsPerConnection) return send({ type: 'error', id: m.id, code: 'E_LIMIT', message: `at most ${LIMITS.streamsPerConnection} streams per connection` });
      void planFor(m).then(
        (plan) => {
          if (ws.readyState !== ws.OPEN) return;
          const engine = [...load].sort((a, b) => a[1] - b[1])[0]?.[0] as Engine;
          load.set(engine, (load.get(engine) ?? 0) + 1);
          activeStreams++;
          const session = new StreamSession(m.id, engine, plan, m, { json: send, binary: (frame) => ws.readyState === ws.OPEN && ws.send(frame) }, () => {
            sessions.delete(m.id);
            load.set(engine, (load.get(engine) ?? 1) - 1);
            activeStreams--;
          });
          sessions.set(m.id, session);
          session.start();
        },
        (error: unknown) => send({ type: 'error', id: m.id, code: isSynthError(error) ? error.code : ((error as { code?: string }).code ?? 'E_INTERNAL'), message: (isSynthError(error) ? error.toLine() : String((error as Error).message)).split('\n')[0] as string }),
      );
    });
    // A client's protocol error (e.g. a message over the size limit) closes only its own connection.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      connections--;
      for (const s of [...sessions.values()]) s.stop();
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  return {
    url,
    server: http,
    backend: (engines[0] as Engine).backend,
    get activeStreams() {
      return activeStreams;
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await frontEnd?.dispose();
      await Promise.all(engines.map((e) => e.dispose()));
      rmSync(uploads, { recursive: true, force: true });
    },
  };
}
