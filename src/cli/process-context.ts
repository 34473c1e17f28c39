import type { CliContext } from './cli-context.js';

/** The real process as a CliContext: signals are routed to the registered handlers, newest first. */
export function createProcessContext(): CliContext {
  const handlers: Array<(signal: NodeJS.Signals) => void> = [];
  const dispatch = (signal: NodeJS.Signals): void => {
    const handler = handlers[handlers.length - 1];
    if (handler) handler(signal);
    else process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', dispatch);
  process.on('SIGTERM', dispatch);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: Boolean(process.stderr.isTTY),
    verbose: process.argv.includes('--verbose'),
    onSignal(handler) {
      handlers.push(handler);
      return () => {
        const i = handlers.lastIndexOf(handler);
        if (i >= 0) handlers.splice(i, 1);
      };
    },
  };
}
