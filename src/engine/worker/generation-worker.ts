import { parentPort } from 'node:worker_threads';
import { isSynthError, MismatchError } from '../../core/errors.js';
import { Generator } from '../generator.js';
import { PHONE_SETS } from '../../data/phones/phone-sets.js';
import { FrameFiller } from '../frame-filler.js';
import type { GenerationPlan } from '../generation-plan.js';
import { OrtFrameNetwork } from '../ort-frame-network.js';
import { WasmModelSessions } from '../kernel/wasm-model-sessions.js';
import { BatchingSessions } from '../batching-sessions.js';
import type { ModelSessions } from '../model-sessions.js';
import { OrtModelSessions } from '../ort-model-sessions.js';
import type { FrameNetworkInfo, FromWorker, SerializedError, ToWorker } from './worker-messages.js';
import { warmUp } from './warm-up.js';

/**
 * The generation worker: onnxruntime's run() blocks its thread for the whole call, so it runs here. It
 * produces a chunk only while it holds a credit; the main thread returns a credit when its sinks have
 * taken a chunk, so a slow sink slows generation instead of filling memory.
 */
const port = parentPort;
if (!port) throw new Error('generation-worker must run in a worker thread');

let sessions: BatchingSessions | undefined;
let frameNetwork: { session: OrtFrameNetwork; info: FrameNetworkInfo } | undefined;

interface Run {
  runId: number;
  generator: Generator;
  credits: number;
  stopped: boolean;
  running: boolean;
}

/** Every run in progress: they share the model, and their chunks run as one batch where they can. */
const runs = new Map<number, Run>();

/** Runs that will ask for a chunk now: the batch closes as soon as all of them have. */
function updateExpected(): void {
  let ready = 0;
  for (const r of runs.values()) if (!r.stopped && r.credits > 0 && !r.generator.done) ready++;
  sessions?.setExpected(ready);
}

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

function serialize(error: unknown): SerializedError {
  if (isSynthError(error)) {
    return { name: error.name, message: error.message, code: error.code, category: error.category, ...(error.where ? { where: error.where } : {}), ...(error.hint ? { hint: error.hint } : {}) };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/**
 * The sample loop's sessions: the WebAssembly kernel unless onnxruntime is asked for; with `auto`, a kernel
 * that cannot load falls back to onnxruntime with a note.
 */
async function createSessions(message: Extract<ToWorker, { type: 'load' }>): Promise<{ sessions: ModelSessions; backend: string; notes: string[] }> {
  const notes: string[] = [];
  if (message.backend !== 'ort') {
    try {
      const kernel = WasmModelSessions.create(message.stepBytes, message.kernel);
      return { sessions: kernel, backend: `wasm kernel (${kernel.variant}${kernel.int8 ? ', 8-bit weights' : ''})`, notes };
    } catch (error) {
      if (message.backend === 'wasm') throw error;
      notes.push(`the WebAssembly kernel did not load (${(error as Error).message.split('\n')[0]}); using onnxruntime`);
    }
  }
  const ort = await OrtModelSessions.create(message.stepBytes, message.chunkBytes, message.spec, message.featureWidth, { intraOpThreads: message.intraOpThreads, ...(message.signal ? { signal: message.signal } : {}) });
  return { sessions: ort, backend: 'onnxruntime-node cpu', notes };
}

/** The frame network's filler for a plan whose frames it predicts. */
function frameFillerFor(plan: GenerationPlan): FrameFiller {
  const { track } = plan;
  if (!frameNetwork) throw new MismatchError({ code: 'E_NO_FRAME_NETWORK', message: 'the plan wants predicted frames and the loaded bundle has no frame network' });
  if (!track.frames || !track.excitation) throw new RangeError('a plan with predicted frames needs its frame arrays allocated (preparePlan does this)');
  return new FrameFiller(frameNetwork.session, { ...track, frames: track.frames, excitation: track.excitation }, PHONE_SETS[frameNetwork.info.phoneSet], frameNetwork.info.contextFrames);
}

async function pump(run: Run): Promise<void> {
  if (run.running) return;
  run.running = true;
  try {
    while (runs.get(run.runId) === run && !run.stopped && run.credits > 0) {
      const chunk = await run.generator.next();
      if (!chunk) break;
      run.credits--;
      updateExpected();
      const transfer = chunk.samples.map((s) => s.buffer as ArrayBuffer);
      if (chunk.stepUs) transfer.push(chunk.stepUs.buffer as ArrayBuffer);
      post({ type: 'chunk', runId: run.runId, index: chunk.index, startSample: chunk.startSample, samples: chunk.samples, computeUs: chunk.computeUs, ...(chunk.stepUs ? { stepUs: chunk.stepUs } : {}) }, transfer);
      // Let credit and stop messages in between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (runs.get(run.runId) === run && (run.stopped || run.generator.done)) {
      post({ type: 'end', runId: run.runId, guard: { ...run.generator.state.guard }, stopped: run.stopped });
      runs.delete(run.runId);
    }
  } catch (error) {
    post({ type: 'error', runId: run.runId, error: serialize(error) });
    runs.delete(run.runId);
  } finally {
    run.running = false;
    updateExpected();
  }
}

port.on('message', (message: ToWorker) => {
  void (async () => {
    try {
      switch (message.type) {
        case 'load': {
          const began = performance.now();
          const created = await createSessions(message as Extract<ToWorker, { type: 'load' }>);
          sessions = new BatchingSessions(created.sessions);
          if (message.frame) frameNetwork = { session: await OrtFrameNetwork.create(message.frame.bytes, message.frame.inputWidth), info: message.frame };
          await warmUp(created.sessions, { spec: message.spec, featureWidth: message.featureWidth, unroll: message.unroll, ...(message.signal ? { signal: message.signal } : {}) }, frameNetwork ? { session: frameNetwork.session, inputWidth: frameNetwork.info.inputWidth } : undefined);
          post({ type: 'loaded', loadMs: performance.now() - began, backend: created.backend, notes: created.notes });
          break;
        }
        case 'start': {
          if (!sessions) throw new Error('the worker has no model loaded');
          const frames = message.plan.framesFromNetwork ? frameFillerFor(message.plan) : undefined;
          const run: Run = { runId: message.runId, generator: new Generator(sessions, message.model, message.plan, message.settings, frames), credits: message.credits, stopped: false, running: false };
          runs.set(run.runId, run);
          updateExpected();
          await pump(run);
          break;
        }
        case 'credit': {
          const run = runs.get(message.runId);
          if (run) {
            run.credits += message.count;
            updateExpected();
            await pump(run);
          }
          break;
        }
        case 'stop': {
          const run = runs.get(message.runId);
          if (run) {
            run.stopped = true;
            updateExpected();
            if (!run.running) await pump(run);
          }
          break;
        }
        case 'dispose':
          runs.clear();
          await sessions?.dispose();
          await frameNetwork?.session.dispose();
          sessions = undefined;
          frameNetwork = undefined;
          post({ type: 'disposed' });
          break;
      }
    } catch (error) {
      post({ type: 'error', ...('runId' in message ? { runId: message.runId } : {}), error: serialize(error) });
    }
  })();
});
