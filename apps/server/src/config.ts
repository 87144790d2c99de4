/**
 * Server configuration from environment variables (and an optional `.env` in the working directory).
 * Every variable is documented in the README's "Configuration" section; defaults need no setup at all.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadUpdateConfig, type UpdateConfig } from './services/update/update-config.ts';
import { fileURLToPath } from 'node:url';

/** The web app's build output in this repository (`npm start` builds it when missing or stale). */
const BUILT_WEB_APP = fileURLToPath(new URL('../../web/dist', import.meta.url));

export type TrustProxy = boolean | number | string[];

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly uploadDir: string;
  /** StealthCloud ciphertext chunks. */
  readonly vaultDir: string;
  /** Derived images (thumbnails and previews); removable, they are made again. */
  readonly thumbDir: string;
  /** Resumable (tus) uploads in progress. */
  readonly tusDir: string;
  /** A partial resumable upload that received no bytes for this long is deleted (TUS_EXPIRY_HOURS). */
  readonly tusExpiryMs: number;
  readonly dbPath: string;
  /** The built web app served at `/` (WEB_DIR). */
  readonly webDir: string;
  /** Undefined → a random secret is generated once and kept in `{dataDir}/jwt-secret` (0600). */
  readonly jwtSecret: string | undefined;
  readonly maxUploadBytes: number;
  readonly registration: 'open' | 'closed';
  readonly trustProxy: TrustProxy;
  readonly corsOrigins: readonly string[];
  readonly authRateLimit: { readonly perAddress: number; readonly perEmail: number; readonly windowMs: number };
  readonly shutdownGraceMs: number;
  readonly logLevel: string;
  /** The media pipeline: jobs run at once (MEDIA_CONCURRENCY) and the optional tools it calls. */
  readonly media: {
    readonly concurrency: number;
    readonly ffmpegPath: string;
    readonly ffprobePath: string;
    readonly exiftoolPath: string;
  };
  /** Release-feed checks (PHOTOSYNC_UPDATE_CHECK, PHOTOSYNC_UPDATE_URL). */
  readonly update: UpdateConfig;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** "500MB", "4GiB", "1048576" → bytes. */
export function parseSize(text: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match?.[1] || unit === undefined)
    throw new ConfigError(`${name}: expected a size like 4GiB or 500MB, got "${text}"`);
  return Math.floor(Number(match[1]) * unit);
}

function parseInteger(
  text: string | undefined,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name}: expected an integer ${range}, got "${text}"`);
  }
  return value;
}

/** TRUST_PROXY: unset/false, true, a hop count, or a comma list of proxy addresses/CIDRs. */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A positive number of hours (fractions allowed) → milliseconds. */
function parseHours(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback * 3_600_000;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new ConfigError(`${name}: expected a positive number of hours, got "${text}"`);
  }
  return Math.round(hours * 3_600_000);
}

function parseRegistration(text: string | undefined): 'open' | 'closed' {
  const value = (text ?? 'open').trim().toLowerCase();
  if (value === 'open' || value === 'closed') return value;
  throw new ConfigError(`PHOTOSYNC_REGISTRATION: expected "open" or "closed", got "${text}"`);
}

/** Read configuration from `env`; relative paths resolve against `cwd`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const dataDir = resolve(cwd, env['PHOTOSYNC_DATA_DIR'] || 'data');
  const jwtSecret = env['JWT_SECRET'] || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters (or unset it to have one generated)');
  }
  return {
    host: env['HOST'] || '0.0.0.0',
    port: parseInteger(env['PORT'], 'PORT', 3000, 0, 65_535),
    dataDir,
    uploadDir: resolve(dataDir, env['UPLOAD_DIR'] || 'uploads'),
    vaultDir: resolve(dataDir, env['VAULT_DIR'] || 'vault'),
    thumbDir: resolve(dataDir, env['THUMB_DIR'] || 'thumbs'),
    tusDir: resolve(dataDir, env['TUS_DIR'] || 'tus'),
    tusExpiryMs: parseHours(env['TUS_EXPIRY_HOURS'], 'TUS_EXPIRY_HOURS', 24),
    dbPath: resolve(dataDir, env['DB_PATH'] || 'backup.db'),
    webDir: env['WEB_DIR'] ? resolve(cwd, env['WEB_DIR']) : BUILT_WEB_APP,
    jwtSecret,
    maxUploadBytes: env['MAX_UPLOAD_SIZE'] ? parseSize(env['MAX_UPLOAD_SIZE'], 'MAX_UPLOAD_SIZE') : 64 * 2 ** 30,
    registration: parseRegistration(env['PHOTOSYNC_REGISTRATION']),
    trustProxy: parseTrustProxy(env['TRUST_PROXY']),
    corsOrigins: (env['CORS_ORIGINS'] ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    authRateLimit: {
      perAddress: parseInteger(env['AUTH_RATE_LIMIT_PER_IP'], 'AUTH_RATE_LIMIT_PER_IP', 30, 1),
      perEmail: parseInteger(env['AUTH_RATE_LIMIT_PER_EMAIL'], 'AUTH_RATE_LIMIT_PER_EMAIL', 10, 1),
      windowMs: 15 * 60_000,
    },
    shutdownGraceMs: parseInteger(env['SHUTDOWN_GRACE_MS'], 'SHUTDOWN_GRACE_MS', 10_000),
    logLevel: env['LOG_LEVEL'] || 'info',
    media: {
      concurrency: parseInteger(env['MEDIA_CONCURRENCY'], 'MEDIA_CONCURRENCY', 2, 1, 64),
      ffmpegPath: env['FFMPEG_PATH'] || 'ffmpeg',
      ffprobePath: env['FFPROBE_PATH'] || 'ffprobe',
      exiftoolPath: env['EXIFTOOL_PATH'] || 'exiftool',
    },
    update: loadUpdateConfig(env),
  };
}

/** Load `.env` from `cwd` into process.env when present; variables already set win. */
export function loadDotEnv(cwd = process.cwd()): void {
  const path = resolve(cwd, '.env');
  if (existsSync(path)) process.loadEnvFile(path);
}
