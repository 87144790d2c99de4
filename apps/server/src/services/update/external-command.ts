/**
 * Runs the external programs an update needs (tar, npm, node) without a shell unless asked, with their
 * output captured: on failure the error carries the last lines, so the person running the update sees
 * why (for example npm's own message) instead of a bare exit code.
 */
import { spawn } from 'node:child_process';

export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(
    readonly command: string,
    readonly output: string,
    detail: string,
  ) {
    super(`\`${command}\` ${detail}${output ? `:\n${tail(output)}` : ''}`);
  }
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run `command` through the platform shell (for a command line a person configured). */
  readonly shell?: boolean;
}

/** Run a program to completion; resolves with its stdout, rejects with CommandFailed. */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  const label = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: options.shell ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      output += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('error', (error) => reject(new CommandFailed(label, output, `could not start (${error.message})`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new CommandFailed(label, output, signal ? `was killed by ${signal}` : `exited with ${code}`));
    });
  });
}

function tail(output: string, lines = 20): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
