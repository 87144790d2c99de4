/**
 * The signed-in session, kept in `{stateDir}/session.json` with mode 0600 (it holds a bearer token).
 * Written atomically (temp file + rename) so a killed CLI never leaves a half-written session.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const StoredSession = z.object({
  server: z.string(),
  email: z.string(),
  token: z.string(),
  deviceUuid: z.string(),
  userId: z.number().int(),
  savedAt: z.string(),
});
export type StoredSession = z.infer<typeof StoredSession>;

const FILE = 'session.json';

export async function loadSession(stateDir: string): Promise<StoredSession | undefined> {
  try {
    const parsed = StoredSession.safeParse(JSON.parse(await readFile(join(stateDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function saveSession(stateDir: string, session: StoredSession): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const temp = join(stateDir, `.${FILE}.${randomUUID()}`);
  await writeFile(temp, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, join(stateDir, FILE));
}

export async function clearSession(stateDir: string): Promise<void> {
  await rm(join(stateDir, FILE), { force: true });
}

/** A stable id for this machine's CLI, kept with the state so the server sees one device per state dir. */
export async function deviceUuidOf(stateDir: string): Promise<string> {
  const path = join(stateDir, 'device-id');
  try {
    const id = (await readFile(path, 'utf8')).trim();
    if (id) return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const id = `cli-${randomUUID()}`;
  await writeFile(path, `${id}\n`, { mode: 0o600 });
  return id;
}
