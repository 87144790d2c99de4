/**
 * Static checks of every install script: shellcheck finds nothing; the shell installers never read from
 * standard input (they run as `curl ... | bash`); the release public key and the release verification code
 * embedded in each installer are the ones the app ships (install.ps1 included: there is no PowerShell on
 * these machines, so for it these static checks are all that runs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTool, run } from './support/system-tools.ts';

const SCRIPTS = new URL('../../scripts/', import.meta.url).pathname;
const read = (name: string): string => readFileSync(join(SCRIPTS, name), 'utf8');
const shellScripts = readdirSync(SCRIPTS).filter((name) => name.endsWith('.sh'));
const installers = ['install.sh', 'install-server.sh', 'install.ps1'];

beforeAll(() => ensureTool('shellcheck', 'shellcheck'));

describe('shell scripts', () => {
  it('are all covered: install.sh and install-server.sh at least', () => {
    expect(shellScripts).toEqual(expect.arrayContaining(['install.sh', 'install-server.sh']));
  });

  it.each(shellScripts)('%s is shellcheck clean', (name) => {
    const result = run('shellcheck', ['--shell=bash', '--severity=style', join(SCRIPTS, name)]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('shellcheck does report a problem when there is one (the check can fail)', () => {
    const result = run('shellcheck', ['--shell=bash', '-'], { input: '#!/bin/bash\nrm -rf $1/*\n' });
    expect(result.code).not.toBe(0);
  });

  it.each(['install.sh', 'install-server.sh'])('%s never reads standard input (safe to pipe from curl)', (name) => {
    const code = read(name)
      .replace(/<<'NODE'[\s\S]*?\nNODE\n/, '') // the embedded JS is not shell
      .replace(/'[^']*'|"[^"\n]*"/g, "''") // nor is text in quotes
      .replace(/^\s*#.*$/gm, ''); // nor comments
    expect(code).not.toMatch(/(^|[;&|]|\$\()\s*read\b/m);
    expect('x=1; read -r answer').toMatch(/(^|[;&|]|\$\()\s*read\b/m); // the pattern does catch a read
    expect(read(name)).toMatch(/\nmain "\$@"\n$/); // the whole file is parsed before anything runs
  });
});

describe('what the installers embed', () => {
  const publicKey = read('release-public-key.pem').trim();
  const verifier = (text: string): string => {
    const match = /\/\/ release-verify v1:[\s\S]*?\/\/ end release-verify/.exec(text);
    if (!match) throw new Error('release-verify block not found');
    return match[0];
  };

  it.each(installers)('%s carries the shipped release public key', (name) => {
    expect(read(name)).toContain(publicKey);
  });

  it('all installers verify releases with the same code', () => {
    const blocks = installers.map((name) => verifier(read(name)));
    expect(new Set(blocks).size).toBe(1);
    expect(blocks[0]).toContain('verify(null, sums, process.env.PHOTOSYNC_KEY_PEM, signature)');
  });

  it('install.ps1 checks Node, installs for the user, starts at logon and opens the firewall port', () => {
    const ps1 = read('install.ps1');
    expect(ps1).toMatch(/node --version|\$nodeVersion/i);
    expect(ps1).toContain('Register-ScheduledTask');
    expect(ps1).toContain('New-ScheduledTaskTrigger -AtLogOn');
    expect(ps1).toMatch(/New-NetFirewallRule[^\n]*-LocalPort \$Port/);
    expect(ps1).not.toMatch(/Read-Host/);
  });
});
