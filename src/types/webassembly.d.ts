// The part of the WebAssembly JS API this project uses. Node has it at run time; @types/node 20 does not
// declare it, and the DOM lib would bring in browser globals we must not use.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  type ImportValue = Memory | ((...args: never[]) => unknown) | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
}
type BufferSource = ArrayBufferView | ArrayBuffer;
