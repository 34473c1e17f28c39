import type * as ort from 'onnxruntime-node';

/**
 * The engine's onnxruntime session options: sequential, all graph optimizations, warnings off, one inter-op
 * thread, and `intraOpThreads` intra-op threads (1 unless a caller asks: the sessions run beside the sample
 * loop and each other on two cores).
 */
export function ortSessionOptions(intraOpThreads = 1): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: intraOpThreads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3 };
}
