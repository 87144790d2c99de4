/**
 * What `npm run bench` measures, from flags and environment:
 *   --photos N      photos in the upload phase (default 1000; BENCH_QUICK=1 → 100)
 *   --big-mib N     size of the single big upload in MiB (default 2048; quick → 256)
 *   --files N       the large library size for listing (default 20000; quick → 2000)
 *   --crypto-mib N  the file encrypted by the crypto passes, and the chunks sent to the chunk stores, in MiB
 *                   (default 1024; quick → 128)
 *   --unchanged N   files of the backup re-run over an unchanged tree (default 10000; quick → 1000)
 *   --only a,b      run only these phases (uploads, listing, crypto, chunks, backup); the report is printed
 *                   but docs/BENCHMARKS.md is written only by a run of every phase
 * The backup phase backs up as many photos as the upload phase sends (--photos).
 * Every count is bounded, so a typo cannot fill the disk or run for hours.
 */
import { parseArgs } from 'node:util';

export const PHASES = ['uploads', 'listing', 'crypto', 'chunks', 'backup'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  readonly quick: boolean;
  readonly phases: ReadonlySet<Phase>;
  readonly photos: number;
  readonly photoBytes: number;
  readonly photoPool: number;
  readonly clients: number;
  readonly bigBytes: number;
  readonly listingSizes: readonly number[];
  readonly listingRequests: number;
  readonly cryptoBytes: number;
  readonly chunksInFlight: number;
  readonly unchangedFiles: number;
  readonly unchangedFileBytes: number;
}

function bounded(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      photos: { type: 'string' },
      'big-mib': { type: 'string' },
      files: { type: 'string' },
      'crypto-mib': { type: 'string' },
      unchanged: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const quick = env['BENCH_QUICK'] === '1';
  const largeLibrary = bounded(values.files, '--files', quick ? 2_000 : 20_000, 1_000, 200_000);
  return {
    quick,
    phases: parsePhases(values.only),
    photos: bounded(values.photos, '--photos', quick ? 100 : 1_000, 1, 20_000),
    photoBytes: 3_000_000,
    photoPool: 50,
    clients: 4,
    bigBytes: bounded(values['big-mib'], '--big-mib', quick ? 256 : 2_048, 1, 16_384) * 2 ** 20,
    listingSizes: [300, largeLibrary],
    listingRequests: quick ? 100 : 500,
    cryptoBytes: bounded(values['crypto-mib'], '--crypto-mib', quick ? 128 : 1_024, 2, 16_384) * 2 ** 20,
    chunksInFlight: 8,
    unchangedFiles: bounded(values.unchanged, '--unchanged', quick ? 1_000 : 10_000, 1, 100_000),
    unchangedFileBytes: 4_096,
  };
}

function parsePhases(text: string | undefined): ReadonlySet<Phase> {
  if (text === undefined) return new Set(PHASES);
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--only: expected some of ${PHASES.join(', ')}, got "${text}"`);
  }
  return new Set(names as Phase[]);
}

/** The command line that reproduces this run, for the report. */
export function commandLine(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const prefix = env['BENCH_QUICK'] === '1' ? 'BENCH_QUICK=1 ' : '';
  return `${prefix}npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
}
