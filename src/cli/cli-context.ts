/** What commands may touch of the process: passed in so that tests can run the CLI in-process. */
export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal (live status lines allowed). */
  stderrIsTty: boolean;
  verbose: boolean;
  /** Registers cleanup for Ctrl-C / SIGTERM; returns a function that unregisters it. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void;
}
