/**
 * Ctrl-C for long commands: the first SIGINT aborts the running operation cleanly (state is flushed, the
 * next run resumes); a second one exits at once. The handler is removed when the command finishes.
 */
import { CliError } from './cli-error.ts';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED = 130;

export interface Interrupt {
  readonly signal: AbortSignal;
  /** Run `operation`; an abort caused by Ctrl-C becomes a one-line CliError with exit code 130. */
  guard<T>(operation: () => Promise<T>): Promise<T>;
  dispose(): void;
}

export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    process.stderr.write('\nStopping… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    guard: async (operation) => {
      try {
        return await operation();
      } catch (error) {
        if (controller.signal.aborted)
          throw new CliError('interrupted; the next run continues where this one stopped', INTERRUPTED);
        throw error;
      }
    },
    dispose: () => process.off('SIGINT', handler),
  };
}
