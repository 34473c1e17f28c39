import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, writeToneUtterance } from '../helpers/fixtures.js';

describe('synth data stats (black box)', () => {
  it('prints the documented JSON object', async () => {
    const root = tempDir();
    writeToneUtterance(root, 'one', [['h#', 800], ['aa', 800]], 16000, 160);
    writeToneUtterance(root, 'two', [['h#', 1600]]);
    const run = await runCli(['data', 'stats', root, '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout.toString());
    expect(stats).toMatchObject({
      utterances: 2,
      durationSeconds: 0.21,
      sampleRates: [16000],
      phones: { 'h#': { count: 3, seconds: 0.16 }, aa: { count: 1, seconds: 0.05 } },
      problems: [{ utterance: 'one', message: expect.stringMatching(/unlabelled tail of 160 samples \(10.0 ms\) labelled as h#/) }],
    });
  });

  it('fails with one line and a distinct exit code on a missing folder, and on unknown flags', async () => {
    const missing = await runCli(['data', 'stats', '/nonexistent/corpus']);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/\/nonexistent\/corpus: the corpus folder does not exist/);
    const unknown = await runCli(['data', 'stats', '.', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
    expect(unknown.stderr).not.toMatch(/at .*\.js/);
  });

  it('has --help on every command', async () => {
    for (const args of [['--help'], ['data', '--help'], ['data', 'stats', '--help'], ['train', '--help'], ['export', '--help']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout.toString()).toMatch(/Usage: synth/);
    }
  });
});
