/**
 * A release feed on loopback for update tests: serves a GitHub-style "latest release" document and its
 * assets over node:http, and can misbehave on purpose (cut the archive download mid-way, answer an error,
 * hang). Tests never reach GitHub.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PublishedRelease {
  readonly version: string;
  readonly notes?: string;
  readonly prerelease?: boolean;
  /** Asset name → bytes; leave out the `.sig` for an unsigned release. */
  readonly assets: Readonly<Record<string, Buffer>>;
}

export interface ServeOptions {
  /** Send only this many bytes of any asset whose name ends in .tar.gz, then cut the connection. */
  readonly cutArchiveAfter?: number;
  /** Answer the feed with this status (and no release). */
  readonly feedStatus?: number;
  /** Never answer the feed (the client's timeout or close must end it). */
  readonly hangFeed?: boolean;
}

export interface ReleaseServer {
  readonly feedUrl: string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  publish(release: PublishedRelease, options?: ServeOptions): void;
  /** Resolves at the next feed request. */
  nextFeedRequest(): Promise<void>;
  close(): Promise<void>;
}

export async function startReleaseServer(): Promise<ReleaseServer> {
  let release: PublishedRelease | undefined;
  let options: ServeOptions = {};
  const requests: string[] = [];
  const feedWaiters: Array<() => void> = [];
  let base = '';

  const server: Server = createServer((request, response: ServerResponse) => {
    const path = request.url ?? '/';
    requests.push(path);
    if (path === '/releases/latest') {
      for (const wake of feedWaiters.splice(0)) wake();
      if (options.hangFeed) return;
      if (options.feedStatus || !release) {
        response.writeHead(options.feedStatus ?? 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          tag_name: `v${release.version}`,
          name: `PhotoSync ${release.version}`,
          body: release.notes ?? `Changes in ${release.version}`,
          html_url: `${base}/releases/tag/v${release.version}`,
          published_at: '2026-01-15T10:00:00Z',
          draft: false,
          prerelease: release.prerelease ?? false,
          assets: Object.entries(release.assets).map(([name, bytes]) => ({
            name,
            size: bytes.length,
            browser_download_url: `${base}/assets/${name}`,
          })),
        }),
      );
      return;
    }
    const name = decodeURIComponent(path.replace(/^\/assets\//, ''));
    const bytes = path.startsWith('/assets/') ? release?.assets[name] : undefined;
    if (!bytes) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    if (options.cutArchiveAfter !== undefined && name.endsWith('.tar.gz')) {
      response.write(bytes.subarray(0, options.cutArchiveAfter), () => request.socket.destroy());
      return;
    }
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    feedUrl: `${base}/releases/latest`,
    requests,
    publish(next, nextOptions = {}) {
      release = next;
      options = nextOptions;
    },
    nextFeedRequest: () => new Promise((resolve) => feedWaiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
