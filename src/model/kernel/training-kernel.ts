import { compileBestWasm, compileWasm, WasmArena, type KernelVariant } from '../../core/wasm-arena.js';

/** The exports of the AssemblyScript kernel (src/model/kernel/assembly). Pointers are byte offsets. */
export interface KernelExports {
  setScratch(base: number): void;
  scratchFloats(): number;
  gemm(a: number, b: number, c: number, m: number, k: number, n: number, accumulate: boolean): void;
  gemmAtB(a: number, b: number, c: number, m: number, k: number, n: number, accumulate: boolean): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  addInPlace(y: number, x: number, n: number): void;
  addColumnSums(a: number, out: number, m: number, n: number): void;
  addRowBias(a: number, bias: number, m: number, n: number): void;
  fill(p: number, n: number, value: number): void;
  tanhArray(src: number, dst: number, n: number): void;
  sigmoidArray(src: number, dst: number, n: number): void;
  expArray(src: number, dst: number, n: number): void;
  layerForward(
    cell: number, steps: number, batch: number, hidden: number,
    ax: number, whh: number, bhh: number, states: number, cells: number, gates: number, ahn: number, ah: number,
  ): void;
  layerBackward(
    cell: number, steps: number, batch: number, hidden: number,
    whhT: number, states: number, cells: number, gates: number, ahn: number,
    dout: number, dax: number, dah: number, dh: number, dc: number, dprev: number,
  ): void;
  mseHead(rows: number, hidden: number, h: number, w: number, bias: number, target: number, mask: number, y: number, dh: number, dw: number, results: number): void;
  softmaxHead(
    rows: number, hidden: number, classes: number, h: number, w: number, bias: number, wT: number, target: number, mask: number,
    logits: number, dh: number, dw: number, db: number, results: number,
  ): void;
  softmaxLogits(rows: number, hidden: number, classes: number, h: number, w: number, bias: number, logits: number): void;
  buildWindows(source: number, windows: number, steps: number, batch: number, k: number): void;
  gatherAdd(ax: number, table: number, ids: number, rows: number, slots: number, width: number): void;
  scatterAdd(dtable: number, dax: number, ids: number, rows: number, slots: number, width: number): void;
  dropout(x: number, mask: number, n: number, keep: number, seed: number): void;
  multiplyInPlace(x: number, m: number, n: number): void;
}

/** Where `npm run build` puts the compiled kernels (the same path from src/ and from dist/). */
export const KERNEL_WASM_URL = new URL('../../../dist/kernel/training-kernel.wasm', import.meta.url);
/** The same kernel with relaxed-SIMD fused multiply-adds (about 1.3x faster where V8 has them). */
export const RELAXED_KERNEL_WASM_URL = new URL('../../../dist/kernel/training-kernel-relaxed.wasm', import.meta.url);

export type { KernelVariant } from '../../core/wasm-arena.js';

/** The fastest kernel this V8 runs (see compileBestWasm). */
export function compileBestKernel(preferred?: KernelVariant): { module: WebAssembly.Module; variant: KernelVariant } {
  return compileBestWasm({ simd: KERNEL_WASM_URL, 'relaxed-simd': RELAXED_KERNEL_WASM_URL }, 'training kernel', preferred);
}

/** One instance of the training kernel, its memory and allocator; the blocked products' scratch is reserved. */
export class TrainingKernel extends WasmArena<KernelExports> {
  constructor(module: WebAssembly.Module) {
    super(module, 'training kernel');
    // The blocked matrix products pack their operands into this scratch.
    this.exports.setScratch(this.alloc(this.exports.scratchFloats()));
  }

  /** Compile the kernel (synchronously: it is about 20 kB). */
  static compile(url: URL = KERNEL_WASM_URL): WebAssembly.Module {
    return compileWasm(url, 'training kernel');
  }
}
