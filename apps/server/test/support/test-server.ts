/**
 * Test harness: a real server (real SQLite, real files) on a fresh temporary data directory.
 * `inject` for in-process HTTP; `listen()` for a real loopback port when streaming matters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, createContext, loadConfig, type ServerContext } from '../../src/index.ts';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly context: ServerContext;
  readonly dataDir: string;
  /** Start listening on 127.0.0.1 (random port) and return the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'photosync-test-')));
  const config = loadConfig({ PHOTOSYNC_DATA_DIR: dir, ...env });
  const context = await createContext(config);
  const app = await buildApp(context);
  await app.ready();
  return {
    app,
    context,
    dataDir: dir,
    listen: async () => {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      return `http://127.0.0.1:${address.port}`;
    },
    close: async () => {
      await app.close();
      await context.close();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  readonly token: string;
  readonly userId: number;
  readonly deviceUuid: string;
  readonly email: string;
  /** Headers that authenticate as this session. */
  readonly headers: Record<string, string>;
}

let counter = 0;

/** Register a fresh account through the API and return its session. */
export async function registerUser(
  app: FastifyInstance,
  overrides: { email?: string; password?: string; deviceUuid?: string; hardwareId?: string } = {},
): Promise<Session> {
  counter += 1;
  const email = overrides.email ?? `user${counter}-${process.pid}@example.com`;
  const deviceUuid = overrides.deviceUuid ?? `device-${counter}-${process.pid}`;
  const response = await app.inject({
    method: 'POST',
    url: '/api/register',
    payload: {
      email,
      password: overrides.password ?? 'correct-horse-1',
      device_uuid: deviceUuid,
      ...(overrides.hardwareId ? { hardware_device_id: overrides.hardwareId } : {}),
    },
  });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  const { token, userId } = response.json<{ token: string; userId: number }>();
  return {
    token,
    userId,
    deviceUuid,
    email,
    headers: { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid },
  };
}

/** Upload bytes through the raw route. */
export function uploadRaw(
  app: FastifyInstance,
  session: Session,
  filename: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/api/upload/raw',
    headers: { ...session.headers, 'x-filename': filename, 'content-type': 'application/octet-stream', ...headers },
    payload: body,
  });
}

/** Upload bytes through the multipart route (field `file`). */
export function uploadMultipart(
  app: FastifyInstance,
  session: Session,
  filename: string,
  body: Buffer,
  field = 'file',
) {
  const boundary = `----photosync${Date.now()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), body, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return app.inject({
    method: 'POST',
    url: '/api/upload',
    headers: { ...session.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}
