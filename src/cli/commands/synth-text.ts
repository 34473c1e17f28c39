import { filter, type Subscription } from 'rxjs';
import { UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { parseChoice, parseNumberOption } from '../cli-errors.js';
import { DEFAULT_MODEL_DIR } from '../default-model.js';
import { openSinks } from '../open-sinks.js';
import { closeSinksNow, runUntilSignal } from '../run-until-signal.js';
import { ProgressLine } from '../progress-line.js';
import { textSentences } from '../text-input.js';
import type { SynthFlags } from './synth-command.js';

/**
 * `synth --text "..."` / `--text-file F`: speech from English text, sentence by sentence (the first plays
 * while the next is planned), to the same destinations as --phones. Ctrl-C leaves a valid WAV.
 */
export async function runTextSynth(flags: SynthFlags, context: CliContext): Promise<void> {
  if (flags.text !== undefined && flags.textFile !== undefined) throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--text', message: '--text and --text-file exclude each other' });
  if (flags.phones) throw new UsageError({ code: 'E_OPTION_CONFLICT', where: '--text', message: '--text and --phones exclude each other', hint: 'speak labels with --phones, or text with --text' });
  if (flags.text !== undefined && flags.text.trim() === '') throw new UsageError({ code: 'E_TEXT_EMPTY', where: '--text', message: 'the text is empty', hint: 'give a sentence, e.g. --text "Hello world."' });
  for (const flag of ['seed', 'wav', 'teacherForced', 'condition'] as const) {
    if (flags[flag] !== undefined && flags[flag] !== '0') throw new UsageError({ code: 'E_OPTION_CONFLICT', where: `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, message: 'speaking text takes no recording: the frame network predicts everything from the text' });
  }
  const temperature = flags.mean ? 0 : parseNumberOption('--temperature', flags.temperature, { min: 0, max: 100, exclusiveMin: true });
  const rngSeed = parseNumberOption('--rng-seed', flags.rngSeed, { integer: true, min: 0, max: 2 ** 32 - 1 }) ?? 1;
  const format = parseChoice('--format', flags.format, ['s16le', 'f32le'] as const);
  const backend = parseChoice('--backend', flags.backend, ['wasm', 'ort'] as const);
  const kernelWeights = parseChoice('--kernel-weights', flags.kernelWeights, ['f32', 'int8'] as const);
  const outs = flags.out ?? [];
  const { Engine } = await import('../../engine/engine.js');
  const { TextFrontEnd } = await import('../../engine/text-plan.js');
  const { synthesizeText$ } = await import('../../engine/text-synthesis.js');
  const { writeToSink } = await import('../../audio/operators/write-to-sink.js');
  const { paceRealtime } = await import('../../audio/operators/pace-realtime.js');
  const engine = await Engine.load(flags.model ?? DEFAULT_MODEL_DIR, { ...(backend ? { backend } : {}), ...(kernelWeights ? { kernelWeights } : {}) });
  const progress = new ProgressLine(context.stderr, context.stderrIsTty);
  let frontEnd: import('../../engine/text-plan.js').TextFrontEnd | undefined;
  try {
    frontEnd = await TextFrontEnd.load(engine.bundle.dir, engine.manifest);
    const rate = engine.manifest.spec.sampleRateHz;
    const sinks = await openSinks(outs, { sampleRateHz: rate, streams: 1, format: format ?? 's16le', stdout: context.stdout, log: (line) => progress.log(line) });
    let sentences = 0;
    let audioSamples = 0;
    let firstAudioMs = -1;
    let guessed = 0;
    const began = performance.now();
    let run$ = synthesizeText$(engine, frontEnd, textSentences(flags.text, flags.textFile), { rngSeed, ...(temperature !== undefined ? { temperature } : {}) }, {
      onWarning: (w) => progress.log(`synth: warning: ${w}`),
      onSentence: (s) => {
        sentences++;
        guessed += s.guessed.length;
        if (s.guessed.length > 0 && context.verbose) progress.log(`synth: note: spoken by letter-to-sound: ${s.guessed.join(', ')}`);
      },
    });
    if (flags.realtime) run$ = run$.pipe(paceRealtime({ sampleRateHz: rate }));
    const subscriptions: Subscription[] = [];
    const finished = new Promise<'done'>((resolve, reject) => {
      const counted$ = run$.pipe(
        filter((e) => {
          if (e.type === 'audio' && !e.chunk.seed) {
            if (firstAudioMs < 0) firstAudioMs = performance.now() - began;
            audioSamples += e.chunk.samples[0]?.length ?? 0;
            progress.update(`synth: ${sentences} sentence(s), ${(audioSamples / rate).toFixed(1)} s of audio`);
          }
          return true;
        }),
      );
      // The text run is cold: one subscription, the sinks in a chain (each passes the events on).
      let chain = counted$;
      for (const { sink } of sinks) chain = chain.pipe(writeToSink(sink));
      subscriptions.push(chain.subscribe({ error: reject, complete: () => resolve('done') }));
    });
    const { signal: interrupted } = await runUntilSignal(finished, context, sinks, () => {
      for (const s of subscriptions) s.unsubscribe();
    });
    progress.clear();
    if (interrupted) await closeSinksNow(sinks);
    const wall = (performance.now() - began) / 1000;
    const seconds = audioSamples / rate;
    context.stderr.write(
      `synth: ${interrupted ? 'stopped' : 'done'}: ${sentences} sentence(s), ${seconds.toFixed(2)} s of audio to ${sinks.map(({ sink }) => sink.name).join(', ') || 'nowhere'}; ${engine.backend}\n` +
        `  speed    rtf ${(seconds / Math.max(wall, 1e-9)).toFixed(2)}, first audio ${firstAudioMs.toFixed(1)} ms${guessed > 0 ? `; ${guessed} word(s) by letter-to-sound` : ''}\n`,
    );
    if (sentences === 0 && !interrupted) {
      const { FormatError } = await import('../../core/errors.js');
      throw new FormatError({ code: 'E_TEXT_EMPTY', where: flags.textFile ?? '--text', message: 'the text has no words to speak (only punctuation, symbols or letters outside the English alphabet)', hint: 'give English text' });
    }
    if (interrupted) {
      const { EXIT_CODES } = await import('../../core/errors.js');
      const { InterruptedRun } = await import('./train-command.js');
      throw new InterruptedRun(interrupted === 'SIGINT' ? EXIT_CODES.sigint : EXIT_CODES.sigterm);
    }
  } finally {
    await frontEnd?.dispose();
    await engine.dispose();
  }
}
