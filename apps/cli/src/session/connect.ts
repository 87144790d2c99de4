/**
 * Get an authenticated API client for a command: either sign in from flags (`--server`, `--email`, password
 * from PHOTOSYNC_PASSWORD — never from argv) and remember the session, or reuse the saved session.
 */
import { createClient, type PhotoSyncClient } from '@photosync/client/library';
import { nodeSizedBodySender } from '@photosync/client/node';
import { CliError, EXIT } from '../cli-error.ts';
import { serverUrl } from '../server-address.ts';
import { deviceUuidOf, loadSession, saveSession, type StoredSession } from './session-store.ts';

export interface ConnectionOptions {
  readonly server?: string;
  readonly email?: string;
  readonly stateDir: string;
}

export interface Connection {
  readonly client: PhotoSyncClient;
  readonly session: StoredSession;
}

export function passwordFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const password = env['PHOTOSYNC_PASSWORD'];
  if (!password) {
    throw new CliError(
      'set PHOTOSYNC_PASSWORD to the account password (it is never read from the command line)',
      EXIT.usage,
    );
  }
  return password;
}

/** Sign in with email + password and save the session. */
export async function signIn(options: {
  server: string;
  email: string;
  password: string;
  stateDir: string;
}): Promise<Connection> {
  const baseUrl = serverUrl(options.server);
  const deviceUuid = await deviceUuidOf(options.stateDir);
  const anonymous = createClient({ baseUrl });
  const { token, userId } = await anonymous.login({
    email: options.email,
    password: options.password,
    deviceUuid,
    deviceName: 'photosync CLI',
  });
  const session: StoredSession = {
    server: baseUrl,
    email: options.email.trim().toLowerCase(),
    token,
    deviceUuid,
    userId,
    savedAt: new Date().toISOString(),
  };
  await saveSession(options.stateDir, session);
  return { client: authenticatedClient(baseUrl, { token, deviceUuid }), session };
}

/** The client for a command: flags win (non-interactive sign-in), else the saved session. */
export async function connect(options: ConnectionOptions): Promise<Connection> {
  if (options.server || options.email) {
    if (!options.server || !options.email) throw new CliError('--server and --email go together', EXIT.usage);
    return signIn({
      server: options.server,
      email: options.email,
      password: passwordFromEnv(),
      stateDir: options.stateDir,
    });
  }
  const session = await loadSession(options.stateDir);
  if (!session) {
    throw new CliError(
      'not signed in: run `photosync login` or pass --server and --email (with PHOTOSYNC_PASSWORD)',
      EXIT.auth,
    );
  }
  return {
    client: authenticatedClient(session.server, { token: session.token, deviceUuid: session.deviceUuid }),
    session,
  };
}

/** Uploads stream files straight into node:http (see @photosync/client/node's `nodeSizedBodySender`). */
function authenticatedClient(baseUrl: string, auth: { token: string; deviceUuid: string }): PhotoSyncClient {
  return createClient({ baseUrl, auth, sendSizedBody: nodeSizedBodySender() });
}
