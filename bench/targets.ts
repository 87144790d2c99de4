/**
 * How the load generator addresses each server: our compatibility raw-upload route or the StealthCloud
 * chunk route with a signed-in device (account created through the real API with @photosync/client), or the
 * baseline's bare POST.
 * Must never: talk to anything but the loopback URL the server printed.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@photosync/client';
import type { BenchServer } from './server-processes.ts';

/** A signed-in device of our server. */
export interface DeviceSession {
  readonly token: string;
  readonly deviceUuid: string;
}

/** Where and how to POST one upload to a server. */
export interface UploadTarget {
  readonly server: BenchServer;
  readonly url: URL;
  headersFor(filename: string, bytes: number): Record<string, string>;
}

/** An account's sign-in, for clients that log in themselves (the CLI). */
export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export function newCredentials(): Credentials {
  return { email: `bench-${randomUUID().slice(0, 8)}@example.com`, password: 'benchmark-password' };
}

/** Register a fresh account on our server; the token is bound to a new device uuid. */
export async function signUp(server: BenchServer, credentials = newCredentials()): Promise<DeviceSession> {
  const deviceUuid = randomUUID();
  const client = createClient({ baseUrl: server.url });
  const { token } = await client.register({ ...credentials, deviceUuid });
  return { token, deviceUuid };
}

/** Auth headers of the compatibility API. */
export function authHeaders(session: DeviceSession): Record<string, string> {
  return { authorization: `Bearer ${session.token}`, 'x-device-uuid': session.deviceUuid };
}

/** `POST /api/upload/raw` as a phone sends it. */
export function ourUploadTarget(server: BenchServer, session: DeviceSession): UploadTarget {
  return {
    server,
    url: new URL('/api/upload/raw', server.url),
    headersFor: (filename, bytes) => ({
      ...authHeaders(session),
      'x-filename': encodeURIComponent(filename),
      'content-type': 'image/jpeg',
      'content-length': String(bytes),
    }),
  };
}

/** `POST /api/cloud/chunks` as a StealthCloud client sends a chunk: here the name is the chunk id. */
export function ourChunkTarget(server: BenchServer, session: DeviceSession): UploadTarget {
  return {
    server,
    url: new URL('/api/cloud/chunks', server.url),
    headersFor: (chunkId, bytes) => ({
      ...authHeaders(session),
      'x-chunk-id': chunkId,
      'content-type': 'application/octet-stream',
      'content-length': String(bytes),
    }),
  };
}

/** The baseline takes any POST; the name is sent too, so both servers parse the same headers. */
export function baselineUploadTarget(server: BenchServer): UploadTarget {
  return {
    server,
    url: new URL('/upload', server.url),
    headersFor: (filename, bytes) => ({
      'x-filename': encodeURIComponent(filename),
      'content-type': 'image/jpeg',
      'content-length': String(bytes),
    }),
  };
}
