/**
 * Semantic versions (semver.org 2.0.0) as the update checker needs them: parse a release tag such as
 * `v1.4.0-rc.2`, order two versions with pre-release precedence, and decide whether a release is offered.
 * Never guesses: a tag that is not a valid version is an error, not "older" or "newer".
 */

export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated pre-release identifiers (`rc.2` → ['rc', '2']); empty for a release. */
  readonly prerelease: readonly string[];
  /** Canonical text without a leading `v` and without build metadata. */
  readonly text: string;
}

const PATTERN =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export class InvalidVersion extends Error {
  override readonly name = 'InvalidVersion';
}

/** Parse `1.2.3`, `v1.2.3`, `1.2.3-beta.1+build.5`; throws InvalidVersion otherwise. */
export function parseVersion(text: string): SemVer {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new InvalidVersion(`not a semantic version: "${text}"`);
  const [, major = '', minor = '', patch = '', pre] = match;
  const numbers = [major, minor, patch].map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) throw new InvalidVersion(`version number too large: "${text}"`);
  const prerelease = pre ? pre.split('.') : [];
  const core = `${major}.${minor}.${patch}`;
  return {
    major: numbers[0] ?? 0,
    minor: numbers[1] ?? 0,
    patch: numbers[2] ?? 0,
    prerelease,
    text: prerelease.length > 0 ? `${core}-${prerelease.join('.')}` : core,
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric) return -1; // numeric identifiers sort before alphanumeric ones
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0; // ASCII order, as the spec says
}

/** −1, 0 or 1 as `a` precedes, equals or follows `b`. Build metadata is ignored. */
export function compareVersions(a: SemVer, b: SemVer): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return Math.sign(a[key] - b[key]);
  }
  // A release follows every pre-release of the same version: 1.0.0-rc.1 < 1.0.0.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let index = 0; index < length; index += 1) {
    const left = a.prerelease[index];
    const right = b.prerelease[index];
    if (left === undefined) return -1; // fewer identifiers, all equal so far → lower precedence
    if (right === undefined) return 1;
    const order = compareIdentifiers(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Is `candidate` an update for an install running `current`? It must be strictly newer, and a pre-release
 * is only offered to an install that already runs a pre-release (people on a release stay on releases).
 */
export function isOfferedUpdate(
  current: SemVer,
  candidate: SemVer,
  candidateIsPrerelease = candidate.prerelease.length > 0,
): boolean {
  if (candidateIsPrerelease && current.prerelease.length === 0) return false;
  return compareVersions(candidate, current) > 0;
}
