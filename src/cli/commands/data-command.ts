import type { Command } from 'commander';
import type { CorpusStats } from '../../data/corpus/corpus-stats.js';
import type { CliContext } from '../cli-context.js';

/** `synth data ...`: inspect corpora. */
export function registerDataCommand(program: Command, context: CliContext): void {
  const data = program.command('data').description('inspect speech corpora (recordings with phone labels)');
  data
    .command('stats')
    .description('count utterances, duration, sample rates and phones of a corpus, and list label problems')
    .argument('<dir>', 'corpus folder (TIMIT, CMU ARCTIC, or flat wav + label pairs)')
    .option('--json', 'print one JSON object instead of a table')
    .option('--list', 'also list every utterance id')
    .action(async (dir: string, options: { json?: boolean; list?: boolean }) => {
      const { scanCorpus } = await import('../../data/corpus/scan-corpus.js');
      const { computeCorpusStats } = await import('../../data/corpus/corpus-stats.js');
      const corpus = await scanCorpus(dir);
      const stats = await computeCorpusStats(corpus);
      if (options.json) {
        const { root: _root, layout: _layout, unlabelledAudio, ...rest } = stats;
        const problems = rest.problems.map(({ utterance, message, kind, ranges }) => ({ utterance, kind, message, ...(ranges ? { ranges } : {}) }));
        context.stdout.write(`${JSON.stringify({ ...rest, problems, layout: stats.layout, unlabelledAudio, ...(options.list ? { ids: corpus.utterances.map((u) => u.id) } : {}) })}\n`);
        return;
      }
      context.stdout.write(formatStats(stats));
      if (options.list) context.stdout.write(`\nutterances:\n${corpus.utterances.map((u) => `  ${u.id}`).join('\n')}\n`);
    });
  registerRepairCommand(data, context);
}

/** `synth data repair DIR --out DIR2`. */
function registerRepairCommand(data: Command, context: CliContext): void {
  data
    .command('repair')
    .description('write a repaired copy of a corpus: recordings stored with the wrong byte order are fixed, everything else copied; repairs.json lists the changes (DIR is never written)')
    .argument('<dir>', 'corpus folder')
    .requiredOption('--out <dir>', 'new or empty folder for the repaired copy')
    .action(async (dir: string, options: { out: string }) => {
      const { repairCorpus } = await import('../../data/corpus/repair-corpus.js');
      const report = await repairCorpus(dir, options.out);
      for (const r of report.repaired) context.stdout.write(`repaired  ${r.utterance}: ${r.kind}, samples ${r.ranges.map(([a, b]) => `${a}-${b}`).join(', ')}\n`);
      for (const r of report.notRepaired) context.stdout.write(`left as is ${r.utterance}: ${r.kind}: ${r.message}\n`);
      context.stdout.write(`${report.repaired.length} recording(s) repaired, ${report.notRepaired.length} problem(s) left; the copy and repairs.json are in ${options.out}\n`);
    });
}

export function formatStats(stats: CorpusStats): string {
  const lines: string[] = [];
  lines.push(`corpus        ${stats.root} (${stats.layout} layout)`);
  lines.push(`utterances    ${stats.utterances}`);
  lines.push(`duration      ${stats.durationSeconds.toFixed(2)} s`);
  lines.push(`sample rates  ${stats.sampleRates.join(', ') || '-'} Hz`);
  const phones = Object.entries(stats.phones);
  lines.push(`phones        ${phones.length} symbols`);
  for (const [phone, p] of phones) lines.push(`  ${phone.padEnd(6)} ${String(p.count).padStart(6)}  ${p.seconds.toFixed(3).padStart(9)} s`);
  const errors = stats.problems.filter((p) => p.severity === 'error');
  const warnings = stats.problems.filter((p) => p.severity === 'warning');
  const recordings = new Set(stats.problems.filter((p) => p.severity === 'recording').map((p) => p.utterance));
  lines.push(`problems      ${errors.length} unreadable utterance(s), ${recordings.size} damaged recording(s), ${warnings.length} label warning(s)`);
  const tag = { error: 'error    ', recording: 'recording', warning: 'warning  ' } as const;
  for (const p of stats.problems) lines.push(`  ${tag[p.severity]} ${p.utterance}: ${p.severity === 'recording' ? `${p.kind}: ` : ''}${p.message}`);
  if (recordings.size > 0) lines.push(`              training and evaluation skip damaged recordings; \`synth data repair ${stats.root} --out DIR\` writes a repaired copy`);
  if (stats.unlabelledAudio.length > 0) {
    lines.push(`unlabelled    ${stats.unlabelledAudio.length} audio file(s) without labels: ${stats.unlabelledAudio.slice(0, 3).join(', ')}${stats.unlabelledAudio.length > 3 ? ', ...' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
