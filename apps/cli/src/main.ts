/**
 * The `photosync` program: one commander program, one module per command under ./commands.
 * Every command runs without prompts (flags + PHOTOSYNC_PASSWORD) and prints plain lines, progress bars on a
 * TTY, or JSON with --json. Errors become a one-line message and a non-zero exit code, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { describeError, exitCodeOf } from './cli-error.ts';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('photosync')
    .description('PhotoSync: self-hosted photo and video backup — server, backup client and administration.')
    .version(await version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`photosync: ${describeError(error)}\n`);
    return exitCodeOf(error);
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
