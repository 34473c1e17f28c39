import { runCli } from './main.js';
import { createProcessContext } from './process-context.js';

/** Entry point of the `synth` binary: the only code that calls process.exit. */
const context = createProcessContext();
// A last line of defence: anything that escapes still ends as one line and exit code 1.
const fatal = (error: unknown): void => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`synth: internal error: ${message}${context.verbose && error instanceof Error ? `\n${error.stack}` : ' (run with --verbose for details)'}\n`);
  process.exit(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
const code = await runCli(process.argv.slice(2), context);
// Let stdout drain (a pipe may still hold audio) before exiting with the code.
const finish = (): never => process.exit(code);
if (process.stdout.writableLength > 0) process.stdout.once('drain', finish);
else finish();
