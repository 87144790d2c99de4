/**
 * How commands talk to people and scripts: `--json` prints one JSON document on stdout; otherwise plain
 * lines, with a progress bar only when stderr is a TTY (cron and pipes get quiet, greppable output).
 */
import { SingleBar } from 'cli-progress';

export interface OutputOptions {
  readonly json: boolean;
}

export class Output {
  constructor(
    readonly options: OutputOptions,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A line for people (suppressed in --json mode, where only the result is printed). */
  info(line: string): void {
    if (!this.options.json) this.stdout.write(`${line}\n`);
  }

  warn(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  /** The command's result: JSON in --json mode, else the given human rendering. */
  result(value: unknown, human: () => string): void {
    this.stdout.write(this.options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  /** A progress bar on a TTY; a no-op otherwise. */
  progress(label: string, total: number): { update(value: number, detail?: string): void; stop(): void } {
    if (this.options.json || !this.stderr.isTTY || total <= 0)
      return { update: () => undefined, stop: () => undefined };
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} {detail}`, stream: this.stderr, hideCursor: true },
      undefined,
    );
    bar.start(total, 0, { detail: '' });
    return { update: (value, detail = '') => bar.update(value, { detail }), stop: () => bar.stop() };
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
