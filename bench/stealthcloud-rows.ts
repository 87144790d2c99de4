/**
 * Table rows of the StealthCloud phases (issue 3): client-side encrypt + hash throughput of our Node and
 * browser paths against tweetnacl (the original client) and a SHA-256-only pass (the ceiling), and the
 * server chunk store against the bare baseline. Targets: Node path ≥ 10× tweetnacl and ≥ 50% of the ceiling;
 * chunk store ≥ 80% of the baseline.
 * Must never: fail the run on a missed target.
 */
import type { ChunkStoreResult } from './chunk-store-phase.ts';
import type { CryptoPath, CryptoResult } from './crypto-phase.ts';
import { count, fixed, infoRow, throughputRow, verdict, type Row } from './report.ts';
import type { ServerKind } from './upload-comparison.ts';

export interface StealthCloudMeasurements {
  readonly crypto: Record<CryptoPath, CryptoResult> | undefined;
  readonly chunkStore: Record<ServerKind, ChunkStoreResult> | undefined;
  readonly chunksInFlight: number;
}

/** A higher-is-better rate against a multiple of another one, shown as "12.3×". */
function timesRow(metric: string, ours: number, baseline: number, times: number, baselineName: string): Row {
  return {
    metric,
    ours: fixed(ours, 1),
    baseline: fixed(baseline, 1),
    ratio: `${fixed(ours / baseline, 1)}×`,
    target: times > 0 ? `≥ ${times}× ${baselineName}` : '',
    result: times > 0 ? verdict(ours >= times * baseline) : '',
  };
}

/** "1 GiB", "128 MiB". */
function fileSize(bytes: number): string {
  return bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30} GiB` : `${fixed(bytes / 2 ** 20, 0)} MiB`;
}

export function stealthCloudRows({ crypto, chunkStore, chunksInFlight }: StealthCloudMeasurements): Row[] {
  return [...(crypto ? cryptoRows(crypto) : []), ...(chunkStore ? chunkRows(chunkStore, chunksInFlight) : [])];
}

function cryptoRows({ node, browser, tweetnacl, sha256 }: Record<CryptoPath, CryptoResult>): Row[] {
  const file = `encrypt + hash ${fileSize(node.bytes)}`;
  return [
    timesRow(`${file}, Node (vs tweetnacl): MB/s`, node.mbPerSecond, tweetnacl.mbPerSecond, 10, 'tweetnacl'),
    throughputRow(`${file}, Node (vs SHA-256 only): MB/s`, node.mbPerSecond, sha256.mbPerSecond, 0.5, 'SHA-256 only'),
    timesRow(`${file}, browser (vs tweetnacl): MB/s`, browser.mbPerSecond, tweetnacl.mbPerSecond, 0, ''),
  ];
}

function chunkRows(chunkStore: Record<ServerKind, ChunkStoreResult>, chunksInFlight: number): Row[] {
  const chunks = `vault chunks ${count(chunkStore.ours.chunks)} × 2 MiB, ${chunksInFlight} in flight`;
  return [
    throughputRow(`${chunks}: MB/s`, chunkStore.ours.mbPerSecond, chunkStore.baseline.mbPerSecond, 0.8),
    infoRow(
      `${chunks}: server CPU s`,
      fixed(chunkStore.ours.serverCpuSeconds, 1),
      fixed(chunkStore.baseline.serverCpuSeconds, 1),
      `${fixed((chunkStore.ours.serverCpuSeconds / chunkStore.baseline.serverCpuSeconds) * 100, 0)}%`,
    ),
  ];
}
