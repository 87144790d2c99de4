/**
 * The one source of the version: the root package.json of the folder this code runs from. The server
 * status, the update check, `npm run check-update` and the release script all read it through here, so a
 * release is versioned by editing one file (`npm version` at the root).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseVersion } from './semver.ts';

/** The folder holding the root package.json: a checkout, or `releases/<version>` of an installed copy. */
export const APP_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url)).replace(/[\\/]$/, '');

/** Read `{name, version}` of an app folder's package.json; throws when it is not a PhotoSync folder. */
export function readAppVersion(appRoot: string): string {
  const pkg = JSON.parse(readFileSync(`${appRoot}/package.json`, 'utf8')) as { name?: unknown; version?: unknown };
  if (pkg.name !== 'photosync' || typeof pkg.version !== 'string') {
    throw new Error(`${appRoot} is not a PhotoSync folder (package.json name/version)`);
  }
  return parseVersion(pkg.version).text;
}

/** The version this process runs. */
export const APP_VERSION = readAppVersion(APP_ROOT);
