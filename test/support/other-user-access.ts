/**
 * Tests that run a program as another user (the service user `photosync`, `nobody`) need that user to reach
 * this checkout. A clone under a private folder (`mktemp -d` makes it 0700, a home directory often is) is
 * closed to it, and the program then fails with something unrelated, like "Cannot find module". This looks
 * first and fails with the fix instead. Must never: change permissions itself, or let the test skip.
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

/** A command prefix that runs what follows as the other user, e.g. `['runuser', '-u', 'photosync', '--']`. */
export type AsUser = readonly string[];

function passes(asUser: AsUser, test: readonly string[]): boolean {
  const [file = 'test', ...args] = [...asUser, 'test', ...test];
  return spawnSync(file, args, { stdio: 'ignore' }).status === 0;
}

/**
 * Throw unless `path` is readable as the other user, naming the first folder on the way that is closed to
 * it. `who` names the user in the message, `why` says what needs the file.
 */
export function requireReadableAs(asUser: AsUser, who: string, path: string, why: string): void {
  if (passes(asUser, ['-r', path])) return;
  const folders: string[] = [];
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) folders.unshift(folder);
  const closed = folders.find((folder) => !passes(asUser, ['-x', folder]));
  throw new Error(
    `${who} cannot read ${path} (${why})${closed ? `; ${closed} is closed to it` : ''}: chmod o+x its parent folders`,
  );
}
