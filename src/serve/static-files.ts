import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A file to send, or why not (status code). */
export type StaticResult = { status: 200; type: string; body: Buffer } | { status: 400 | 403 | 404 | 405; reason: string };

/**
 * Files from one folder only: the URL path is decoded once, must be plain (no NUL, no backslash, no `..`
 * segment, also when percent-encoded), and the resolved file must lie inside the folder. Only the known
 * types are served; `/` is index.html.
 */
export function resolveStatic(root: string, method: string, urlPath: string): StaticResult {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: 'only GET and HEAD' };
  let decoded: string;
  try {
    decoded = decodeURIComponent((urlPath.split('?')[0] ?? '/').split('#')[0] ?? '/');
  } catch {
    return { status: 400, reason: 'bad percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((s) => s === '..')) return { status: 403, reason: 'not a plain path' };
  const relative = decoded === '/' ? 'index.html' : normalize(decoded).replace(/^[/\\]+/, '');
  const base = resolve(root);
  const path = resolve(join(base, relative));
  if (!path.startsWith(base + sep)) return { status: 403, reason: 'outside the page folder' };
  const type = TYPES[extname(path).toLowerCase()];
  if (!type) return { status: 404, reason: 'not found' };
  try {
    if (!statSync(path).isFile()) return { status: 404, reason: 'not found' };
    return { status: 200, type, body: readFileSync(path) };
  } catch {
    return { status: 404, reason: 'not found' };
  }
}
