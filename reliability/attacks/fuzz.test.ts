/**
 * The fuzzer: thousands of malformed requests (./fuzz-requests.ts) across every route of the protocol's route
 * list, from a seeded PRNG (the seed is printed; RELIABILITY_SEED replays a run), against a real server
 * process. Asserted: no answer ≥ 500 except a deliberate 507, no stack trace or internal path in any answer,
 * the process alive and healthy at the end, and its resident memory under a stated bound.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { routes } from '@photosync/protocol';
import { Prng, runSeed } from '../support/prng.ts';
import { recordResult } from '../support/results.ts';
import { figures, rssBoundsMiB, TEST_TIMEOUT_MS } from '../support/scale.ts';
import { memoryMiB, processAlive, signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { createUpload, putChunk, rawUpload, sealedChunk } from '../support/uploads.ts';
import { fuzzRequest, type FuzzContext } from './fuzz-requests.ts';
import { sendFuzz, type FuzzAnswer } from './fuzz-send.ts';

const CONCURRENCY = 12;
const STACK_OR_PATH = /\bat .+:\d+:\d+|node:internal|\.ts:\d+|\/work\/|\/tmp\/|ENOENT|SQLITE_/;

/** Real ids of every kind, so that mutated requests also reach the checks behind "not found". */
async function seed(baseUrl: string, user: Account, admin: Account): Promise<FuzzContext['params']> {
  await rawUpload(baseUrl, user, 'photo.jpg', Buffer.from('not really a jpeg'));
  const chunk = await sealedChunk(1000);
  await putChunk(baseUrl, user, chunk.bytes);
  await user.client.vault.putManifest({ manifestId: 'fuzz-manifest', encryptedManifest: '{}', chunkCount: 1 });
  const tus = await createUpload(baseUrl, user, Buffer.alloc(5000, 1), 'partial.mov');
  const devices = await user.client.account.devices();
  return {
    filename: ['photo.jpg', 'missing.jpg'],
    chunkId: [chunk.id],
    id: [
      tus.slice(tus.lastIndexOf('/') + 1),
      'fuzz-manifest',
      String(user.userId),
      String(admin.userId),
      ...devices.devices.map((device) => String(device.id)),
    ],
  };
}

describe('fuzzing every route', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());
  const { requests } = figures.fuzz;

  it(`answers ${requests} malformed requests without a 5xx, a leak or a crash`, async () => {
    const seedValue = runSeed();
    console.log(`fuzz: seed ${seedValue}, ${routes.length} routes`);
    const rng = new Prng(seedValue);
    const server = await startServer(await dirs.make('fuzz'));
    const admin = await signUp(server.url, 'fuzz-admin@example.com');
    let user = await signUp(server.url, 'fuzz-user@example.com');
    const ctx = { auth: user.headers, adminAuth: admin.headers, params: await seed(server.url, user, admin) };
    let context: FuzzContext = ctx;
    const failures: string[] = [];
    const leaks: string[] = [];
    const statuses = new Map<number, number>();
    const unanswered = { closed: 0, timedOut: 0 };
    let peakRss = 0;
    let accountsReplaced = 0;

    const judge = (index: number, answer: FuzzAnswer, what: string): void => {
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.outcome === 'timed out') unanswered.timedOut += 1;
      if (answer.outcome === 'closed without answer') unanswered.closed += 1;
      if (answer.status >= 500 && answer.status !== 507)
        failures.push(`#${index} ${what}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (STACK_OR_PATH.test(answer.body)) leaks.push(`#${index} ${what}: ${answer.body.slice(0, 300)}`);
    };

    for (let start = 0; start < requests; start += 250) {
      const batch = Array.from({ length: Math.min(250, requests - start) }, (_, i) => start + i);
      const queue = [...batch];
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
            const request = fuzzRequest(routes, index, context, rng);
            const sent = JSON.stringify({ ...request, body: request.body?.subarray(0, 300).toString('latin1') });
            judge(index, await sendFuzz(server.url, request, 10_000), `${request.mutation} → ${request.route} ${sent}`);
          }
        }),
      );
      peakRss = Math.max(peakRss, (await memoryMiB(server.pid)).rss);
      // A fuzzed request may have deleted the account or revoked its device: carry on with a fresh one.
      if ((await user.client.account.me().catch(() => undefined)) === undefined) {
        user = await signUp(server.url, `fuzz-user-${start}@example.com`);
        context = { ...ctx, auth: user.headers };
        accountsReplaced += 1;
      }
    }

    const alive = processAlive(server.pid);
    const health = await admin.client.health().catch((error: unknown) => error);
    const { peak } = await memoryMiB(server.pid);
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
    recordResult({
      test: 'fuzzer (every route)',
      requests,
      seed: seedValue,
      peakRssMiB: peak,
      rssBoundMiB: rssBoundsMiB.fuzz,
      notes:
        `${routes.length} routes; answers ${histogram.join(' ')}; ${unanswered.closed} closed and ` +
        `${unanswered.timedOut} timed out without an answer; ${accountsReplaced} accounts replaced`,
    });
    expect(failures).toEqual([]);
    expect(leaks).toEqual([]);
    expect(alive, 'the server process is still running').toBe(true);
    expect(health).toEqual({ ok: true });
    expect(peak, `server peak RSS (MiB), sampled peak ${peakRss}`).toBeLessThan(rssBoundsMiB.fuzz);
    expect(server.output()).not.toMatch(/uncaught|unhandled/i);
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
