import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../core/errors.js';
import type { CliContext } from './cli-context.js';
import { reportError } from './cli-errors.js';
import { registerDataCommand } from './commands/data-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerExperimentCommand } from './commands/experiment-command.js';
import { registerExportCommand } from './commands/export-command.js';
import { registerTuneCommand } from './commands/tune-command.js';
import { addSynthOptions, runSynth, type SynthFlags } from './commands/synth-command.js';
import { InterruptedRun, registerTrainCommand } from './commands/train-command.js';
import { registerTrainFramesCommand } from './commands/train-frames-command.js';
import { registerTrainTextCommand } from './commands/train-text-command.js';
import { registerPhonesCommand } from './commands/phones-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { PACKAGE_VERSION } from './package-version.js';

/** Build the command tree. Heavy modules (tfjs, onnxruntime) are imported lazily inside actions. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('synth');
  program
    .description('sample-by-sample speech synthesis with small recurrent networks')
    .version(PACKAGE_VERSION, '-V, --version')
    .option('--verbose', 'print stack traces and more detail')
    .showHelpAfterError(false)
    // Root options (the synthesis flags) only before a subcommand, so `train --out` belongs to train.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.stdout.write(s),
      // Commander's own error text is replaced by our one-line report.
      writeErr: () => undefined,
      outputError: () => undefined,
    });
  addSynthOptions(program).action(async (flags: SynthFlags & { verbose?: boolean }) => {
    const { verbose: _verbose, ...given } = flags;
    if (Object.keys(given).length === 0) {
      program.outputHelp();
      return;
    }
    await runSynth(flags, context);
  });
  registerDataCommand(program, context);
  registerTrainCommand(program, context);
  registerTrainFramesCommand(program, context);
  registerTrainTextCommand(program, context);
  registerPhonesCommand(program, context);
  registerServeCommand(program, context);
  registerExportCommand(program, context);
  registerEvalCommand(program, context);
  registerTuneCommand(program, context);
  registerExperimentCommand(program, context);
  for (const sub of program.commands) applyExitOverride(sub, context);
  return program;
}

function applyExitOverride(command: Command, context: CliContext): void {
  command.exitOverride().configureOutput({
    writeOut: (s) => context.stdout.write(s),
    writeErr: () => undefined,
    outputError: () => undefined,
  });
  for (const sub of command.commands) applyExitOverride(sub, context);
}

/** Run the CLI; resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const verbose = argv.includes('--verbose');
  const program = buildProgram({ ...context, verbose });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')) {
      return EXIT_CODES.ok;
    }
    if (error instanceof CommanderError && error.code === 'commander.executeSubCommandAsync') return error.exitCode;
    if (error instanceof InterruptedRun) return error.exitCode;
    const report = reportError(error, verbose);
    context.stderr.write(`${report.line}\n`);
    return report.exitCode;
  }
}
