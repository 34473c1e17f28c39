import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../cli-context.js';
import { parseChoice, parseNumberOption } from '../cli-errors.js';
import { DEFAULT_MODEL_DIR } from '../default-model.js';

/** Where `npm run build` puts the page (the same path from src/ and dist/). */
const PAGE_DIR = fileURLToPath(new URL('../../../dist/page', import.meta.url));
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `synth serve`: the live page and the WebSocket streaming server. */
export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('serve a page that plays, draws and compares the synthesis live, and a WebSocket at /ws that streams it (many streams at once)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1: this machine only)')
    .option('--port <n>', 'port (default 8080; 0 picks a free one)')
    .option('--model <dir>', 'model bundle (default: the shipped model)')
    .option('--workers <n>', 'engines (worker threads) the streams share (default: one per core, up to 2)')
    .option('--max-connections <n>', 'WebSocket connections at once (default 64)')
    .option('--kernel-weights <w>', 'int8 (default: 8-bit recurrent and head weights, twice the streams at the same measured fidelity) | f32 (equal to onnxruntime)')
    .action(async (flags: { host?: string; port?: string; model?: string; workers?: string; maxConnections?: string; kernelWeights?: string }) => {
      const host = flags.host ?? '127.0.0.1';
      const port = parseNumberOption('--port', flags.port, { min: 0, max: 65535, integer: true }) ?? 8080;
      const { availableParallelism } = await import('node:os');
      const workers = parseNumberOption('--workers', flags.workers, { min: 1, max: 64, integer: true }) ?? Math.min(2, availableParallelism());
      const maxConnections = parseNumberOption('--max-connections', flags.maxConnections, { min: 1, max: 10000, integer: true }) ?? 64;
      // A server's job is many streams: 8-bit weights double them, and measured no change in fidelity (README).
      const kernelWeights = parseChoice('--kernel-weights', flags.kernelWeights, ['int8', 'f32'] as const) ?? 'int8';
      if (!LOOPBACK.has(host)) context.stderr.write(`synth: warning: listening on ${host}: anyone who can reach this machine can use the server (there is no authentication); prefer 127.0.0.1 with an SSH port forward\n`);
      const { startServer } = await import('../../serve/server.js');
      const server = await startServer({ host, port, modelDir: flags.model ?? DEFAULT_MODEL_DIR, pageDir: PAGE_DIR, workers, maxConnections, engine: { kernelWeights } });
      context.stderr.write(`synth: serving ${server.url}/ (WebSocket ${server.url.replace('http', 'ws')}/ws), ${workers} worker(s), ${server.backend}; Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        const unregister = context.onSignal(() => {
          unregister();
          resolve();
        });
      });
      await server.close();
      context.stderr.write('synth: server stopped\n');
    });
}
