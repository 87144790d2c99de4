/**
 * Running the optional system tools the pipeline uses (ffmpeg, ffprobe, exiftool): arguments as an array (no
 * shell, so no file name is ever interpreted), a time limit, cancellation, and a cap on what is collected from
 * stdout so a misbehaving tool cannot fill the server's memory.
 */
import { spawn } from 'node:child_process';

export interface ToolRun {
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface ToolOptions {
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  readonly signal?: AbortSignal;
}

export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    message: string,
    /** The process could not be started (missing binary, no resources) rather than rejecting the input. */
    readonly notStarted: boolean,
    readonly code?: string,
  ) {
    super(message);
  }
}

const STDERR_KEEP = 4096;

/** Run `command args…` and collect its output; rejects with ToolError on a non-zero exit, timeout or abort. */
export function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolRun> {
  const { timeoutMs = 60_000, maxOutputBytes = 64 * 2 ** 20, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ToolError(`${command} was cancelled`, true, 'ABORT_ERR'));
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: ToolError | undefined;
    const stop = (error: ToolError): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new ToolError(`${command} took longer than ${timeoutMs} ms`, false)),
      timeoutMs,
    );
    const onAbort = (): void => stop(new ToolError(`${command} was cancelled`, false, 'ABORT_ERR'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutputBytes) stop(new ToolError(`${command} wrote more than ${maxOutputBytes} bytes`, false));
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
    });
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish();
      reject(new ToolError(`${command} could not be started: ${error.message}`, true, error.code));
    });
    child.on('close', (code) => {
      finish();
      if (failure) reject(failure);
      else if (code !== 0) {
        const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
        reject(new ToolError(`${command} failed (exit ${code})${detail ? `: ${detail}` : ''}`, false));
      } else resolve({ stdout: Buffer.concat(chunks), stderr: stderr.slice(0, STDERR_KEEP) });
    });
  });
}

/** True when `command versionFlag` runs successfully (the tool is installed and works). */
export async function toolWorks(command: string, versionFlag: string): Promise<boolean> {
  try {
    await runTool(command, [versionFlag], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 });
    return true;
  } catch {
    return false;
  }
}
