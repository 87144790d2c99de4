/**
 * A multipart body the parser cannot read (boundary not the declared one, body cut before the closing
 * boundary, malformed part header) is the client's mistake: 400 MALFORMED_MULTIPART, nothing staged, for the
 * library upload and the vault chunk routes alike. Found by the fuzzer (reliability/attacks/fuzz.test.ts):
 * these used to be 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagingLeftovers } from './support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from './support/test-server.ts';
import { vaultStaging } from './support/vault.ts';

const PART = 'Content-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n';

const BODIES = {
  'another boundary than declared': `--other\r\n${PART}bytes\r\n--other--\r\n`,
  'a body cut before its closing boundary': `--fuzz\r\n${PART}bytes`,
  'a part header cut short': '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Ty',
};

describe('malformed multipart bodies', () => {
  let server: TestServer;
  let session: Session;
  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  it.each(Object.entries(BODIES))('answers %s with 400 MALFORMED_MULTIPART and stores nothing', async (_, body) => {
    const headers = { ...session.headers, 'content-type': 'multipart/form-data; boundary=fuzz' };
    const upload = await server.app.inject({ method: 'POST', url: '/api/upload', headers, payload: body });
    expect(upload.statusCode).toBe(400);
    expect(upload.json()).toMatchObject({ code: 'MALFORMED_MULTIPART' });
    const chunk = await server.app.inject({
      method: 'POST',
      url: '/api/cloud/chunks',
      headers: { ...headers, 'x-chunk-id': 'a'.repeat(64) },
      payload: body.replaceAll('name="file"', 'name="chunk"'),
    });
    expect(chunk.statusCode).toBe(400);
    expect(chunk.json()).toMatchObject({ code: 'MALFORMED_MULTIPART' });
    expect(await stagingLeftovers(server)).toEqual([]);
    expect(await vaultStaging(server)).toEqual([]);
  });
});
