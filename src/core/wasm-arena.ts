import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const PAGE_BYTES = 65536;
/** Bytes below this belong to the AssemblyScript module's own static data. */
const RESERVED_BYTES = 4 * PAGE_BYTES;

export type KernelVariant = 'simd' | 'relaxed-simd';

/**
 * The fastest build of a kernel this V8 runs: relaxed SIMD (standard WebAssembly, on by default from Node 22;
 * behind --experimental-wasm-relaxed-simd in Node 20, which we turn on), else plain 128-bit SIMD.
 */
export function compileBestWasm(urls: Record<KernelVariant, URL>, what: string, preferred?: KernelVariant): { module: WebAssembly.Module; variant: KernelVariant } {
  if (preferred !== 'simd') {
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      return { module: compileWasm(urls['relaxed-simd'], what), variant: 'relaxed-simd' };
    } catch {
      // fall through to the plain build
    }
  }
  return { module: compileWasm(urls.simd, what), variant: 'simd' };
}

/** Compile a kernel file synchronously (they are tens of kilobytes). */
export function compileWasm(url: URL, what: string): WebAssembly.Module {
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch (error) {
    throw new Error(`the ${what} ${url.pathname} is missing (${(error as Error).message}); run \`npm run build\``);
  }
  return new WebAssembly.Module(bytes);
}

/**
 * One instance of an AssemblyScript kernel with its own linear memory and a bump allocator. Allocate every
 * buffer first, then `seal()` to size the memory once and take typed-array views that stay valid.
 */
export class WasmArena<Exports> {
  readonly exports: Exports;
  readonly memory: WebAssembly.Memory;
  private top = RESERVED_BYTES;
  private sealed = false;

  constructor(module: WebAssembly.Module, what: string) {
    this.memory = new WebAssembly.Memory({ initial: RESERVED_BYTES / PAGE_BYTES, maximum: 65536 });
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort: (_msg: number, _file: number, line: number, column: number) => {
          throw new Error(`${what} aborted at ${line}:${column}`);
        },
      },
    });
    this.exports = instance.exports as unknown as Exports;
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
