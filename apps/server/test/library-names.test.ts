// Hostile upload names: separators, `..`, NUL, control and reserved characters, trailing dots, very long
// names. Each is either neutralised to one safe segment inside the account folder or refused with
// INVALID_FILENAME, and afterwards nothing at all exists outside `uploads/{uuid}/`.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountDir, accountUuid, multipartBody, stagingLeftovers, walk } from './support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from './support/test-server.ts';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('upload name safety', () => {
  let server: TestServer;
  let session: Session;
  let uuid: string;
  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
    uuid = await accountUuid(server, session);
  });
  afterAll(async () => server.close());

  /** The upload was refused as INVALID_FILENAME, or stored under a safe name holding exactly `bytes`. */
  async function expectSafe(response: LightMyRequestResponse, bytes: Buffer): Promise<'stored' | 'refused'> {
    if (response.statusCode === 400) {
      expect(response.json()).toMatchObject({ code: 'INVALID_FILENAME' });
      return 'refused';
    }
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ message: 'File uploaded' });
    const { filename } = response.json<{ filename: string }>();
    expect(filename).not.toMatch(/[/\\]/);
    expect(filename).not.toMatch(CONTROL);
    expect(filename).not.toMatch(/[<>:"|?*]/);
    expect(filename).not.toMatch(/[. ]$/);
    expect(['', '.', '..']).not.toContain(filename);
    expect(Buffer.byteLength(filename, 'utf8')).toBeLessThanOrEqual(255);
    const path = join(accountDir(server, uuid), filename);
    expect(dirname(path)).toBe(accountDir(server, uuid));
    expect(await readFile(path)).toEqual(bytes);
    return 'stored';
  }

  const rawNames = [
    '../evil.jpg',
    '..\\evil.jpg',
    '../../../../etc/evil.jpg',
    'a/b/c.jpg',
    '/absolute.jpg',
    'C:\\Users\\x\\evil.jpg',
    '%2e%2e%2fevil.jpg',
    '%2E%2E%2F%2E%2E%2Fjwt-secret',
    '..%5Cevil.jpg',
    'evil%00.jpg',
    'evil.jpg%00.png',
    'tab%09new%0Aline%0D.jpg',
    'bell%07del%7F.jpg',
    '%C2%85c1.jpg',
    '<>:"|?*.jpg',
    'trailing.jpg. . .',
    '   padded.jpg   ',
    'dots...',
  ];

  it.each(rawNames)('raw X-Filename %j is neutralised or refused', async (name) => {
    const bytes = randomBytes(64);
    await expectSafe(await uploadRaw(server.app, session, name, bytes), bytes);
  });

  it.each(['..', '.', '/', '\\', '...', ' . ', '%2e%2e', '%2F', 'a/..', '../'])(
    'raw X-Filename %j that is nothing but path syntax is refused with INVALID_FILENAME',
    async (name) => {
      const response = await uploadRaw(server.app, session, name, randomBytes(64));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'INVALID_FILENAME' });
    },
  );

  const multipartNames = [
    'nul\u0000byte.jpg',
    'ctl\u0001\u001f\u007f.jpg',
    '../../mp-evil.jpg',
    'dir\\mp.jpg',
    '\u0000',
    '..',
  ];

  it.each(multipartNames)('multipart filename %j is neutralised or refused', async (name) => {
    const bytes = randomBytes(64);
    const part = multipartBody(name, bytes);
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: { ...session.headers, 'content-type': part.contentType },
      payload: part.payload,
    });
    if (response.statusCode === 400 && response.json<{ code: string }>().code === 'NO_FILE') return;
    await expectSafe(response, bytes);
  });

  it('cuts a 10,000-character name to at most 255 UTF-8 bytes, keeping the extension, also for clashes', async () => {
    for (const stem of ['x'.repeat(10_000), 'é'.repeat(10_000), '📷'.repeat(5000)]) {
      const header = encodeURIComponent(`${stem}.jpg`);
      const first = randomBytes(64);
      const second = randomBytes(64);
      expect(await expectSafe(await uploadRaw(server.app, session, header, first), first)).toBe('stored');
      const clash = await uploadRaw(server.app, session, header, second);
      expect(await expectSafe(clash, second)).toBe('stored');
      expect(clash.json<{ filename: string }>().filename).toMatch(/ \(1\)\.jpg$/);
    }
    const bytes = randomBytes(64);
    const part = multipartBody(`${'m'.repeat(10_000)}.png`, bytes);
    const viaMultipart = await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: { ...session.headers, 'content-type': part.contentType },
      payload: part.payload,
    });
    expect(await expectSafe(viaMultipart, bytes)).toBe('stored');
    expect(viaMultipart.json<{ filename: string }>().filename).toMatch(/^m+\.png$/);
  });

  it('leaves nothing outside uploads/{uuid}/ after every hostile name (runs last)', async () => {
    const entries = await walk(server.dataDir);
    // vault/ holds StealthCloud chunks and tus/ resumable uploads; no library upload may put anything there.
    const allowed = new Set([
      'backup.db',
      'backup.db-wal',
      'backup.db-shm',
      'jwt-secret',
      'uploads/',
      'vault/',
      'tus/',
    ]);
    allowed.add('uploads/.incoming/').add(`uploads/${uuid}/`);
    // thumbs/ holds derived images named by account uuid and content hash, never by the uploaded name.
    const derived = /^thumbs\/(?:[0-9a-f-]{36}\/(?:[0-9a-f]{2}\/(?:[0-9a-f]{64}-(?:grid|preview)\.webp)?)?)?$/;
    const outside = entries.filter((entry) => {
      if (allowed.has(entry) || derived.test(entry)) return false;
      const inside = entry.slice(`uploads/${uuid}/`.length);
      return !(entry.startsWith(`uploads/${uuid}/`) && inside !== '' && !inside.includes('/'));
    });
    expect(outside).toEqual([]);
    expect(await stagingLeftovers(server)).toEqual([]);
    // Something was stored, so the walk really looked at the account folder.
    expect(entries.filter((entry) => entry.startsWith(`uploads/${uuid}/`)).length).toBeGreaterThan(10);
  });
});
