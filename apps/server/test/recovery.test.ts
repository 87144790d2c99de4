/**
 * Start-up recovery on a real data directory: staging leftovers, files published without an index row,
 * duplicate orphans and interrupted account deletions (see services/library/library-recovery.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, uploadRaw, type TestServer } from './support/test-server.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('start-up recovery', () => {
  let dataDir: string;
  let server: TestServer;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-recovery-'));
    server = await startTestServer({}, dataDir);
  });
  afterEach(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function accountUuid(email: string): Promise<string> {
    const row = await server.context.db
      .selectFrom('accounts')
      .select('uuid')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return row.uuid;
  }

  async function restart(): Promise<void> {
    await server.close();
    server = await startTestServer({}, dataDir);
  }

  it('indexes a file that reached its folder without an index row, and removes staging leftovers', async () => {
    const session = await registerUser(server.app);
    await uploadRaw(server.app, session, 'kept.jpg', 'kept bytes');
    const folder = join(dataDir, 'uploads', await accountUuid(session.email));
    await writeFile(join(folder, 'orphan.jpg'), 'published before the crash');
    await mkdir(join(dataDir, 'uploads', '.incoming'), { recursive: true });
    await writeFile(join(dataDir, 'uploads', '.incoming', '1b4e28ba-2fa1-11d2-883f-0016d3cca427.part'), 'half');
    await restart();

    expect(server.context.recovery.indexed).toEqual([`${await accountUuid(session.email)}/orphan.jpg`]);
    expect(server.context.recovery.stagingRemoved).toBe(1);
    expect(await readdir(join(dataDir, 'uploads', '.incoming'))).toEqual([]);
    const list = await server.app.inject({ url: '/api/files', headers: session.headers });
    expect(list.json()).toMatchObject({
      total: 2,
      files: [{ filename: 'kept.jpg' }, { filename: 'orphan.jpg', size: 26 }],
    });
    const again = await uploadRaw(server.app, session, 'new-name.jpg', 'published before the crash');
    expect(again.json()).toMatchObject({ duplicate: true, filename: 'orphan.jpg' });
    const row = await server.context.db
      .selectFrom('assets')
      .select('sha256')
      .where('filename', '=', 'orphan.jpg')
      .executeTakeFirstOrThrow();
    expect(row.sha256).toBe(sha256('published before the crash'));
  });

  it('removes an orphan whose content is already indexed under another name (no duplicate appears)', async () => {
    const session = await registerUser(server.app);
    await uploadRaw(server.app, session, 'a.jpg', 'same content');
    const folder = join(dataDir, 'uploads', await accountUuid(session.email));
    await writeFile(join(folder, 'a (1).jpg'), 'same content');
    await restart();
    expect(server.context.recovery.duplicatesRemoved).toHaveLength(1);
    expect(await readdir(folder)).toEqual(['a.jpg']);
    const list = await server.app.inject({ url: '/api/files', headers: session.headers });
    expect(list.json()).toMatchObject({ total: 1 });
  });

  it('reports indexed files missing from disk instead of dropping them', async () => {
    const session = await registerUser(server.app);
    await uploadRaw(server.app, session, 'gone.jpg', 'bytes');
    await unlink(join(dataDir, 'uploads', await accountUuid(session.email), 'gone.jpg'));
    await restart();
    expect(server.context.recovery.missing).toHaveLength(1);
    const list = await server.app.inject({ url: '/api/files', headers: session.headers });
    expect(list.json()).toMatchObject({ total: 1 });
  });

  it('finishes an account deletion that a crash interrupted', async () => {
    const doomed = await registerUser(server.app);
    const survivor = await registerUser(server.app);
    await uploadRaw(server.app, doomed, 'x.jpg', 'doomed bytes');
    await uploadRaw(server.app, survivor, 'y.jpg', 'survivor bytes');
    const doomedUuid = await accountUuid(doomed.email);
    // The first step of deletion ran (tokens revoked, account marked), then the process died.
    await server.context.db
      .updateTable('accounts')
      .set({ deleted_at: new Date().toISOString() })
      .where('uuid', '=', doomedUuid)
      .execute();
    await restart();
    expect(server.context.recovery.deletionsFinished).toBe(1);
    expect(await readdir(join(dataDir, 'uploads'))).not.toContain(doomedUuid);
    const rows = await server.context.db.selectFrom('accounts').select('email').execute();
    expect(rows.map((row) => row.email)).toEqual([survivor.email]);
    const list = await server.app.inject({ url: '/api/files', headers: survivor.headers });
    expect(list.json()).toMatchObject({ total: 1 });
  });
});
