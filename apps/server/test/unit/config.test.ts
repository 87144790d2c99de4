/** loadConfig defaults, overrides and refusals; parseSize and parseTrustProxy. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSize, parseTrustProxy } from '../../src/config.ts';

const CWD = '/srv/photosync';

describe('loadConfig', () => {
  it('needs nothing set: port 3000 on all interfaces, data in ./data with backup.db and uploads/', () => {
    const config = loadConfig({}, CWD);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe(join(CWD, 'data'));
    expect(config.dbPath).toBe(join(CWD, 'data', 'backup.db'));
    expect(config.uploadDir).toBe(join(CWD, 'data', 'uploads'));
    expect(config.jwtSecret).toBeUndefined();
    expect(config.registration).toBe('open');
    expect(config.trustProxy).toBe(false);
    expect(config.corsOrigins).toEqual([]);
  });

  it('reads HOST, PORT, PHOTOSYNC_DATA_DIR, registration and CORS origins', () => {
    const config = loadConfig(
      {
        HOST: '127.0.0.1',
        PORT: '8080',
        PHOTOSYNC_DATA_DIR: 'photos',
        PHOTOSYNC_REGISTRATION: 'closed',
        CORS_ORIGINS: 'https://a.example, https://b.example',
      },
      CWD,
    );
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(join(CWD, 'photos'));
    expect(config.dbPath).toBe(join(CWD, 'photos', 'backup.db'));
    expect(config.registration).toBe('closed');
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lets UPLOAD_DIR and DB_PATH override, absolute or relative to the data dir', () => {
    const absolute = loadConfig({ UPLOAD_DIR: '/mnt/photos', DB_PATH: '/var/lib/ps/index.db' }, CWD);
    expect(absolute.uploadDir).toBe('/mnt/photos');
    expect(absolute.dbPath).toBe('/var/lib/ps/index.db');
    const relative = loadConfig({ PHOTOSYNC_DATA_DIR: '/data', UPLOAD_DIR: 'files', DB_PATH: 'db/x.db' }, CWD);
    expect(relative.uploadDir).toBe('/data/files');
    expect(relative.dbPath).toBe('/data/db/x.db');
  });

  it('reads MAX_UPLOAD_SIZE and the auth rate limits', () => {
    const config = loadConfig(
      { MAX_UPLOAD_SIZE: '4GiB', AUTH_RATE_LIMIT_PER_IP: '7', AUTH_RATE_LIMIT_PER_EMAIL: '2' },
      CWD,
    );
    expect(config.maxUploadBytes).toBe(4 * 2 ** 30);
    expect(config.authRateLimit).toMatchObject({ perAddress: 7, perEmail: 2 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '3000.5'],
    ['PORT', '70000'],
    ['MAX_UPLOAD_SIZE', 'lots'],
    ['MAX_UPLOAD_SIZE', '4 parsecs'],
    ['PHOTOSYNC_REGISTRATION', 'maybe'],
    ['AUTH_RATE_LIMIT_PER_IP', '0'],
    ['AUTH_RATE_LIMIT_PER_EMAIL', 'ten'],
    ['SHUTDOWN_GRACE_MS', 'soon'],
    ['JWT_SECRET', 'too-short'],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value }, CWD)).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, CWD)).toThrow(name);
  });
});

describe('parseSize', () => {
  it.each([
    ['4GiB', 4 * 2 ** 30],
    ['500MB', 500e6],
    ['1048576', 1_048_576],
    ['1.5 kib', 1536],
    ['2tb', 2e12],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text, 'X')).toBe(bytes);
  });

  it('refuses what is not a size, naming the variable', () => {
    expect(() => parseSize('big', 'MAX_UPLOAD_SIZE')).toThrow(/MAX_UPLOAD_SIZE/);
    expect(() => parseSize('-5MB', 'MAX_UPLOAD_SIZE')).toThrow(ConfigError);
    expect(() => parseSize('', 'MAX_UPLOAD_SIZE')).toThrow(ConfigError);
  });
});

describe('parseTrustProxy', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    [' 127.0.0.1 , 10.0.0.0/8,', ['127.0.0.1', '10.0.0.0/8']],
  ])('%j → %j', (text, expected) => {
    expect(parseTrustProxy(text)).toEqual(expected);
  });
});
