/**
 * Which copies a dedupe keeps: files are grouped by SHA-256 content only (never by name or date), and in
 * each group the oldest copy is kept — earliest capture time (EXIF DateTimeOriginal, else modification
 * time), then the shortest path, then the lexically first — so the choice is the same on every run.
 * Copies with identical bytes carry identical EXIF, so when the capture time ties, the earlier modification
 * time decides before the path does: that is the copy that has existed longest.
 * Pure: the folder walking, EXIF reading and moving live in the platform adapter (node/dedupe-folder.ts).
 */

export interface DedupeCandidate {
  readonly path: string;
  readonly relativePath: string;
  readonly size: number;
  readonly sha256: string;
  /** EXIF capture time (ms since the epoch), when the file has one. */
  readonly capturedAtMs?: number;
  readonly mtimeMs: number;
}

export interface DuplicateGroup {
  readonly sha256: string;
  readonly size: number;
  readonly keep: DedupeCandidate;
  readonly duplicates: readonly DedupeCandidate[];
}

export interface DedupePlan {
  readonly groups: readonly DuplicateGroup[];
  /** Bytes the duplicates take (what moving them out frees). */
  readonly bytesFreed: number;
}

/** Order within a group: the first one is kept. */
export function keepOrder(a: DedupeCandidate, b: DedupeCandidate): number {
  const takenA = a.capturedAtMs ?? a.mtimeMs;
  const takenB = b.capturedAtMs ?? b.mtimeMs;
  if (takenA !== takenB) return takenA - takenB;
  if (a.mtimeMs !== b.mtimeMs) return a.mtimeMs - b.mtimeMs;
  if (a.relativePath.length !== b.relativePath.length) return a.relativePath.length - b.relativePath.length;
  return a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
}

/** Hashes that more than one file has: only these need a capture time. */
export function duplicatedHashes(files: readonly { readonly sha256: string }[]): Set<string> {
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const { sha256 } of files) {
    if (seen.has(sha256)) duplicated.add(sha256);
    seen.add(sha256);
  }
  return duplicated;
}

export function planDedupe(candidates: readonly DedupeCandidate[]): DedupePlan {
  const bySha = new Map<string, DedupeCandidate[]>();
  for (const candidate of candidates) {
    const group = bySha.get(candidate.sha256);
    if (group) group.push(candidate);
    else bySha.set(candidate.sha256, [candidate]);
  }
  const groups: DuplicateGroup[] = [];
  for (const [sha256, members] of bySha) {
    if (members.length < 2) continue;
    const [keep, ...duplicates] = [...members].sort(keepOrder);
    if (keep) groups.push({ sha256, size: keep.size, keep, duplicates });
  }
  groups.sort((a, b) => keepOrder(a.keep, b.keep));
  return { groups, bytesFreed: groups.reduce((sum, g) => sum + g.size * g.duplicates.length, 0) };
}
