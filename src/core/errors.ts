/**
 * Typed errors. Every error a user can cause carries a stable `code`, a category that maps to a distinct
 * process exit code, the place it happened (`where`: a file, a file:line, an option name) and a `hint`
 * that says what to do next. The CLI prints `toLine()`: one line, no stack trace.
 */

/** Exit codes by category, so that scripts can branch on why a run failed. */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  format: 4,
  model: 5,
  mismatch: 6,
  output: 7,
  training: 8,
  sigint: 130,
  sigterm: 143,
} as const;

export type ErrorCategory = 'usage' | 'input' | 'format' | 'model' | 'mismatch' | 'output' | 'training' | 'internal';

export interface SynthErrorOptions {
  /** Stable machine-readable code, e.g. `E_LABEL_ORDER`. */
  code: string;
  /** What went wrong, including what was received and what is allowed. */
  message: string;
  /** Where: a path, `path:line`, or an option name. */
  where?: string;
  /** What the user can do next. */
  hint?: string;
  cause?: unknown;
}

export class SynthError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(category: ErrorCategory, options: SynthErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.category = category;
    this.code = options.code;
    this.where = options.where;
    this.hint = options.hint;
  }

  get exitCode(): number {
    return EXIT_CODES[this.category];
  }

  /** The single line the CLI prints: `where: message (hint)`. */
  toLine(): string {
    // Paths keep their dots (../data): only the message's own final period is normalized.
    const place = this.where ? `${this.where}: ` : '';
    const message = this.message.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
    const hint = this.hint ? ` ${this.hint.replace(/\s+/g, ' ').trim()}` : '';
    return `${place}${message}.${hint}`;
  }
}

/** A bad command line: unknown flag, value out of range, conflicting options. */
export class UsageError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('usage', options);
  }
}

/** A file that is missing, unreadable or not a regular file. */
export class InputError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('input', options);
  }
}

/** A file that exists but whose content is malformed. */
export class FormatError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('format', options);
  }
}

/** A model bundle that is missing, malformed, inconsistent or too new. */
export class ModelError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('model', options);
  }
}

/** Valid inputs that do not fit together: sample rates, phone sets, seed lengths. */
export class MismatchError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('mismatch', options);
  }
}

/** An output that cannot be written: unwritable path, disk full, closed device. */
export class OutputError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('output', options);
  }
}

/** Training that cannot go on: non-finite loss, no usable data. */
export class TrainingError extends SynthError {
  constructor(options: SynthErrorOptions) {
    super('training', options);
  }
}

export function isSynthError(error: unknown): error is SynthError {
  return error instanceof SynthError;
}

/** Describe a Node.js system error (ENOENT, EACCES, ...) in words, for messages. */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EMFILE':
      return 'too many open files';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
