import { promises as fsp, writeFileSync, renameSync, unlinkSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { OutputError, describeSystemError } from './errors.js';

/**
 * Write a file so that readers see either the old content or the new, never a half-written file:
 * write a temporary file in the same folder, flush it, then rename it over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryPathFor(path);
  try {
    const handle = await fsp.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, path);
  } catch (error) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw outputError(path, error);
  }
}

/** Synchronous twin of writeFileAtomic, for signal handlers that cannot wait. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = temporaryPathFor(path);
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may not exist; the original error is what matters
    }
    throw outputError(path, error);
  }
}

export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now().toString(36)}`);
}

function outputError(path: string, error: unknown): OutputError {
  return new OutputError({
    code: 'E_WRITE',
    where: path,
    message: `cannot write the file (${describeSystemError(error)})`,
    hint: 'check that the folder exists, is writable and has free space; the previous file, if any, is unchanged',
    cause: error,
  });
}
