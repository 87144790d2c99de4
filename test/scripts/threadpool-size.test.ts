/**
 * libuv's thread pool has 16 threads however a user starts the server, unless UV_THREADPOOL_SIZE is set
 * already. `npm start` (the root's and apps/server's) and the system service run exactly as written, with a
 * probe in place of apps/server/src/main.ts that counts its process's threads once the pool is up; the pool's
 * size is the difference to the same command with UV_THREADPOOL_SIZE=1 set by the user, which must win.
 * The launchd agent and the Windows task the desktop installers write are checked as text (no launchd or
 * PowerShell on these machines); install-desktop.test.ts checks the systemd user unit install.sh writes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../apps/server/test/update/support/link-dependencies.ts';
import { parseUnit, serviceEnvironment, setting } from './support/systemd-unit.ts';

const SIZE = '16';
const work = mkdtempSync(join(tmpdir(), 'photosync-threadpool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PROBE = join(work, 'probe.mjs');
writeFileSync(
  PROBE,
  `import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
await stat('.'); // the pool starts all its threads with its first task (the module loader's reads, usually)
process.stdout.write(JSON.stringify({
  size: process.env.UV_THREADPOOL_SIZE ?? null,
  threads: readdirSync('/proc/self/task').length,
}));
`,
);

interface Probe {
  readonly size: string | null;
  readonly threads: number;
}

/** Run `file args` (in which the server's entry has been replaced by the probe) and read what it reports. */
function probe(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.stderr.on('data', (data: Buffer) => (out += data.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as Probe);
      else reject(new Error(`${file} ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/** Start the same way with the variable unset and with the user's UV_THREADPOOL_SIZE=1. */
async function poolOf(start: (userValue: string | undefined) => Promise<Probe>) {
  const unset = await start(undefined);
  const userOne = await start('1');
  return { size: unset.size, threads: unset.threads - userOne.threads + 1, withUserValue: userOne.size };
}

const withoutVariable = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env['UV_THREADPOOL_SIZE'];
  return env;
};

/** An npm script as npm runs it (`sh -c`, the workspace's and the root's node_modules/.bin first). */
function npmScript(packageDir: string, entry: string) {
  const scripts = (
    JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const script = scripts['start'] ?? '';
  expect(script).toContain(entry);
  return (userValue: string | undefined) => {
    const bins = [join(packageDir, 'node_modules', '.bin'), join(REPO_ROOT, 'node_modules', '.bin')];
    const env: NodeJS.ProcessEnv = { ...withoutVariable(), PATH: [...bins, process.env['PATH'] ?? ''].join(delimiter) };
    if (userValue !== undefined) env['UV_THREADPOOL_SIZE'] = userValue;
    return probe('sh', ['-c', script.replace(entry, PROBE)], packageDir, env);
  };
}

describe('UV_THREADPOOL_SIZE', () => {
  it('`npm start` runs the server with 16 pool threads, unless the user set the variable', async () => {
    expect(await poolOf(npmScript(REPO_ROOT, 'apps/server/src/main.ts'))).toEqual({
      size: SIZE,
      threads: Number(SIZE),
      withUserValue: '1',
    });
  });

  it('so does `npm start` in apps/server', async () => {
    expect(await poolOf(npmScript(join(REPO_ROOT, 'apps', 'server'), 'src/main.ts'))).toEqual({
      size: SIZE,
      threads: Number(SIZE),
      withUserValue: '1',
    });
  });

  it('the system service (scripts/photosync.service) too, and a value in photosync.env wins', async () => {
    const text = readFileSync(join(REPO_ROOT, 'scripts', 'photosync.service'), 'utf8');
    const start = (userValue: string | undefined) => {
      const envFile = join(work, 'photosync.env');
      writeFileSync(envFile, `PORT=3000\n${userValue === undefined ? '' : `UV_THREADPOOL_SIZE=${userValue}\n`}`);
      const unit = parseUnit(text.replaceAll('/etc/photosync/photosync.env', envFile));
      const [node, ...args] = (setting(unit, 'Service', 'ExecStart') ?? '').split(/\s+/);
      expect(node).toBe('/usr/bin/node'); // install-server.sh puts the local node there
      expect(args).toContain('apps/server/src/main.ts');
      const env = serviceEnvironment(unit, { name: 'photosync', home: work });
      return probe(
        process.execPath,
        args.map((arg) => (arg === 'apps/server/src/main.ts' ? PROBE : arg)),
        REPO_ROOT,
        env,
      );
    };
    expect(await poolOf(start)).toEqual({ size: SIZE, threads: Number(SIZE), withUserValue: '1' });
  });

  it('the macOS agent and the Windows task set it before reading photosync.env', () => {
    const installSh = readFileSync(join(REPO_ROOT, 'scripts', 'install.sh'), 'utf8');
    // launchd: escaped, so that it is expanded when the agent starts, not when install.sh writes it.
    expect(installSh).toContain(`set -a; UV_THREADPOOL_SIZE="\\\${UV_THREADPOOL_SIZE:-${SIZE}}"; . "$ENV_FILE"; exec`);
    const installPs1 = readFileSync(join(REPO_ROOT, 'scripts', 'install.ps1'), 'utf8');
    const setDefault = installPs1.indexOf(`if (-not $env:UV_THREADPOOL_SIZE) { $env:UV_THREADPOOL_SIZE = '${SIZE}' }`);
    expect(setDefault).toBeGreaterThan(0);
    expect(setDefault).toBeLessThan(installPs1.indexOf("Get-Content (Join-Path $root 'photosync.env')"));
  });
});
