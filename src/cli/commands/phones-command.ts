import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseChoice } from '../cli-errors.js';
import { DEFAULT_MODEL_DIR } from '../default-model.js';
import { readTextInput } from '../text-input.js';

interface PhonesFlags {
  text?: string;
  textFile?: string;
  phones?: string;
  durations?: string;
  out?: string;
  model?: string;
}

/**
 * `synth phones`: the text front end on its own. `--text`/`--text-file` writes the timed phones the
 * bundle would speak; `--phones in.lab --durations predict` keeps a label file's symbols and replaces their
 * timing by the duration model's. The output format follows --out's extension.
 */
export function registerPhonesCommand(program: Command, context: CliContext): void {
  program
    .command('phones')
    .description('text to timed phones (or new timing for a label file), written in any label format (.phn .lab .segs .TextGrid .json)')
    .option('--text <text>', 'the text to turn into phones')
    .option('--text-file <file>', 'a text file (plain text, or festvox prompts `( id "text" )`)')
    .option('--phones <file>', 'a label file whose phones keep their symbols')
    .option('--durations <how>', 'with --phones: predict (the duration model times them) | keep (default for text: predict)')
    .option('--out <file>', 'where to write; the extension picks the format (default: .lab on stdout)')
    .option('--model <dir>', 'the bundle with the text front end (default: the shipped model)')
    .action(async (flags: PhonesFlags) => {
      const sources = [flags.text !== undefined, flags.textFile !== undefined, flags.phones !== undefined].filter(Boolean).length;
      if (sources !== 1) throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--text', message: `give exactly one of --text, --text-file and --phones (got ${sources})` });
      const durations = parseChoice('--durations', flags.durations, ['predict', 'keep'] as const) ?? 'predict';
      const { labelFormatOfPath, formatLabels } = await import('../../data/labels/write-labels.js');
      const format = flags.out ? labelFormatOfPath(flags.out) : 'htk';
      const dir = flags.model ?? DEFAULT_MODEL_DIR;
      const { readManifestFile } = await import('../../export/read-bundle-weights.js');
      const manifest = readManifestFile(dir);
      const { TextFrontEnd } = await import('../../engine/text-plan.js');
      const frontEnd = await TextFrontEnd.load(dir, manifest);
      const rate = manifest.spec.sampleRateHz;
      let segments: Array<{ startSample: number; endSample: number; phone: string }> = [];
      try {
        if (flags.phones) {
          const { readLabelFile } = await import('../../data/labels/read-labels.js');
          const { mapPhonesToSet } = await import('../../data/phones/phone-mapping.js');
          const { PHONE_SETS } = await import('../../data/phones/phone-sets.js');
          const labels = await readLabelFile(flags.phones, { sampleRateHz: rate });
          const mapped = mapPhonesToSet(labels.segments, PHONE_SETS[frontEnd.text.phoneSet], { path: flags.phones }).segments;
          segments = mapped;
          if (durations === 'predict') {
            const { labelPhones } = await import('../../text/duration-features.js');
            const predicted = await frontEnd.durations(labelPhones(mapped.map((s) => s.phone)));
            let at = 0;
            // Leading and trailing silences keep their length: they are the recording's, not the speaker's.
            segments = mapped.map((s, i) => {
              const edge = i === 0 || i === mapped.length - 1;
              const length = edge ? s.endSample - s.startSample : Math.max(80, Math.round((predicted[i] as number) * rate));
              const out = { startSample: at, endSample: at + length, phone: s.phone };
              at += length;
              return out;
            });
          }
        } else {
          const text = await readTextInput(flags.text, flags.textFile);
          const normalized = frontEnd.normalize(text);
          for (const w of normalized.warnings) context.stderr.write(`synth: warning: ${w}\n`);
          if (normalized.sentences.length === 0) throw new UsageError({ code: 'E_TEXT_EMPTY', where: flags.textFile ?? '--text', message: 'the text has no words to speak', hint: 'give English text' });
          let at = 0;
          for (const sentence of normalized.sentences) {
            const plan = await frontEnd.plan(sentence);
            if (plan.guessed.length > 0) context.stderr.write(`synth: note: not in the lexicon, spoken by letter-to-sound: ${plan.guessed.join(', ')}\n`);
            for (const s of plan.segments) segments.push({ startSample: s.startSample + at, endSample: s.endSample + at, phone: s.phone });
            at = segments[segments.length - 1]?.endSample ?? at;
          }
        }
      } finally {
        await frontEnd.dispose();
      }
      const text = formatLabels(segments, format, rate);
      if (flags.out) {
        const { writeFileAtomic } = await import('../../core/atomic-write.js');
        await writeFileAtomic(flags.out, text);
        context.stderr.write(`wrote ${segments.length} phones (${((segments[segments.length - 1]?.endSample ?? 0) / rate).toFixed(2)} s) to ${flags.out}\n`);
      } else context.stdout.write(text);
    });
}
