/** A reader for systemd unit files, enough to start a service exactly as its unit says (tests only). */
import { readFileSync } from 'node:fs';
import { run } from './system-tools.ts';

export type Unit = Map<string, Array<[string, string]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      section = header[1];
      if (!unit.has(section)) unit.set(section, []);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) unit.get(section)?.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** The last value of `key` in `section` (systemd's rule for single-valued settings). */
export function setting(unit: Unit, section: string, key: string): string | undefined {
  return unit
    .get(section)
    ?.filter(([name]) => name === key)
    .at(-1)?.[1];
}

/** KEY=value lines of an EnvironmentFile (`-` prefix = optional file). */
export function readEnvironmentFile(path: string): Record<string, string> {
  const file = path.replace(/^-/, '');
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1]) env[match[1]] = (match[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** The environment systemd gives a service: a fixed PATH, the user's identity, the unit's variables. */
export function serviceEnvironment(unit: Unit, user: { name: string; home: string }): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    USER: user.name,
    LOGNAME: user.name,
    HOME: user.home,
  };
  const settings = unit.get('Service') ?? [];
  for (const [key, value] of settings) {
    if (key !== 'Environment') continue;
    for (const assignment of value.split(/\s+/)) {
      const eq = assignment.indexOf('=');
      if (eq > 0) env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
    }
  }
  // Variables from EnvironmentFile= override those of Environment= (systemd.exec(5)).
  for (const [key, value] of settings) if (key === 'EnvironmentFile') Object.assign(env, readEnvironmentFile(value));
  return env;
}

/** Everything `systemd-analyze verify` says about a unit file (it exits 0 on warnings, so read this). */
export function verifyUnit(path: string): { code: number | null; output: string } {
  const result = run('systemd-analyze', ['verify', path], { env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
  return { code: result.code, output: `${result.stdout}${result.stderr}`.trim() };
}
