import { runCli } from './main.js';
import { createProcessContext } from './process-context.js';

/** Entry point of the `synth` binary: the only code that calls process.exit. */
const context = createProcessContext();
const code = await runCli(process.argv.slice(2), context);
// Let stdout drain (a pipe may still hold audio) before exiting with the code.
const finish = (): never => process.exit(code);
if (process.stdout.writableLength > 0) process.stdout.once('drain', finish);
else finish();
