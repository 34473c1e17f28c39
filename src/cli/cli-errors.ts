import { EXIT_CODES, isSynthError, UsageError } from '../core/errors.js';

export interface ErrorReport {
  line: string;
  exitCode: number;
}

/**
 * Turn any thrown value into the one line the CLI prints and its exit code. Our errors print their own
 * line; anything else is an internal error (stack trace only with --verbose).
 */
export function reportError(error: unknown, verbose: boolean): ErrorReport {
  if (isSynthError(error)) {
    const detail = verbose && error.stack ? `\n${error.stack}` : '';
    return { line: `synth: error: ${error.toLine()} [${error.code}]${detail}`, exitCode: error.exitCode };
  }
  const commanderCode = (error as { code?: string } | undefined)?.code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    const message = ((error as Error).message || '').replace(/^error:\s*/i, '').trim();
    return { line: `synth: error: ${message} (see --help)`, exitCode: EXIT_CODES.usage };
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : ' (run with --verbose for details)';
  return { line: `synth: internal error: ${message}${detail}`, exitCode: EXIT_CODES.internal };
}

/** Parse a number option with a range, naming the flag and the allowed range when it is wrong. */
export function parseNumberOption(
  flag: string,
  value: string | number | undefined,
  range: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  const { min, max, integer, exclusiveMin } = range;
  const lo = min === undefined ? '-inf' : `${exclusiveMin ? '(' : '['}${min}`;
  const hi = max === undefined ? 'inf)' : `${max}]`;
  const allowed = `${integer ? 'an integer' : 'a number'} in ${lo}, ${hi}`;
  const bad =
    (typeof value === 'string' && value.trim() === '') ||
    !Number.isFinite(n) ||
    (integer && !Number.isInteger(n)) ||
    (min !== undefined && (exclusiveMin ? n <= min : n < min)) ||
    (max !== undefined && n > max);
  if (bad) {
    throw new UsageError({ code: 'E_OPTION_RANGE', where: flag, message: `got ${JSON.stringify(value)}, allowed ${allowed}` });
  }
  return n;
}

export function requireNumberOption(flag: string, value: string | number | undefined, range: Parameters<typeof parseNumberOption>[2] = {}): number {
  const n = parseNumberOption(flag, value, range);
  if (n === undefined) throw new UsageError({ code: 'E_OPTION_MISSING', where: flag, message: 'this option is required' });
  return n;
}

export function parseChoice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new UsageError({ code: 'E_OPTION_VALUE', where: flag, message: `got "${value}", allowed: ${allowed.join(', ')}` });
  }
  return value as T;
}
