/**
 * Phases 1 and 2 for both servers in one run, arranged so that a noisy machine (other processes, disk
 * writeback) hurts both alike: both servers run side by side (each its own process and directory), the
 * big upload goes to each right after its warm-up, and the photo phase is split into rounds that
 * alternate which server goes first (baseline–ours, ours–baseline, ...). Totals sum the rounds.
 * Must never: let both servers take load at the same time, or leave a server running.
 */
import { join } from 'node:path';
import type { BenchOptions } from './options.ts';
import type { PhotoPool } from './payloads.ts';
import { startBaselineServer, startOurServer, type BenchServer } from './server-processes.ts';
import { baselineUploadTarget, ourUploadTarget, signUp, type UploadTarget } from './targets.ts';
import { sumRounds, uploadBig, uploadPhotos, warmUp, type BigResult, type PhotoResult } from './upload-phases.ts';

const PHOTO_ROUNDS = 4;

export type ServerKind = 'ours' | 'baseline';

export type UploadComparison = Record<ServerKind, { readonly photos: PhotoResult; readonly big: BigResult }>;

/** Split `count` uploads into up to PHOTO_ROUNDS consecutive index ranges (also used by other phases). */
export function rounds(count: number): { first: number; count: number }[] {
  const size = Math.ceil(count / Math.min(PHOTO_ROUNDS, count));
  const ranges = [];
  for (let first = 0; first < count; first += size) ranges.push({ first, count: Math.min(size, count - first) });
  return ranges;
}

/** Which server goes first in round `index`: baseline–ours, then ours–baseline, and so on. */
export function turnOrder(index: number): ServerKind[] {
  return index % 2 === 0 ? ['baseline', 'ours'] : ['ours', 'baseline'];
}

async function compare(
  targets: Record<ServerKind, UploadTarget>,
  pool: PhotoPool,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<UploadComparison> {
  const bigUpload = async (kind: ServerKind): Promise<BigResult> => {
    await warmUp(targets[kind], pool, options.clients);
    const result = await uploadBig(targets[kind], options.bigBytes);
    log(
      `  ${kind}: big upload ${result.mbPerSecond.toFixed(1)} MB/s, ` +
        `peak RSS +${(result.rssGrowthBytes / 1e6).toFixed(1)} MB (${result.seconds.toFixed(1)} s)`,
    );
    return result;
  };
  // Sequential on purpose: one server under load at a time.
  const big = { baseline: await bigUpload('baseline'), ours: await bigUpload('ours') };
  const photoRounds: Record<ServerKind, PhotoResult[]> = { baseline: [], ours: [] };
  for (const [index, range] of rounds(options.photos).entries()) {
    for (const kind of turnOrder(index)) {
      const result = await uploadPhotos(targets[kind], pool, range, options.clients);
      photoRounds[kind].push(result);
      log(
        `  round ${index + 1}, ${kind}: ${result.photos} photos at ${result.photosPerSecond.toFixed(1)} photos/s, ` +
          `${result.mbPerSecond.toFixed(1)} MB/s`,
      );
    }
  }
  return {
    baseline: { photos: sumRounds(photoRounds.baseline), big: big.baseline },
    ours: { photos: sumRounds(photoRounds.ours), big: big.ours },
  };
}

/** Start both servers under `workDir`, measure, stop them (their directories are the caller's to remove). */
export async function compareUploads(
  workDir: string,
  pool: PhotoPool,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<UploadComparison> {
  const servers: BenchServer[] = [];
  try {
    const baseline = await startBaselineServer(join(workDir, 'baseline'));
    servers.push(baseline);
    const ours = await startOurServer(join(workDir, 'ours'));
    servers.push(ours);
    const targets = { baseline: baselineUploadTarget(baseline), ours: ourUploadTarget(ours, await signUp(ours)) };
    return await compare(targets, pool, options, log);
  } finally {
    for (const server of servers) await server.stop();
  }
}
