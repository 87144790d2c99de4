/**
 * Issue 3, client half: encrypt + hash throughput of one generated file, four ways, each pass a child
 * process of its own (./crypto-pass.ts) run one after the other on an otherwise idle harness:
 *   node      @photosync/crypto encryptFileV2 with its Node backend (sodium-native, node:crypto SHA-256)
 *   browser   the same call with `--conditions=browser`, so `#sodium` resolves to libsodium-wrappers
 *   tweetnacl nacl.secretbox over 2 MiB chunks plus SHA-256 chunk ids and file hash (the original client)
 *   sha256    a plain SHA-256 pass: the ceiling
 * The two passes of the ≥ 50% target (sha256 and node) run REPEATS times each, interleaved, and each side
 * reports its median pass: one pass of ~1 s on a shared 2-core VM swung the ratio by 10 points either way.
 * Must never: run two passes at once, or accept a pass that ran on another backend than the one named.
 */
import { fileURLToPath } from 'node:url';
import type { CryptoPassKind, CryptoPassResult } from './crypto-pass.ts';
import { runNode } from './child-run.ts';

const PASS_SCRIPT = fileURLToPath(new URL('./crypto-pass.ts', import.meta.url));
/** Generous: tweetnacl runs at well under 100 MB/s, and the machine may be busy. */
const SECONDS_PER_GIB_LIMIT = 300;

export const CRYPTO_PATHS = ['sha256', 'node', 'browser', 'tweetnacl'] as const;
export type CryptoPath = (typeof CRYPTO_PATHS)[number];

export interface CryptoResult extends CryptoPassResult {
  readonly mbPerSecond: number;
}

const PASSES: Record<CryptoPath, { kind: CryptoPassKind; conditions: string[]; implementation: string }> = {
  sha256: { kind: 'sha256', conditions: [], implementation: 'node:crypto' },
  node: { kind: 'ours', conditions: [], implementation: 'sodium-native' },
  browser: { kind: 'ours', conditions: ['--conditions=browser'], implementation: 'libsodium-wrappers' },
  tweetnacl: { kind: 'tweetnacl', conditions: [], implementation: 'tweetnacl' },
};

async function runPass(path: CryptoPath, bytes: number): Promise<CryptoResult> {
  const pass = PASSES[path];
  const { stdout } = await runNode([...pass.conditions, '--import', 'tsx', PASS_SCRIPT, pass.kind, String(bytes)], {
    timeoutMs: Math.max(60, (SECONDS_PER_GIB_LIMIT * bytes) / 2 ** 30) * 1000,
  });
  const result = JSON.parse(stdout) as CryptoPassResult;
  if (result.implementation !== pass.implementation || result.bytes !== bytes) {
    throw new Error(`${path} pass ran ${result.implementation} over ${result.bytes} bytes`);
  }
  return { ...result, mbPerSecond: bytes / 1e6 / result.seconds };
}

/** Passes of sha256 and node each (odd, for a median); the slow baselines run once. */
const REPEATS = 3;
const REPEATED: readonly CryptoPath[] = ['sha256', 'node'];

/** The pass in the middle by time. */
function median(passes: readonly CryptoResult[]): CryptoResult {
  const sorted = [...passes].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no crypto pass to take the median of');
  return middle;
}

/** Every pass over a file of `bytes`: sha256 and node REPEATS times interleaved (medians), then the rest. */
export async function measureCrypto(
  bytes: number,
  log: (line: string) => void,
): Promise<Record<CryptoPath, CryptoResult>> {
  const passes = new Map<CryptoPath, CryptoResult[]>();
  const order = [
    ...Array.from({ length: REPEATS }, () => REPEATED).flat(),
    ...CRYPTO_PATHS.filter((path) => !REPEATED.includes(path)),
  ];
  for (const path of order) {
    const result = await runPass(path, bytes);
    passes.set(path, [...(passes.get(path) ?? []), result]);
    log(`  ${path} (${result.implementation}): ${result.mbPerSecond.toFixed(1)} MB/s (${result.seconds.toFixed(1)} s)`);
  }
  const results: Partial<Record<CryptoPath, CryptoResult>> = {};
  for (const [path, ofPath] of passes) results[path] = median(ofPath);
  const { sha256, node, browser, tweetnacl } = results;
  if (!sha256 || !node || !browser || !tweetnacl) throw new Error('a crypto pass is missing');
  return { sha256, node, browser, tweetnacl };
}
