/**
 * Soak test (not in the default test run): synthesize 10 minutes of audio in chunk mode to a WAV file and to
 * /dev/null (raw PCM on stdout), sampling the CLI's RSS every second; then 100 back-to-back syntheses in one
 * process through the Engine API, checking that sessions and memory do not leak.
 *   npx tsx tools/soak.ts [--model DIR] [--minutes M] [--runs N]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, reduce } from 'rxjs';
import { prosodyExtractorFor } from '../src/data/features/feature-layout.js';
import { Engine } from '../src/engine/engine.js';
import { preparePlan } from '../src/engine/prepare-plan.js';
import { DEFAULT_MODEL_DIR } from '../src/cli/default-model.js';
import { tempDir } from '../test/helpers/fixtures.js';
import { machineInfo, round } from './machine.js';
import { assertRunSucceeded, describeRss, longPhoneFile, runWithRss } from './rss-probe.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const model = arg('--model', DEFAULT_MODEL_DIR);
const minutes = Number(arg('--minutes', '10'));
const runs = Number(arg('--runs', '100'));
const dir = tempDir('synth-soak-');
const phones = longPhoneFile(dir, minutes * 60);
const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; model ${model}`);

const wav = join(dir, 'soak.wav');
const toFile = await runWithRss(['--phones', phones, '--seed', '0', '--model', model, '--out', wav, '--metrics', 'json=' + join(dir, 'm.jsonl')]);
assertRunSucceeded('to a WAV file', toFile);
console.log(`${minutes} min to a WAV file: exit ${toFile.code}, ${round(toFile.seconds, 1)} s wall; ${describeRss(toFile)}`);
const toNull = await runWithRss(['--phones', phones, '--seed', '0', '--model', model, '--out', '-', '--metrics', 'json=' + join(dir, 'm2.jsonl')], { stdoutTo: 'ignore' });
assertRunSucceeded('to /dev/null', toNull);
console.log(`${minutes} min to /dev/null (raw PCM): exit ${toNull.code}, ${round(toNull.seconds, 1)} s wall; ${describeRss(toNull)}`);

// 100 back-to-back syntheses in one process.
const engine = await Engine.load(model);
// The CLI runs above chose their backend the same way (auto), so this names theirs too.
const backend = engine.backend;
const rate = engine.manifest.spec.sampleRateHz;
const prosody = await prosodyExtractorFor(engine.manifest.spec.featureSet, rate);
const plan = await preparePlan(engine.manifest, { phonesPath: longPhoneFile(dir, 1, rate), seedSamples: 0, ...(prosody ? { prosodyOf: prosody.extract } : {}) });
const rss: number[] = [];
for (let i = 0; i < runs; i++) {
  await lastValueFrom(engine.synthesize(plan, { rngSeed: i }).pipe(reduce((n) => n + 1, 0)));
  if (i % 10 === 9) {
    (globalThis as { gc?: () => void }).gc?.();
    rss.push(process.memoryUsage().rss / 2 ** 20);
  }
}
await engine.dispose();
console.log(`${runs} back-to-back 1 s syntheses in one process: RSS every 10 runs ${rss.map((v) => round(v, 1)).join(', ')} MB (growth ${round((rss[rss.length - 1] as number) - (rss[0] as number), 1)} MB)`);
rmSync(dir, { recursive: true, force: true });
console.log(`RESULT ${JSON.stringify({ machine, backend, soak_minutes: minutes, rss_mb_start: round(toFile.startMb, 1), rss_mb_peak: round(Math.max(toFile.peakMb, toNull.peakMb), 1), rss_mb_after_10min: round(toFile.endMb, 1), rss_mb_after_10min_devnull: round(toNull.endMb, 1), repeated_runs: runs, repeated_runs_rss_growth_mb: round((rss[rss.length - 1] as number) - (rss[0] as number), 1) })}`);
