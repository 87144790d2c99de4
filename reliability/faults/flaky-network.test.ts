/**
 * Flaky network: every request goes through a loopback proxy that cuts connections mid-body and stalls them
 * (support/flaky-proxy.ts). A large resumable (tus) upload still completes byte-exact — tus-js-client resumes
 * from the server's offset after every cut — with the server's memory bounded; plain uploads retried after
 * cuts are each stored exactly once, and nothing partial is left.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Upload, type HttpResponse } from 'tus-js-client';
import { readDiskState, type StoredFile } from '../support/disk-state.ts';
import { flakyProxy } from '../support/flaky-proxy.ts';
import { Prng, runSeed } from '../support/prng.ts';
import { mib, recordResult } from '../support/results.ts';
import { figures, MiB, rssBoundsMiB, SCALE, TEST_TIMEOUT_MS } from '../support/scale.ts';
import { memoryMiB, signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { jsonOf, rawUpload, sha256 } from '../support/uploads.ts';

const { tusBytes, plainUploads } = figures.flakyNetwork;
const CHUNK = SCALE === 'full' ? 16 * MiB : 2 * MiB;

/** tus-js-client with retries: after a cut it asks the server for the offset (HEAD) and continues. */
function resumableUpload(endpoint: string, account: Account, bytes: Buffer, sha: string): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(bytes, {
      endpoint,
      headers: account.headers,
      chunkSize: CHUNK,
      retryDelays: Array.from({ length: 12 }, (_, i) => Math.min(100 * 2 ** i, 3000)),
      metadata: { filename: 'long-video.mov', sha256: sha },
      onSuccess: ({ lastResponse }) => resolve(lastResponse),
      onError: reject,
    });
    upload.start();
  });
}

async function sha256OfDownload(account: Account, name: string): Promise<string> {
  const response = await account.client.download(name);
  const hash = createHash('sha256');
  for await (const part of response.body ?? []) hash.update(part as Uint8Array);
  return hash.digest('hex');
}

describe('flaky network (a proxy that cuts and stalls connections)', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());
  const seed = runSeed();

  it(`completes a ${mib(tusBytes)} MiB resumable upload byte-exact, and stores retried plain uploads once`, async () => {
    console.log(`flaky network: seed ${seed}`);
    const rng = new Prng(seed);
    const dataDir = await dirs.make('flaky');
    const server = await startServer(dataDir);
    const account = await signUp(server.url, 'flaky@example.com');
    const proxy = await flakyProxy(server.url, rng.fork('proxy'), {
      dropChance: 0.35,
      maxBytesBeforeDrop: 2 * CHUNK,
      stallChance: SCALE === 'full' ? 0.002 : 0.01,
      maxStallMs: 2000,
    });
    try {
      const video = randomBytes(tusBytes);
      const sha = sha256(video);
      const last = await resumableUpload(`${proxy.baseUrl}/api/v2/tus`, account, video, sha);
      expect(last.getHeader('X-PhotoSync-Sha256')).toBe(sha);
      expect(last.getHeader('X-PhotoSync-Filename')).toBe('long-video.mov');
      expect(await sha256OfDownload(account, 'long-video.mov')).toBe(sha);
      const tusDrops = proxy.faults.drops;

      const stored = new Map<string, string>(); // sha256 → stored name
      let retries = 0;
      for (let i = 0; i < plainUploads; i += 1) {
        const bytes = randomBytes(rng.int(256 * 1024, 4 * MiB));
        for (;;) {
          const result = await rawUpload(proxy.baseUrl, account, `IMG_${i}.jpg`, bytes).catch(() => undefined);
          if (result?.status === 200) {
            stored.set(sha256(bytes), String(jsonOf(result)?.['filename']));
            break;
          }
          expect(result, 'only cuts, never an error answer').toBeUndefined();
          retries += 1;
        }
      }
      const state = await readDiskState(dataDir);
      expect(state.problems).toEqual([]);
      const files = state.library.get(account.uuid) ?? new Map<string, StoredFile>();
      expect(files.size, 'one file per upload, whatever the retries').toBe(plainUploads + 1);
      for (const [hash, name] of stored) expect(files.get(name)?.sha256).toBe(hash);
      const { peak } = await memoryMiB(server.pid);
      recordResult({
        test: 'flaky network (cuts and stalls)',
        faults: proxy.faults.drops + proxy.faults.stalls,
        verified: plainUploads + 1,
        lost: 0,
        seed,
        peakRssMiB: peak,
        rssBoundMiB: rssBoundsMiB.flakyNetwork,
        notes:
          `${mib(tusBytes)} MiB tus upload through ${tusDrops} cuts; ${plainUploads} plain uploads, ` +
          `${retries} retried after a cut; ${proxy.faults.stalls} stalls over ${proxy.faults.connections} connections`,
      });
      expect(tusDrops, 'the resumable upload was really cut').toBeGreaterThan(0);
      expect(peak).toBeLessThan(rssBoundsMiB.flakyNetwork);
    } finally {
      await proxy.close();
      await server.kill('SIGTERM');
    }
  });
});
