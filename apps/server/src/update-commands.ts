/**
 * `npm run check-update` and `npm run update` (also `photosync check-update` / `photosync update`): what
 * they print and the exit codes scripts can rely on. The work itself is in services/update; this file
 * only turns options and results into lines for a person.
 *
 * Exit codes — check-update: 0 up to date, 10 an update is available, 1 the check failed, 2 usage.
 * update: 0 updated (or already up to date), 1 the update failed and was rolled back (nothing changed),
 * 2 this folder is not an installed copy (a source checkout: use git) or usage.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { APP_ROOT, APP_VERSION } from './services/update/app-version.ts';
import { commandInstaller } from './services/update/dependency-install.ts';
import { installRootOf, LayoutError, restartCommands } from './services/update/install-layout.ts';
import { installUpdate } from './services/update/release-installer.ts';
import { UpdateChecker } from './services/update/update-checker.ts';
import { loadUpdateConfig } from './services/update/update-config.ts';

export const UPDATE_EXIT = { ok: 0, failed: 1, usage: 2, updateAvailable: 10 } as const;

export interface UpdateCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where data lives is resolved like the server does (PHOTOSYNC_DATA_DIR relative to this folder). */
  readonly cwd?: string;
  /** The install to update (default: the one this code runs from). */
  readonly installRoot?: string;
  /** Replaces `npm ci --omit=dev` (offline mirrors, tests). */
  readonly installCommand?: string;
  readonly fetch?: typeof fetch;
  readonly print?: (line: string) => void;
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

export async function runCheckUpdate(options: UpdateCommandOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const config = loadUpdateConfig(options.env ?? process.env);
  // An explicit check runs even with PHOTOSYNC_UPDATE_CHECK=off: that setting only stops the background check.
  const checker = new UpdateChecker({
    config: { ...config, checkEnabled: true },
    currentVersion: APP_VERSION,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const status = await checker.check();
  print(`Installed: PhotoSync ${status.currentVersion}`);
  if (status.state === 'failed') {
    print(`Could not check for updates: ${status.error}`);
    return UPDATE_EXIT.failed;
  }
  const published = status.publishedAt ? ` (published ${status.publishedAt.slice(0, 10)})` : '';
  print(`Latest:    PhotoSync ${status.latestVersion}${published}${status.releaseUrl ? `  ${status.releaseUrl}` : ''}`);
  if (status.releaseNotes) print(`\nRelease notes:\n${indent(status.releaseNotes)}\n`);
  if (status.state === 'available') {
    print(`An update is available. Install it with \`${status.updateCommand}\`, then restart the server.`);
    return UPDATE_EXIT.updateAvailable;
  }
  print('PhotoSync is up to date.');
  return UPDATE_EXIT.ok;
}

export async function runUpdate(options: UpdateCommandOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const env = options.env ?? process.env;
  const installRoot = options.installRoot ?? (await installRootOf(APP_ROOT));
  if (!installRoot) {
    print(
      `${APP_ROOT} is a source checkout, not an installed copy: update it with \`git pull && npm install\`. ` +
        '`npm run update` works in installs made by scripts/install.sh or scripts/install-server.sh.',
    );
    return UPDATE_EXIT.usage;
  }
  try {
    const config = loadUpdateConfig(env);
    const result = await installUpdate({
      installRoot,
      feedUrl: config.feedUrl,
      publicKeyPem: await readFile(join(installRoot, 'current', 'scripts', 'release-public-key.pem'), 'utf8'),
      installDependencies: commandInstaller(options.installCommand),
      dataDirs: [resolve(options.cwd ?? process.cwd(), env['PHOTOSYNC_DATA_DIR'] || 'data')],
      log: print,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (result.kind === 'up-to-date') {
      print(`PhotoSync ${result.currentVersion} is up to date (latest release: ${result.latestVersion}).`);
      return UPDATE_EXIT.ok;
    }
    print(`\nPhotoSync ${result.to} is installed. The running server was NOT restarted; restart it when it suits you:`);
    for (const command of restartCommands()) print(`  ${command}`);
    print(`Previous version kept in ${result.previousDir}; backup: ${result.backup}`);
    if (result.notes) print(`\nRelease notes:\n${indent(result.notes)}`);
    return UPDATE_EXIT.ok;
  } catch (error) {
    print(`Update failed: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof LayoutError ? UPDATE_EXIT.usage : UPDATE_EXIT.failed;
  }
}
