import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudioFrame, encodeAudioFrame, LIMITS, parseClientMessage } from '../../src/serve/protocol.js';
import { resolveStatic } from '../../src/serve/static-files.js';
import { tempDir } from '../helpers/fixtures.js';

const ok = (raw: unknown): unknown => {
  const r = parseClientMessage(typeof raw === 'string' ? raw : JSON.stringify(raw));
  return r.ok ? r.message : undefined;
};
const reason = (raw: unknown): string => {
  const r = parseClientMessage(typeof raw === 'string' ? raw : JSON.stringify(raw));
  return r.ok ? '' : r.reason;
};

describe('the serve protocol', () => {
  it('accepts exactly the documented messages', () => {
    expect(ok({ type: 'ping' })).toEqual({ type: 'ping' });
    expect(ok({ type: 'stop', id: 'a-1' })).toEqual({ type: 'stop', id: 'a-1' });
    expect(ok({ type: 'played', id: 'a', samples: 1600 })).toEqual({ type: 'played', id: 'a', samples: 1600 });
    expect(ok({ type: 'start', id: 'x', source: { kind: 'demo', name: 'hello.lab' }, condition: 'phones', teacherForced: false, temperature: 0.6, seed: 0, rngSeed: 3, aheadMs: 500 })).toMatchObject({ type: 'start', id: 'x', temperature: 0.6 });
    expect(ok({ type: 'start', id: 'x', source: { kind: 'text', text: 'Hello.' } })).toEqual({ type: 'start', id: 'x', source: { kind: 'text', text: 'Hello.' } });
    expect(ok({ type: 'start', id: 'x', source: { kind: 'labels', format: 'lab', content: '0 100 pau', recording: 'UklGRg==' } })).toBeDefined();
  });

  it('refuses anything else with a reason: malformed, unknown types and keys, bad ranges, oversized fields', () => {
    expect(reason('not json')).toBe('not JSON');
    expect(reason([1, 2])).toMatch(/JSON object/);
    expect(reason({ type: 'launch' })).toMatch(/type must be/);
    expect(reason({ type: 'ping', extra: 1 })).toMatch(/no other key/);
    expect(reason({ type: 'stop', id: '../../etc' })).toMatch(/id must be/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'demo', name: '../../package.json' } })).toMatch(/demo name/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'demo', name: 'a' }, evil: true })).toMatch(/unknown key\(s\): evil/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'labels', format: 'exe', content: 'x' } })).toMatch(/format must be/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'text', text: 'a'.repeat(LIMITS.textChars + 1) } })).toMatch(/1 to 2000 characters/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'text', text: 'hi' }, temperature: 99 })).toMatch(/temperature/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'text', text: 'hi' }, seed: -1 })).toMatch(/seed/);
    expect(reason({ type: 'start', id: 'x', source: { kind: 'labels', format: 'lab', content: 'x', recording: 'not base64!' } })).toMatch(/base64/);
    expect(reason({ type: 'played', id: 'a', samples: 1.5 })).toMatch(/integer/);
  });

  it('round-trips binary audio frames', () => {
    const samples = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const f = decodeAudioFrame(encodeAudioFrame(1, 'abc', 12345, samples).buffer as ArrayBuffer);
    expect(f).toMatchObject({ kind: 1, id: 'abc', startSample: 12345 });
    expect(Array.from(f.samples)).toEqual(Array.from(samples));
  });
});

describe('static files', () => {
  const root = tempDir('synth-page-');
  writeFileSync(join(root, 'index.html'), '<p>page</p>');
  writeFileSync(join(root, 'app.js'), 'x');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, '..', 'secret.js'), 'no');

  it('serves the page folder and nothing outside it, also when the path is encoded', () => {
    expect(resolveStatic(root, 'GET', '/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(resolveStatic(root, 'GET', '/app.js?v=1')).toMatchObject({ status: 200 });
    for (const path of ['/../secret.js', '/..%2fsecret.js', '/%2e%2e/secret.js', '/sub/../../secret.js', '/%2e%2e%5csecret.js', '/app.js%00.html']) {
      expect(resolveStatic(root, 'GET', path).status, path).toBeGreaterThanOrEqual(400);
    }
    expect(resolveStatic(root, 'GET', '/%zz').status).toBe(400);
    expect(resolveStatic(root, 'POST', '/').status).toBe(405);
    expect(resolveStatic(root, 'GET', '/missing.js').status).toBe(404);
    expect(resolveStatic(root, 'GET', '/sub').status).toBe(404);
  });
});
