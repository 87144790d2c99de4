/**
 * Hostile uploads to a real server process: files that are not what their extension says, decompression
 * bombs (./hostile-files.ts), names that traverse (`../x`), are empty, are 10,000 characters long or hold
 * invalid UTF-8, and empty files — through the raw, multipart and tus routes. Every one gets a clear error or
 * is stored byte-exact under a safe name inside the account's folder; the media pipeline fails a job with a
 * reason instead of failing the server, whose memory stays under a bound.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { walk } from '../../apps/server/test/support/library.ts';
import { recordResult } from '../support/results.ts';
import { memoryMiB, signUp, startServer, tempDirs, type Account, type ServerProcess } from '../support/server.ts';
import { httpCall, jsonOf, rawUpload, sha256, tusCall, uploadMetadata, type HttpResult } from '../support/uploads.ts';
import { decompressionBomb, lyingPng, misnamedFiles } from './hostile-files.ts';
import { rssBoundsMiB, TEST_TIMEOUT_MS } from '../support/scale.ts';

function multipartUpload(server: ServerProcess, account: Account, filename: string, bytes: Buffer) {
  const head = `--b\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`;
  return httpCall(server.url, {
    method: 'POST',
    path: '/api/upload',
    headers: { ...account.headers, 'content-type': 'multipart/form-data; boundary=b' },
    body: Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from('\r\n--b--\r\n')]),
  });
}

/** A whole file through tus in one creation + one PATCH; returns the final answer. */
async function tusUpload(server: ServerProcess, account: Account, filename: string, bytes: Buffer) {
  const created = await tusCall(server.url, 'POST', '/api/v2/tus', {
    ...account.headers,
    'upload-length': bytes.length,
    'upload-metadata': uploadMetadata({ filename, sha256: sha256(bytes) }),
  });
  if (created.status !== 201 || bytes.length === 0) return created;
  return tusCall(
    server.url,
    'PATCH',
    String(created.headers.location),
    { ...account.headers, 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' },
    bytes,
  );
}

/** The stored name in an answer: the JSON `filename` of a plain upload, or tus's X-PhotoSync-Filename header. */
function storedName(result: HttpResult): string {
  const filename = jsonOf(result)?.['filename'];
  if (typeof filename === 'string') return filename;
  return decodeURIComponent(String(result.headers['x-photosync-filename']));
}

describe('hostile uploads', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  let server: ServerProcess;
  let dataDir: string;
  let account: Account;
  let attacks = 0;
  let peakRss: number | undefined;
  beforeAll(async () => {
    dataDir = await dirs.make('hostile');
    server = await startServer(dataDir);
    account = await signUp(server.url, 'hostile@example.com');
  });
  afterAll(async () => {
    recordResult({
      test: 'hostile uploads',
      attacks,
      ...(peakRss === undefined ? {} : { peakRssMiB: peakRss, rssBoundMiB: rssBoundsMiB.hostileMedia }),
      notes: 'misnamed files, decompression bombs, ../ names, empty files, 10,000-character and invalid UTF-8 names',
    });
    await server.kill('SIGTERM');
    await dirs.removeAll();
  });

  it('stores misnamed files byte-exact and lets the pipeline judge them by content, failing with a reason', async () => {
    const files = { ...(await misnamedFiles()), 'bomb.png': decompressionBomb(30_000, 30_000) };
    const lying = lyingPng(30_000, 30_000);
    for (const [name, bytes] of [...Object.entries(files), ['lying.png', lying] as const]) {
      expect((await rawUpload(server.url, account, name, bytes)).status, name).toBe(200);
      attacks += 1;
    }
    expect(lying.length, 'a few hundred bytes that claim 900 megapixels').toBeLessThan(1000);
    for (const [name, bytes] of Object.entries(files)) {
      const back = Buffer.from(await (await account.client.download(name)).arrayBuffer());
      expect(back.equals(bytes), name).toBe(true);
    }
    const settled = async (name: string) =>
      vi.waitFor(
        async () => {
          const metadata = await account.client.media.metadata(name);
          expect(['done', 'failed']).toContain(metadata.job?.status);
          return metadata;
        },
        { timeout: 120_000, interval: 500 },
      );
    for (const name of [...Object.keys(files), 'lying.png']) {
      const metadata = await settled(name);
      if (metadata.job?.status === 'failed' || metadata.thumb === 'failed')
        expect(metadata.job?.reason, name).toBeTruthy();
    }
    expect((await settled('holiday.jpg')).kind, 'a PNG named .jpg is a photo').toBe('photo');
    expect((await settled('IMG_0001.HEIC')).thumb).not.toBe('ready');
    for (const bomb of ['bomb.png', 'lying.png']) {
      expect(await settled(bomb)).toMatchObject({ thumb: 'failed', job: { status: 'failed' } });
      expect((await settled(bomb)).job?.reason).toMatch(/megapixels|decod|corrupt/i);
    }
    expect(await account.client.health()).toEqual({ ok: true });
    peakRss = (await memoryMiB(server.pid)).peak;
    expect(peakRss).toBeLessThan(rssBoundsMiB.hostileMedia);
  });

  it('drops directory parts of ../x on every route and keeps every file inside the account folder', async () => {
    const names: string[] = [];
    names.push(storedName(await rawUpload(server.url, account, '../x', randomBytes(100))));
    names.push(storedName(await multipartUpload(server, account, '../x', randomBytes(100))));
    names.push(storedName(await tusUpload(server, account, '../../x', randomBytes(100))));
    names.push(storedName(await rawUpload(server.url, account, '..\\..\\x', randomBytes(100))));
    attacks += 4;
    expect(names).toEqual(['x', 'x (1)', 'x (2)', 'x (3)']);
    const outside = (await walk(dataDir)).filter(
      (path) =>
        !path.endsWith('/') && path.split('/').pop()?.startsWith('x') && !path.startsWith(`uploads/${account.uuid}/`),
    );
    expect(outside).toEqual([]);
  });

  it('refuses an empty file with 400 EMPTY_FILE on every route', async () => {
    const empty = Buffer.alloc(0);
    const answers = [
      await rawUpload(server.url, account, 'empty.jpg', empty),
      await multipartUpload(server, account, 'empty.jpg', empty),
      await tusUpload(server, account, 'empty.jpg', empty),
    ];
    attacks += answers.length;
    for (const answer of answers) {
      expect(answer.status, answer.body.toString()).toBe(400);
      expect(jsonOf(answer)?.['code']).toMatch(/EMPTY_FILE|INVALID_UPLOAD_LENGTH/);
    }
  });

  it('cuts a 10,000-character name to 255 bytes, keeping the extension, and refuses names with nothing left', async () => {
    const long = storedName(await rawUpload(server.url, account, `${'a'.repeat(10_000)}.jpg`, randomBytes(10)));
    const accented = storedName(await multipartUpload(server, account, `${'é'.repeat(10_000)}.jpg`, randomBytes(10)));
    // tus carries the name in a header: 10,000 characters exceed the header limit (a clear 431), 2,000 fit.
    const tooLong = await tusUpload(server, account, `${'ß'.repeat(10_000)}.mov`, randomBytes(10));
    expect(tooLong.status).toBe(431);
    expect(jsonOf(tooLong)?.['code']).toBe('HEADERS_TOO_LARGE');
    const viaTus = storedName(await tusUpload(server, account, `${'ß'.repeat(2_000)}.mov`, randomBytes(10)));
    for (const [name, extension] of [
      [long, '.jpg'],
      [accented, '.jpg'],
      [viaTus, '.mov'],
    ] as const) {
      expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(255);
      expect(name.endsWith(extension)).toBe(true);
    }
    for (const hopeless of ['...', '   ', '/', '..']) {
      const answer = await rawUpload(server.url, account, hopeless, randomBytes(10));
      expect(answer.status, hopeless).toBe(400);
      expect(jsonOf(answer)?.['code']).toBe('INVALID_FILENAME');
    }
    attacks += 8;
  });

  it('answers raw invalid UTF-8 in X-Filename with a clear error or a safe name', async () => {
    const answer = await httpCall(server.url, {
      method: 'POST',
      path: '/api/upload/raw',
      headers: { ...account.headers, 'x-filename': '\u00ff\u00fe\u00c3(.jpg', 'content-length': 5 },
      body: Buffer.from('bytes'),
    });
    attacks += 1;
    if (answer.status === 200) {
      const name = storedName(answer);
      expect([...name].some((char) => char.charCodeAt(0) < 0x20 || char === '/' || char === '\\')).toBe(false);
      expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    } else {
      expect(answer.status).toBe(400);
      expect(jsonOf(answer)?.['code']).toEqual(expect.any(String));
    }
  });
});
