import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { UtteranceRef } from '../../data/corpus/corpus-types.js';
import type { Engine } from '../../engine/engine.js';
import type { CliContext } from '../cli-context.js';

const num = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** `synth eval --from-text`: the text figures per utterance and pooled, as a table (or JSON). */
export async function evaluateTextCommand(
  engine: Engine, refs: readonly UtteranceRef[], options: { data: string; prompts?: string; rngSeed: number; temperature?: number; json: boolean; report?: string }, context: CliContext,
): Promise<void> {
  const promptsPath = options.prompts ?? join(options.data, 'prompts.data');
  if (!existsSync(promptsPath)) throw new UsageError({ code: 'E_OPTION_MISSING', where: '--prompts', message: `no prompts at ${promptsPath}`, hint: 'give --prompts FILE (festvox format)' });
  const { parsePrompts } = await import('../../text/read-text.js');
  const prompts = new Map((parsePrompts(readFileSync(promptsPath, 'utf8')) ?? []).map((p) => [p.id, p.text]));
  const { TextFrontEnd } = await import('../../engine/text-plan.js');
  const { evaluateTextUtterance } = await import('../../report/evaluate-text.js');
  const frontEnd = await TextFrontEnd.load(engine.bundle.dir, engine.manifest);
  const rows = [];
  try {
    for (const ref of refs) {
      const text = prompts.get(ref.id);
      if (text === undefined) {
        context.stderr.write(`synth: note: ${ref.id} has no prompt in ${promptsPath}; left out\n`);
        continue;
      }
      const r = await evaluateTextUtterance(engine, frontEnd, ref, text, { rngSeed: options.rngSeed, ...(options.temperature !== undefined ? { temperature: options.temperature } : {}) });
      rows.push(r);
      if (options.report) {
        const { wavBytes } = await import('../../report/report-writer.js');
        const { writeFileAtomic } = await import('../../core/atomic-write.js');
        const { mkdirSync } = await import('node:fs');
        mkdirSync(options.report, { recursive: true });
        await writeFileAtomic(join(options.report, `${ref.id.replace(/[^\w.-]+/g, '_')}-from-text.wav`), wavBytes(r.signal, engine.manifest.spec.sampleRateHz));
      }
    }
  } finally {
    await frontEnd.dispose();
  }
  const errors = rows.reduce((n, r) => n + r.phoneErrors, 0);
  const length = rows.reduce((n, r) => n + r.labelledPhones, 0);
  const { durationFiguresMs } = await import('../../metrics/text-figures.js');
  const dur = durationFiguresMs(rows.flatMap((r) => r.durations.predicted), rows.flatMap((r) => r.durations.labelled));
  const pooled = {
    per_pct: length > 0 ? (100 * errors) / length : Number.NaN,
    dur_rmse_ms: dur.dur_rmse_ms,
    dur_corr: dur.dur_corr,
    mel_dist_dtw_db: rows.reduce((s, r) => s + r.mel_dist_dtw_db, 0) / Math.max(1, rows.length),
  };
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ utterances: rows.map(({ signal: _s, truth: _t, durations: _d, ...figures }) => figures), pooled })}\n`);
    return;
  }
  const header = `${'utterance'.padEnd(16)} ${['per %', 'dur rmse ms', 'dur corr', 'dtw mel dB'].map((h) => h.padStart(12)).join(' ')}`;
  const line = (id: string, f: { per_pct: number; dur_rmse_ms: number; dur_corr: number; mel_dist_dtw_db: number }): string =>
    `${id.padEnd(16)} ${[num(f.per_pct), num(f.dur_rmse_ms, 1), num(f.dur_corr, 3), num(f.mel_dist_dtw_db)].map((c) => c.padStart(12)).join(' ')}`;
  context.stdout.write(`${[header, ...rows.map((r) => line(r.id, r)), line('pooled', pooled)].join('\n')}\n`);
}
