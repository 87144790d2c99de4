/**
 * Shows the sync engine's progress events: a bar per phase when stderr is a TTY, otherwise a plain line
 * when a phase starts and at most every 10 seconds during it (cron logs stay short), nothing with --json.
 */
import type { ProgressListener, SyncProgress } from '@photosync/client';
import { formatBytes, type Output } from './output.ts';

const PHASE_LABEL: Record<SyncProgress['phase'], string> = {
  scan: 'Scanning',
  hash: 'Hashing',
  check: 'Checking',
  upload: 'Uploading',
  download: 'Downloading',
  verify: 'Verifying',
  done: 'Done',
};
const PLAIN_LINE_EVERY_MS = 10_000;

export interface ProgressDisplay {
  readonly listener: ProgressListener;
  stop(): void;
}

export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
    : `${m}:${String(s).padStart(2, '0')}`;
}

/** "12.0 MB of 200.0 MB, 5.1 MB/s, 0:37 left" — the parts that are known. */
export function describeProgress(progress: SyncProgress): string {
  const parts: string[] = [];
  if (progress.filesTotal > 0) parts.push(`${progress.filesDone}/${progress.filesTotal} files`);
  if (progress.bytesTotal > 0) parts.push(`${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`);
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== undefined && progress.bytesPerSecond > 0)
    parts.push(`${formatDuration(progress.etaSeconds)} left`);
  return parts.join(', ');
}

export function progressDisplay(output: Output, isTTY = process.stderr.isTTY === true): ProgressDisplay {
  if (output.options.json) return { listener: () => undefined, stop: () => undefined };
  if (isTTY) return barDisplay(output);
  let phase: SyncProgress['phase'] | undefined;
  let lastLineAt = 0;
  return {
    listener: (progress) => {
      const now = Date.now();
      if (progress.phase === 'done') return;
      if (progress.phase !== phase || now - lastLineAt >= PLAIN_LINE_EVERY_MS) {
        phase = progress.phase;
        lastLineAt = now;
        const detail = describeProgress(progress) || (progress.phase === 'scan' ? '' : 'nothing to do');
        output.info(`${PHASE_LABEL[progress.phase]}${detail ? `: ${detail}` : ''}`);
      }
    },
    stop: () => undefined,
  };
}

function barDisplay(output: Output): ProgressDisplay {
  let phase: SyncProgress['phase'] | undefined;
  let bar: ReturnType<Output['progress']> | undefined;
  return {
    listener: (progress) => {
      if (progress.phase !== phase) {
        bar?.stop();
        phase = progress.phase;
        bar = progress.phase === 'done' ? undefined : output.progress(PHASE_LABEL[progress.phase], progress.filesTotal);
      }
      bar?.update(progress.filesDone, describeProgress(progress));
    },
    stop: () => bar?.stop(),
  };
}
