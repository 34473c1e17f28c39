/**
 * Load tfjs with the best backend that works here: tfjs-node (native TensorFlow) when it is installed
 * (it needs internet at install time), else tfjs-backend-wasm (SIMD), else the plain JS cpu backend.
 * Every caller reports which one ran.
 */
export type Tf = typeof import('@tensorflow/tfjs');
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface LoadedTf {
  tf: Tf;
  backend: BackendName;
  /** Why a preferred backend was skipped, for the log. */
  notes: string[];
}

export async function loadTf(preferred?: BackendName): Promise<LoadedTf> {
  const notes: string[] = [];
  if (preferred === undefined || preferred === 'tensorflow') {
    try {
      // tfjs-node re-exports the whole tfjs API with the native backend registered.
      const moduleName = '@tensorflow/tfjs-node';
      const tf = (await import(moduleName)) as Tf;
      await tf.setBackend('tensorflow');
      await tf.ready();
      return { tf, backend: 'tensorflow', notes };
    } catch (error) {
      notes.push(`tfjs-node not available (${firstLine(error)})`);
    }
  }
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  if (preferred === undefined || preferred === 'wasm' || preferred === 'tensorflow') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { tf, backend: 'wasm', notes };
      }
      notes.push('tfjs-backend-wasm did not initialize');
    } catch (error) {
      notes.push(`tfjs-backend-wasm not available (${firstLine(error)})`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu', notes };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
