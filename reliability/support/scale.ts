/**
 * How hard the reliability suite pushes: `RELIABILITY_SCALE=full` (npm run test:reliability) runs the issue's
 * figures; anything else (npm test, CI) runs the same code paths with fewer rounds, requests and bytes.
 * Must never: change what a test checks, only how much of it it does.
 */
export type Scale = 'ci' | 'full';

export const SCALE: Scale = process.env['RELIABILITY_SCALE'] === 'full' ? 'full' : 'ci';

const full = SCALE === 'full';
export const MiB = 1024 * 1024;

/** Every figure that differs between the full run and the CI subset, in one place. */
export const figures = {
  /** SIGKILL rounds, and uploads kept in flight (plain, tus and vault chunks mixed). */
  powerCut: { rounds: full ? 20 : 3, concurrentUploads: full ? 200 : 60 },
  /** Malformed requests across the route list. */
  fuzz: { requests: full ? 10_000 : 1_500 },
  /** The resumable upload through the flaky proxy, and plain uploads retried through it. */
  flakyNetwork: { tusBytes: full ? 500 * MiB : 24 * MiB, plainUploads: full ? 40 : 10 },
  /** Sockets held open by slow clients (cheap: the same in both). */
  slowLoris: { sockets: 50 },
  /** Uploads during each lock, and the length of the lock shorter than the busy timeout. */
  database: { uploadsDuringLock: full ? 60 : 16, lockMs: full ? 4_000 : 2_000 },
  /** Phones backing up at once, files per phone (sizes are a quarter in CI), family accounts. */
  load: { phones: 50, filesPerPhone: full ? 24 : 4, accounts: 10 },
} as const;

/**
 * Upper bounds asserted on the server's peak resident memory (VmHWM, MiB). The server idles at about 150 MiB
 * here; each bound leaves room for the work of its test but would catch a body buffered in memory.
 */
export const rssBoundsMiB = {
  /** 10,000 malformed requests, some with bodies of over 1 MiB. */
  fuzz: 400,
  /** 50 phones, up to 100 uploads in flight, files of up to 24 MiB. */
  load: 600,
  /** A 500 MiB upload, never held in memory. */
  flakyNetwork: 400,
  /** The media pipeline refusing a 900-megapixel image. */
  hostileMedia: 700,
} as const;

/** Per-test time limit: the full run is long on purpose; CI must stay well inside its budget. */
export const TEST_TIMEOUT_MS = full ? 30 * 60_000 : 5 * 60_000;
