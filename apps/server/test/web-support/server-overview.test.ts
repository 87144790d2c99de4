/** GET /api/v2/admin/server: version from the root package.json and storage used/free per store; admin only. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, uploadRaw, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

interface Usage {
  usedBytes: number;
  freeBytes: number | null;
  totalBytes: number | null;
}

describe('server overview', () => {
  it('gives the administrator the version and the storage used and free', async () => {
    const admin = await registerUser(server.app);
    const user = await registerUser(server.app);
    expect((await uploadRaw(server.app, admin, 'a.jpg', Buffer.alloc(1234, 1))).statusCode).toBe(200);
    expect((await uploadRaw(server.app, user, 'b.jpg', Buffer.alloc(766, 2))).statusCode).toBe(200);
    const response = await server.app.inject({ url: '/api/v2/admin/server', headers: admin.headers });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ version: string; storage: { library: Usage; vault: Usage } }>();
    const root = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(body.version).toBe(root.version);
    expect(body.storage.library.usedBytes).toBe(2000);
    expect(body.storage.vault.usedBytes).toBe(0);
    for (const store of [body.storage.library, body.storage.vault]) {
      expect(store.totalBytes).toBeGreaterThan(0);
      expect(store.freeBytes).toBeGreaterThan(0);
      expect(store.freeBytes).toBeLessThanOrEqual(store.totalBytes ?? 0);
    }

    const refused = await server.app.inject({ url: '/api/v2/admin/server', headers: user.headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ADMIN_ONLY' });
  });
});
