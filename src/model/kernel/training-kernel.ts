import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

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

export type KernelVariant = 'simd' | 'relaxed-simd';

/**
 * The fastest kernel this V8 runs: relaxed SIMD (standard WebAssembly, on by default from Node 22; behind
 * --experimental-wasm-relaxed-simd in Node 20, which we turn on), else plain 128-bit SIMD.
 */
export function compileBestKernel(preferred?: KernelVariant): { module: WebAssembly.Module; variant: KernelVariant } {
  if (preferred !== 'simd') {
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      return { module: TrainingKernel.compile(RELAXED_KERNEL_WASM_URL), variant: 'relaxed-simd' };
    } catch {
      // fall through to the plain kernel
    }
  }
  return { module: TrainingKernel.compile(KERNEL_WASM_URL), variant: 'simd' };
}

const PAGE_BYTES = 65536;
/** Bytes below this belong to the AssemblyScript module's own static data. */
const RESERVED_BYTES = 4 * PAGE_BYTES;

/**
 * One instance of the kernel with its own linear memory and a bump allocator. Allocate every buffer first,
 * then `seal()` to size the memory once and take typed-array views that stay valid.
 */
export class TrainingKernel {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  private top = RESERVED_BYTES;
  private sealed = false;

  constructor(module: WebAssembly.Module, initialPages = RESERVED_BYTES / PAGE_BYTES) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: 65536 });
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort: (_msg: number, _file: number, line: number, column: number) => {
          throw new Error(`training kernel aborted at ${line}:${column}`);
        },
      },
    });
    this.exports = instance.exports as unknown as KernelExports;
    // The blocked matrix products pack their operands into this scratch.
    this.exports.setScratch(this.alloc(this.exports.scratchFloats()));
  }

  /** Compile the kernel (synchronously: it is about 20 kB). */
  static compile(url: URL = KERNEL_WASM_URL): WebAssembly.Module {
    let bytes: Buffer;
    try {
      bytes = readFileSync(url);
    } catch (error) {
      throw new Error(`the training kernel ${url.pathname} is missing (${(error as Error).message}); run \`npm run build\``);
    }
    return new WebAssembly.Module(bytes);
  }

  /** Reserve `count` 4-byte elements, 16-byte aligned; returns the byte offset. */
  alloc(count: number): number {
    if (this.sealed) throw new Error('kernel memory is sealed');
    const at = this.top;
    this.top += Math.ceil((Math.max(1, count) * 4) / 16) * 16;
    return at;
  }

  /** Grow the memory to hold everything allocated; views taken after this stay valid. */
  seal(): void {
    const needed = Math.ceil(this.top / PAGE_BYTES);
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) this.memory.grow(needed - have);
    this.sealed = true;
  }

  f32(ptr: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, count);
  }

  i32(ptr: number, count: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, count);
  }

  f64(ptr: number, count: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, count);
  }

  get allocatedBytes(): number {
    return this.top;
  }
}
