/**
 * Where the CLI keeps its state: the signed-in session (0600) and the backup hash cache.
 * `--state-dir DIR`, else PHOTOSYNC_STATE_DIR, else $XDG_CONFIG_HOME/photosync or ~/.config/photosync.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function stateDirOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  if (env['PHOTOSYNC_STATE_DIR']) return resolve(env['PHOTOSYNC_STATE_DIR']);
  const config = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(config, 'photosync');
}
