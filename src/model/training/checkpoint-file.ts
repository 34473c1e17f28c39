import { readFileSync } from 'node:fs';
import { FormatError, InputError, describeSystemError } from '../../core/errors.js';
import { writeFileAtomic, writeFileAtomicSync } from '../../core/atomic-write.js';

const MAGIC = 'SRNNCKP1';

/**
 * A JSON header plus named float32 arrays in one file: checkpoints carry weights, optimizer moments, the
 * recurrent state and the position in the data, so a resumed run continues exactly.
 */
export function encodeArrayFile(header: unknown, arrays: ReadonlyMap<string, Float32Array>): Uint8Array {
  const index: Array<{ name: string; offset: number; length: number }> = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    index.push({ name, offset, length: a.length });
    offset += a.length;
  }
  const json = new TextEncoder().encode(JSON.stringify({ header, arrays: index }));
  const headerBytes = 8 + 4 + json.length;
  const pad = (4 - (headerBytes % 4)) % 4;
  const out = new Uint8Array(headerBytes + pad + offset * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  const floats = new Float32Array(out.buffer, headerBytes + pad, offset);
  for (const [i, [, a]] of [...arrays].entries()) floats.set(a, (index[i] as { offset: number }).offset);
  return out;
}

export function decodeArrayFile<H>(bytes: Uint8Array, path: string): { header: H; arrays: Map<string, Float32Array> } {
  const fail = (message: string): never => {
    throw new FormatError({ code: 'E_CHECKPOINT', where: path, message, hint: 'the checkpoint is damaged; start again without --resume' });
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail('not a checkpoint file (wrong magic)');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + jsonLength > bytes.length) fail('truncated header');
  let parsed: { header: H; arrays: Array<{ name: string; offset: number; length: number }> };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength)));
  } catch {
    return fail('unreadable header');
  }
  const start = 12 + jsonLength + ((4 - ((12 + jsonLength) % 4)) % 4);
  if (bytes.length < start || (bytes.length - start) % 4 !== 0) fail('the array data is truncated');
  const total = (bytes.length - start) / 4;
  // Copy the float region into its own aligned buffer (a Node Buffer may be a view into a shared pool).
  const copy = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length));
  const arrays = new Map<string, Float32Array>();
  if (!parsed || !Array.isArray(parsed.arrays)) fail('the header has no array index');
  for (const entry of parsed.arrays) {
    const { name, offset, length } = (entry ?? {}) as { name: string; offset: number; length: number };
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > total) fail(`array ${String(name)} runs past the end of the file`);
    arrays.set(name, copy.subarray(offset, offset + length));
  }
  return { header: parsed.header, arrays };
}

export async function writeArrayFile(path: string, header: unknown, arrays: ReadonlyMap<string, Float32Array>): Promise<void> {
  await writeFileAtomic(path, encodeArrayFile(header, arrays));
}

export function writeArrayFileSync(path: string, header: unknown, arrays: ReadonlyMap<string, Float32Array>): void {
  writeFileAtomicSync(path, encodeArrayFile(header, arrays));
}

export function readArrayFile<H>(path: string): { header: H; arrays: Map<string, Float32Array> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError({ code: 'E_CHECKPOINT_READ', where: path, message: `cannot read the checkpoint (${describeSystemError(error)})`, hint: 'train without --resume to start afresh' });
  }
  return decodeArrayFile<H>(bytes, path);
}
