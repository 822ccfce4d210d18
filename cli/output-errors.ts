/**
 * Failures to write stdout or stderr. Their listeners go on before any hash worker starts
 * (start-workers.ts calls `watchOutput` first): each worker pipes its own output into the
 * process's, adding listeners there with Node's leak warning held off, and a listener added
 * once more than 10 workers had piped would set it off ("MaxListenersExceededWarning") on
 * machines with 11 threads or more.
 */

/** Reports a failure (not EPIPE), once; set by the CLI when it has loaded. */
let report: ((stream: NodeJS.WriteStream, err: NodeJS.ErrnoException) => void) | undefined;
let failed = false;

/** Whether stdout or stderr could not be written (other than a reader that stopped early). */
export const outputFailed = (): boolean => failed;

/** Sets what to do on the first failure. */
export function onOutputFailure(fn: (stream: NodeJS.WriteStream, err: NodeJS.ErrnoException) => void): void {
  report = fn;
}

/**
 * Listens for write failures on stdout and stderr. A reader that stops early (`modelsign
 * digest --json | head -1`) closes the pipe: what is left to print has nowhere to go, and
 * is not a failure.
 */
export function watchOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || failed) return;
      failed = true;
      report?.(stream, err);
    });
  }
}
