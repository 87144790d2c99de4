/**
 * Installs a new release's production dependencies before it can become `current`. The default is
 * `npm ci --omit=dev` (exactly the lock file, no dev tools); the command can be replaced, e.g. by a
 * person with an offline mirror, or by tests that have no network.
 */
import { runCommand } from './external-command.ts';

/** Install dependencies inside `releaseDir`; rejects (with the command's output) when that fails. */
export type InstallDependencies = (releaseDir: string) => Promise<void>;

export const DEFAULT_INSTALL_COMMAND = 'npm ci --omit=dev --no-audit --no-fund';

/** Run `commandLine` through the shell in the release folder. */
export function commandInstaller(commandLine: string = DEFAULT_INSTALL_COMMAND): InstallDependencies {
  return async (releaseDir) => {
    await runCommand(commandLine, [], { cwd: releaseDir, shell: true });
  };
}

/**
 * Prove a freshly installed release can start before switching to it: its own code, through its own tsx,
 * loads the server and opens a SQLite database (`update-main.ts self-test`), and reports the version.
 */
export async function selfTestRelease(releaseDir: string, expectedVersion: string): Promise<void> {
  const output = await runCommand(
    process.execPath,
    ['--import', 'tsx', 'apps/server/src/update-main.ts', 'self-test'],
    {
      cwd: releaseDir,
      env: { ...process.env, PHOTOSYNC_UPDATE_CHECK: 'off' },
    },
  );
  const version = /^photosync (\S+) ok$/m.exec(output)?.[1];
  if (version !== expectedVersion) {
    throw new Error(`the new release reports version ${version ?? '(none)'} instead of ${expectedVersion}`);
  }
}
