/**
 * Test stand-in for `npm ci --omit=dev`: these machines cannot download native binaries (better-sqlite3,
 * sharp), so a test release gets this checkout's installed dependencies as symlinks, with the workspace
 * packages (@photosync/*) pointing into the release itself, exactly as npm links them. The release then
 * runs its own code with real dependencies. Usable in-process or as a command run inside a release folder:
 *   tsx apps/server/test/update/support/link-dependencies.ts
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url)).replace(/\/$/, '');

/** The command line (for PHOTOSYNC_DEPS_COMMAND / --install-command) that runs this in the current folder. */
export const LINK_DEPENDENCIES_COMMAND = `${join(REPO_ROOT, 'node_modules', '.bin', 'tsx')} ${fileURLToPath(import.meta.url)}`;

async function workspaces(releaseDir: string): Promise<Array<{ name: string; dir: string }>> {
  const found: Array<{ name: string; dir: string }> = [];
  for (const group of ['packages', 'apps']) {
    const parent = join(releaseDir, group);
    if (!existsSync(parent)) continue;
    for (const entry of await readdir(parent)) {
      const manifest = join(parent, entry, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(await readFile(manifest, 'utf8')) as { name: string };
      found.push({ name, dir: join(group, entry) });
    }
  }
  return found;
}

export async function linkDependencies(releaseDir: string): Promise<void> {
  const modules = join(releaseDir, 'node_modules');
  await mkdir(join(modules, '@photosync'), { recursive: true });
  for (const entry of await readdir(join(REPO_ROOT, 'node_modules'))) {
    if (entry === '@photosync') continue;
    await symlink(join(REPO_ROOT, 'node_modules', entry), join(modules, entry));
  }
  for (const workspace of await workspaces(releaseDir)) {
    const link = join(modules, workspace.name);
    await symlink(relative(join(link, '..'), join(releaseDir, workspace.dir)), link);
    // Dependencies npm had to nest under a workspace (a version conflict) stay nested.
    const nested = join(REPO_ROOT, workspace.dir, 'node_modules');
    if (existsSync(nested)) await symlink(nested, join(releaseDir, workspace.dir, 'node_modules'));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await linkDependencies(process.cwd());
}
