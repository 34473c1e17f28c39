import * as ort from 'onnxruntime-node';
import { ModelError } from '../core/errors.js';
import type { FrameNetworkSession } from './frame-filler.js';
import { ortSessionOptions } from './ort-session-options.js';

/** frame.onnx in onnxruntime-node (one intra-op thread: it runs between chunks of the sample loop). */
export class OrtFrameNetwork implements FrameNetworkSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputWidth: number,
  ) {}

  static async create(bytes: Uint8Array, inputWidth: number): Promise<OrtFrameNetwork> {
    try {
      const session = await ort.InferenceSession.create(bytes, ortSessionOptions());
      return new OrtFrameNetwork(session, inputWidth);
    } catch (error) {
      throw new ModelError({ code: 'E_MODEL_LOAD', message: `onnxruntime cannot load frame.onnx (${String((error as Error).message).split('\n')[0]})`, hint: 're-export the bundle with `synth export DIR`', cause: error });
    }
  }

  async predict(inputs: Float32Array, rows: number): Promise<Float32Array> {
    const out = await this.session.run({ inputs: new ort.Tensor('float32', inputs, [rows, this.inputWidth]) });
    return out['frames']!.data as Float32Array;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
