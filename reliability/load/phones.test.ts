/**
 * Load: 50 simulated phones (./phone.ts) back up at once to one real server process over loopback — ten
 * family accounts of five phones each, every phone with its own photos and videos plus some that other phones
 * of its account also hold. Asserted: every file stored exactly once per account and byte-exact, nothing
 * partial, and the server's resident memory under a stated bound. Throughput and p99 latency are reported,
 * never asserted (they depend on the machine).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readDiskState } from '../support/disk-state.ts';
import { Prng, runSeed } from '../support/prng.ts';
import { mib, p99, recordResult } from '../support/results.ts';
import { figures, rssBoundsMiB, SCALE, TEST_TIMEOUT_MS } from '../support/scale.ts';
import { accountFrom, memoryMiB, signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { backUp, makeFile, type PhotoFile } from './phone.ts';

const { phones, filesPerPhone, accounts: accountCount } = figures.load;
const SIZE_SCALE = SCALE === 'full' ? 1 : 0.25;
const SHARED_SHARE = 0.3;

describe(`load: ${phones} phones backing up at once`, { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it(`stores every file once and byte-exact, within ${rssBoundsMiB.load} MiB of server memory`, async () => {
    const seed = runSeed();
    console.log(`load: seed ${seed}`);
    const rng = new Prng(seed);
    const dataDir = await dirs.make('load');
    const server = await startServer(dataDir);
    const owners = await Promise.all(
      Array.from({ length: accountCount }, (_, a) => signUp(server.url, `family${a}@example.com`)),
    );
    const shared = owners.map((_, a) =>
      Array.from({ length: Math.ceil(filesPerPhone * SHARED_SHARE) }, (_, i) =>
        makeFile(`a${a}-shared-${i}`, rng, SIZE_SCALE),
      ),
    );
    const roster = await Promise.all(
      Array.from({ length: phones }, async (_, p) => {
        const owner = owners[p % accountCount] as Account;
        const deviceUuid = `phone-${p}`;
        const session = await owner.client.login({ email: owner.email, password: owner.password, deviceUuid });
        const own = Array.from({ length: filesPerPhone - (shared[0]?.length ?? 0) }, (_, i) =>
          makeFile(`p${p}-own-${i}`, rng, SIZE_SCALE),
        );
        const phone = accountFrom(server.url, { ...owner, token: session.token, deviceUuid });
        return { phone, files: [...own, ...(shared[p % accountCount] ?? [])] };
      }),
    );

    let sampledPeak = 0;
    const sampler = setInterval(() => {
      void memoryMiB(server.pid).then(
        ({ rss }) => (sampledPeak = Math.max(sampledPeak, rss)),
        () => undefined,
      );
    }, 250);
    const started = performance.now();
    const reports = await Promise.all(roster.map(({ phone, files }) => backUp(server.url, phone, files)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const { peak } = await memoryMiB(server.pid);

    const state = await readDiskState(dataDir);
    let lost = 0;
    for (const [a, owner] of owners.entries()) {
      const expected = new Map<string, PhotoFile>();
      for (const { files } of roster.filter((_, p) => p % accountCount === a))
        for (const f of files) expected.set(f.sha256, f);
      const stored = [...(state.library.get(owner.uuid)?.values() ?? [])];
      expect(stored.length, `${owner.email}: one stored file per distinct photo`).toBe(expected.size);
      for (const sha of expected.keys()) if (!stored.some((file) => file.sha256 === sha)) lost += 1;
    }
    const bytes = reports.reduce((sum, report) => sum + report.bytesSent, 0);
    const latencies = reports.flatMap((report) => report.latenciesMs);
    const sum = (pick: (report: (typeof reports)[number]) => number): number =>
      reports.reduce((t, r) => t + pick(r), 0);
    recordResult({
      test: `load (${phones} phones)`,
      verified: state.hashed,
      lost,
      seed,
      peakRssMiB: peak,
      rssBoundMiB: rssBoundsMiB.load,
      throughputMiBps: Math.round((mib(bytes) / seconds) * 10) / 10,
      p99Ms: Math.round(p99(latencies)),
      notes:
        `${phones} phones × ${filesPerPhone} files (${accountCount} accounts); ${sum((r) => r.uploaded)} uploads ` +
        `(${mib(bytes)} MiB) in ${seconds.toFixed(1)} s, ${sum((r) => r.skipped)} skipped by the have-check, ` +
        `${sum((r) => r.duplicates)} answered as duplicates; ${latencies.length} requests`,
    });
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(state.problems).toEqual([]);
    expect(lost).toBe(0);
    expect(peak, `server peak RSS (MiB); sampled ${sampledPeak}`).toBeLessThan(rssBoundsMiB.load);
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
