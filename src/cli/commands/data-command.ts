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
        const problems = rest.problems.map(({ utterance, message }) => ({ utterance, message }));
        context.stdout.write(`${JSON.stringify({ ...rest, problems, layout: stats.layout, unlabelledAudio, ...(options.list ? { ids: corpus.utterances.map((u) => u.id) } : {}) })}\n`);
        return;
      }
      context.stdout.write(formatStats(stats));
      if (options.list) context.stdout.write(`\nutterances:\n${corpus.utterances.map((u) => `  ${u.id}`).join('\n')}\n`);
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
  lines.push(`problems      ${errors.length} unreadable utterance(s), ${warnings.length} warning(s)`);
  for (const p of stats.problems) lines.push(`  ${p.severity === 'error' ? 'error  ' : 'warning'} ${p.utterance}: ${p.message}`);
  if (stats.unlabelledAudio.length > 0) {
    lines.push(`unlabelled    ${stats.unlabelledAudio.length} audio file(s) without labels: ${stats.unlabelledAudio.slice(0, 3).join(', ')}${stats.unlabelledAudio.length > 3 ? ', ...' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
