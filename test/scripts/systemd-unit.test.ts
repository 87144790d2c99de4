/**
 * scripts/photosync.service: `systemd-analyze verify` reports nothing (it exits 0 even on warnings, so its
 * output is what is checked), and the unit has the hardening the issue asks for.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTool } from './support/system-tools.ts';
import { parseUnit, setting, verifyUnit } from './support/systemd-unit.ts';

const UNIT = new URL('../../scripts/photosync.service', import.meta.url).pathname;

beforeAll(() => ensureTool('systemd-analyze', 'systemd'));

describe('photosync.service', () => {
  it('verifies without a single warning', () => {
    expect(verifyUnit(UNIT)).toEqual({ code: 0, output: '' });
  });

  it('a unit with a mistake does produce output (the check can fail)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'unit-')), 'photosync.service');
    writeFileSync(broken, readFileSync(UNIT, 'utf8').replace('PrivateTmp=true', 'PrivateTmpp=true'));
    const result = verifyUnit(broken);
    expect(result.code).toBe(0); // exit 0 despite the warning: hence the output check above
    expect(result.output).toMatch(/Unknown key 'PrivateTmpp'/);
  });

  it('is hardened and restarts on failure', () => {
    const unit = parseUnit(readFileSync(UNIT, 'utf8'));
    expect(Object.fromEntries(unit.get('Service') ?? [])).toMatchObject({
      User: 'photosync',
      Group: 'photosync',
      NoNewPrivileges: 'true',
      ProtectSystem: 'strict',
      ReadWritePaths: '/var/lib/photosync',
      PrivateTmp: 'true',
      ProtectHome: 'true',
      Restart: 'on-failure',
      WorkingDirectory: '/opt/photosync/current',
      EnvironmentFile: '/etc/photosync/photosync.env',
      ExecStart: '/usr/bin/node --import tsx apps/server/src/main.ts',
    });
    expect(setting(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });
});
