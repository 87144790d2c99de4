import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, uploadMultipart, uploadRaw, type TestServer } from './support/test-server.ts';

describe('smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('registers, uploads both ways and lists', async () => {
    const session = await registerUser(server.app);
    expect((await uploadRaw(server.app, session, 'a.jpg', 'hello')).json()).toMatchObject({ filename: 'a.jpg' });
    const multipart = await uploadMultipart(server.app, session, 'a.jpg', Buffer.from('other'));
    expect(multipart.json()).toMatchObject({ filename: 'a (1).jpg' });
    const list = await server.app.inject({ url: '/api/files', headers: session.headers });
    expect(list.json<{ total: number }>().total).toBe(2);
  });
});
