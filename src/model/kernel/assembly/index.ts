// The training kernel's exports. Memory is managed by the caller (TypeScript), which lays out every buffer.
export { setScratch, scratchFloats, gemm, gemmAtB, transpose, addInPlace, addColumnSums, addRowBias, fill } from './gemm';
export { tanhArray, sigmoidArray, expArray } from '../../../simd/activations';
export { layerForward, layerBackward, gateCount } from './cells';
export { mseHead, softmaxHead, softmaxLogits } from './heads';
export { buildWindows, gatherAdd, scatterAdd, dropout, multiplyInPlace } from './inputs';
