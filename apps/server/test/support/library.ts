/**
 * Helpers for the library tests: where an account's files live, what is on disk, multipart bodies with any
 * file name, and plain node:http requests (real sockets, raw header bytes, streamed bodies).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { Session, TestServer } from './test-server.ts';

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The account's storage uuid, read from the database (never from anything the client sent). */
export async function accountUuid(server: TestServer, session: Session): Promise<string> {
  const row = await server.context.db
    .selectFrom('accounts')
    .select('uuid')
    .where('email', '=', session.email)
    .executeTakeFirstOrThrow();
  return row.uuid;
}

export function accountDir(server: TestServer, uuid: string): string {
  return join(server.dataDir, 'uploads', uuid);
}

/** Names in the account folder, sorted; empty when the folder does not exist. */
export async function filesOnDisk(server: TestServer, uuid: string): Promise<string[]> {
  const names = await readdir(accountDir(server, uuid)).catch(() => []);
  return names.sort();
}

export function readStored(server: TestServer, uuid: string, name: string): Promise<Buffer> {
  return readFile(join(accountDir(server, uuid), name));
}

/** Entries of the staging directory (interrupted or refused uploads must leave none). */
export async function stagingLeftovers(server: TestServer): Promise<string[]> {
  return readdir(join(server.dataDir, 'uploads', '.incoming')).catch(() => []);
}

/** Every file and directory under `root`, as paths relative to it (directories end with `/`). */
export async function walk(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        found.push(`${relative(root, path)}/`);
        await visit(path);
      } else {
        found.push(relative(root, path));
      }
    }
  };
  await visit(root);
  return found.sort();
}

/** Rows of the account's index. */
export function indexRows(server: TestServer, session: Session) {
  return server.context.db
    .selectFrom('assets')
    .innerJoin('accounts', 'accounts.id', 'assets.account_id')
    .select(['assets.filename', 'assets.sha256', 'assets.size', 'assets.mime'])
    .where('accounts.email', '=', session.email)
    .orderBy('assets.filename')
    .execute();
}

/** A multipart/form-data body with one part; the file name goes in as UTF-8 bytes, unescaped. */
export function multipartBody(
  filename: string,
  content: Buffer,
  options: { field?: string; type?: string } = {},
): { payload: Buffer; contentType: string } {
  const boundary = '----photosync-test-boundary-7d1f';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${filename}"\r\n` +
    `Content-Type: ${options.type ?? 'application/octet-stream'}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * One request over a real socket. Header values are written as latin1 bytes by Node, so a UTF-8 name can be
 * sent raw as `Buffer.from(name, 'utf8').toString('latin1')`. A Readable body is streamed (chunked unless a
 * content-length header is given).
 */
export function httpCall(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer | Readable },
): Promise<HttpResult> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { connection: 'close', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    const body = options.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}
