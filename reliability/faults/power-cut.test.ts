/**
 * Power cut: SIGKILL the real server at a random moment while many uploads are in flight (plain raw uploads,
 * tus uploads and StealthCloud chunks), restart it on the same data directory, and check after every restart:
 * every acknowledged upload is present and byte-identical (on disk and through the API), nothing half-written
 * is visible in uploads/, vault/ or tus/, staging is empty, and the index matches the disk. Interrupted tus
 * uploads are resumed in the next round and must complete. The workload is in ./power-cut-workload.ts.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readDiskState } from '../support/disk-state.ts';
import { Prng, runSeed } from '../support/prng.ts';
import { recordResult } from '../support/results.ts';
import { figures, TEST_TIMEOUT_MS } from '../support/scale.ts';
import { reconnect, signUp, startServer, tempDirs, type Account, type ServerProcess } from '../support/server.ts';
import { sha256 } from '../support/uploads.ts';
import { continueTus, Ledger, reconcileTus, uploadUntilCut } from './power-cut-workload.ts';

const { rounds, concurrentUploads } = figures.powerCut;

/** Disk and index against the ledger; returns how many acknowledged items are missing or different. */
async function audit(dataDir: string, ledger: Ledger): Promise<{ lost: string[]; problems: string[] }> {
  const state = await readDiskState(dataDir);
  const problems = [...state.problems];
  const lost: string[] = [];
  for (const [uuid, names] of ledger.library) {
    for (const [name, sha] of names) if (state.library.get(uuid)?.get(name)?.sha256 !== sha) lost.push(name);
  }
  for (const [uuid, ids] of ledger.chunks) for (const id of ids) if (!state.chunks.get(uuid)?.has(id)) lost.push(id);
  for (const files of state.library.values()) {
    for (const [name, file] of files) {
      if (ledger.attempted.get(file.sha256) !== file.size) problems.push(`not a complete upload: ${name}`);
    }
  }
  for (const ids of state.chunks.values()) for (const id of ids) if (!ledger.chunksSent.has(id)) problems.push(id);
  const open = new Map([...ledger.openTus.values()].map((upload) => [upload.path.split('/').pop(), upload]));
  for (const [id, partial] of state.tus) {
    const upload = open.get(id);
    if (!upload) {
      if (partial.received > 0) problems.push(`unknown tus upload ${id} holds ${partial.received} bytes`);
      continue;
    }
    const received = await readFile(partial.path);
    if (!received.equals(upload.bytes.subarray(0, received.length))) problems.push(`tus ${id}: not a prefix`);
  }
  return { lost, problems };
}

/** Read acknowledged items back through the API (every one when `all`, else a sample); returns how many. */
async function readBack(ledger: Ledger, accounts: readonly Account[], rng: Prng, all: boolean): Promise<number> {
  let checked = 0;
  for (const account of accounts) {
    const files = [...(ledger.library.get(account.uuid) ?? new Map<string, string>())];
    const chunks = [...(ledger.chunks.get(account.uuid) ?? new Set<string>())];
    for (const [name, sha] of all ? files : files.filter(() => rng.chance(0.05))) {
      const bytes = Buffer.from(await (await account.client.download(name)).arrayBuffer());
      expect(sha256(bytes), `bytes of ${name}`).toBe(sha);
      checked += 1;
    }
    for (const id of all ? chunks : chunks.filter(() => rng.chance(0.05))) {
      expect(sha256(Buffer.from(await account.client.vault.getChunk(id))), `chunk ${id}`).toBe(id);
      checked += 1;
    }
  }
  return checked;
}

describe('power cut (SIGKILL during concurrent uploads)', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it(`keeps every acknowledged upload across ${rounds} kills with ${concurrentUploads} uploads in flight`, async () => {
    const seed = runSeed();
    const rng = new Prng(seed);
    console.log(`power cut: seed ${seed}`);
    const dataDir = await dirs.make('power-cut');
    const ledger = new Ledger();
    let server: ServerProcess = await startServer(dataDir);
    let accounts = await Promise.all([0, 1, 2].map((i) => signUp(server.url, `power${i}@example.com`)));
    const lost: string[] = [];
    let kills = 0;

    for (let round = 0; round <= rounds; round += 1) {
      if (round > 0) {
        server = await startServer(dataDir);
        const url = server.url;
        accounts = accounts.map((account) => reconnect(account, url));
        for (const upload of ledger.openTus.values()) {
          upload.account = accounts.find((account) => account.uuid === upload.account.uuid) ?? upload.account;
          upload.claimed = false;
          upload.restarts += 1;
          await reconcileTus(url, ledger, upload);
        }
      }
      const found = await audit(dataDir, ledger);
      lost.push(...found.lost);
      expect(found.problems, `round ${round}: disk and index`).toEqual([]);
      expect(found.lost, `round ${round}: acknowledged uploads`).toEqual([]);
      await readBack(ledger, accounts, rng, false);
      if (round === rounds) break;

      const url = server.url;
      const slots = Array.from({ length: concurrentUploads }, (_, slot) =>
        uploadUntilCut(url, ledger, accounts[slot % accounts.length] as Account, rng.fork(`${round}/${slot}`)),
      );
      await delay(rng.int(500, 3000)); // a random moment to cut the power, not a timing assertion
      await server.kill('SIGKILL');
      kills += 1;
      await Promise.all(slots);
    }

    // Power stays on: every upload still open is resumed to the end, then a clean stop.
    for (const upload of [...ledger.openTus.values()]) await continueTus(server.url, ledger, upload, rng);
    expect(ledger.openTus.size).toBe(0);
    const verified = await readBack(ledger, accounts, rng, true);
    expect(await server.kill('SIGTERM')).toBe(0);
    const final = await audit(dataDir, ledger);
    lost.push(...final.lost);
    const { counts } = ledger;
    recordResult({
      test: 'power cut (SIGKILL)',
      faults: kills,
      verified,
      lost: lost.length,
      seed,
      notes:
        `${concurrentUploads} uploads in flight; acknowledged ${counts.raw} plain (${counts.duplicates} duplicates), ` +
        `${counts.tus} tus (${counts.resumed} resumed after a restart), ${counts.chunks} chunks; ` +
        `${counts.interrupted} requests cut by the kills`,
    });
    expect(final.problems).toEqual([]);
    expect(lost).toEqual([]);
    expect(ledger.unexpected).toEqual([]);
    expect(counts.interrupted, 'the kills landed while uploads were in flight').toBeGreaterThanOrEqual(rounds);
    expect(counts.raw * counts.tus * counts.chunks, 'every kind of upload was acknowledged').toBeGreaterThan(0);
  });
});
