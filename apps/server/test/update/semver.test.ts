/** Version parsing and ordering as semver.org 2.0.0 defines it, and which releases are offered as updates. */
import { describe, expect, it } from 'vitest';
import { compareVersions, InvalidVersion, isOfferedUpdate, parseVersion } from '../../src/services/update/semver.ts';

const v = parseVersion;

describe('parseVersion', () => {
  it('reads tags with or without v, dropping build metadata', () => {
    expect(v('v1.2.3')).toMatchObject({ major: 1, minor: 2, patch: 3, prerelease: [], text: '1.2.3' });
    expect(v('1.0.0-rc.1+build.7')).toMatchObject({ prerelease: ['rc', '1'], text: '1.0.0-rc.1' });
  });

  it.each(['1.2', '1.2.3.4', '01.2.3', '1.2.3-', '1.2.3-01', 'latest', '', 'v', '1.2.3-a..b'])(
    'refuses "%s"',
    (text) => {
      expect(() => v(text)).toThrow(InvalidVersion);
    },
  );
});

describe('compareVersions', () => {
  it('orders the semver.org precedence example', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
      '10.0.0',
    ];
    for (let index = 1; index < ordered.length; index += 1) {
      const lower = v(ordered[index - 1] ?? '');
      const higher = v(ordered[index] ?? '');
      expect(compareVersions(lower, higher), `${lower.text} < ${higher.text}`).toBe(-1);
      expect(compareVersions(higher, lower)).toBe(1);
    }
  });

  it('compares numerically, not as text, and ignores build metadata', () => {
    expect(compareVersions(v('0.10.0'), v('0.9.9'))).toBe(1);
    expect(compareVersions(v('1.0.0-beta.11'), v('1.0.0-beta.2'))).toBe(1);
    expect(compareVersions(v('1.0.0+a'), v('1.0.0+b'))).toBe(0);
  });
});

describe('isOfferedUpdate', () => {
  it('offers only strictly newer versions', () => {
    expect(isOfferedUpdate(v('0.1.0'), v('0.2.0'))).toBe(true);
    expect(isOfferedUpdate(v('0.2.0'), v('0.2.0'))).toBe(false);
    expect(isOfferedUpdate(v('0.2.0'), v('0.1.9'))).toBe(false);
  });

  it('offers pre-releases only to installs that run a pre-release', () => {
    expect(isOfferedUpdate(v('0.1.0'), v('0.2.0-rc.1'))).toBe(false);
    expect(isOfferedUpdate(v('0.2.0-beta.1'), v('0.2.0-rc.1'))).toBe(true);
    expect(isOfferedUpdate(v('0.2.0-rc.1'), v('0.2.0'))).toBe(true);
    expect(isOfferedUpdate(v('0.1.0'), v('0.2.0'), true)).toBe(false); // flagged as pre-release by the feed
  });
});
