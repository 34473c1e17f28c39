import { parentPort, workerData } from 'node:worker_threads';
import type { FeatureLayout } from '../../data/features/feature-layout.js';
import type { BatchShape, TrainingBatch } from '../../data/features/stream-batcher.js';
import type { ModelSpec, Weights } from '../model-spec.js';
import { FusedNetwork } from './fused-network.js';
import { compileBestKernel, type KernelVariant } from './training-kernel.js';

/** One share of the streams of a data-parallel training step (see parallel-network.ts). */
export interface KernelWorkerData {
  spec: ModelSpec;
  layout: FeatureLayout;
  shape: BatchShape;
  variant: KernelVariant;
}

export type KernelRequest =
  | { id: number; op: 'weights'; weights: Weights }
  | { id: number; op: 'train'; batch: TrainingBatch; keep: number; dropoutSeed: number }
  | { id: number; op: 'evaluate'; batch: TrainingBatch }
  | { id: number; op: 'predict'; batch: TrainingBatch }
  | { id: number; op: 'reset' }
  | { id: number; op: 'getState' }
  | { id: number; op: 'setState'; state: Float32Array[] };

const port = parentPort;
if (!port) throw new Error('kernel-worker must run in a worker thread');
const data = workerData as KernelWorkerData;
const net = new FusedNetwork(data.spec, data.layout, data.shape, compileBestKernel(data.variant).module);

port.on('message', (m: KernelRequest) => {
  try {
    switch (m.op) {
      case 'weights':
        net.setWeights(m.weights);
        port.postMessage({ id: m.id });
        break;
      case 'train': {
        const result = net.trainStep(m.batch, { keep: m.keep, dropoutSeed: m.dropoutSeed });
        const grads = new Map([...net.gradients()].map(([n, g]) => [n, g.slice()]));
        port.postMessage({ id: m.id, result, grads }, [...grads.values()].map((g) => g.buffer as ArrayBuffer));
        break;
      }
      case 'evaluate':
        port.postMessage({ id: m.id, result: net.evaluate(m.batch) });
        break;
      case 'predict': {
        const predictions = net.predict(m.batch);
        port.postMessage({ id: m.id, predictions }, [predictions.buffer as ArrayBuffer]);
        break;
      }
      case 'reset':
        net.resetState();
        port.postMessage({ id: m.id });
        break;
      case 'getState':
        port.postMessage({ id: m.id, state: net.getState() });
        break;
      case 'setState':
        net.setState(m.state);
        port.postMessage({ id: m.id });
        break;
    }
  } catch (error) {
    port.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
  }
});
