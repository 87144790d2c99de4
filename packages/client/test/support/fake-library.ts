/**
 * An in-memory stand-in for the server's library as the sync engine sees it: the bulk "have" check, raw
 * uploads with SHA-256 checking, and a small tus 1.0 server behind a fake `fetch` that keeps partial bytes
 * like the real one, can drop a connection mid-body, and counts every body byte it receives.
 */
import { createHash } from 'node:crypto';
import { isSizedBody } from '../../src/sized-body.ts';
import type { BackupClient } from '../../src/sync/backup.ts';

interface TusUpload {
  readonly length: number;
  readonly metadata: Record<string, string>;
  chunks: Buffer[];
  offset: number;
}

export class FakeLibrary {
  readonly stored = new Map<string, { name: string; bytes: Buffer }>();
  readonly tus = new Map<string, TusUpload>();
  bytesReceived = 0;
  rawUploads = 0;
  tusCreated = 0;
  /** When set, the next PATCH fails like a dropped connection once the upload reaches this offset. */
  dropAtOffset: number | undefined;
  /** Called with the running total after each body chunk received (tests interrupt a run from here). */
  onBytesReceived: ((total: number) => void) | undefined;

  readonly client: BackupClient = {
    haveFiles: (sha256s) =>
      Promise.resolve({
        have: sha256s.filter((s) => this.stored.has(s)).map((s) => ({ sha256: s, filename: this.stored.get(s)!.name })),
        missing: sha256s.filter((s) => !this.stored.has(s)),
      }),
    upload: async (body, options) => {
      this.rawUploads += 1;
      const bytes = await this.drain(isSizedBody(body) ? body.chunks() : (body as ReadableStream<Uint8Array>));
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (options.sha256 && options.sha256 !== sha) throw new Error('sha mismatch');
      const { name, duplicate } = this.store(options.filename, bytes, sha);
      return {
        message: 'ok',
        filename: name,
        sha256: sha,
        size: bytes.length,
        ...(duplicate ? { duplicate: true } : {}),
      };
    },
    resumableUploads: () => ({
      endpoint: 'http://fake.test/api/v2/tus',
      fetch: (input, init) => this.tusFetch(input instanceof Request ? input.url : String(input), init ?? {}),
      headers: () => ({ authorization: 'Bearer test' }),
    }),
  };

  names(): string[] {
    return [...this.stored.values()].map((entry) => entry.name).sort();
  }

  private store(filename: string, bytes: Buffer, sha: string): { name: string; duplicate: boolean } {
    const existing = this.stored.get(sha);
    if (existing) return { name: existing.name, duplicate: true };
    const taken = new Set(this.names());
    let name = filename;
    for (let n = 1; taken.has(name); n += 1) name = filename.replace(/(\.[^.]*)?$/, ` (${n})$1`);
    this.stored.set(sha, { name, bytes });
    return { name, duplicate: false };
  }

  private async drain(body: AsyncIterable<Uint8Array>, stopAt = Infinity): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk));
      length += chunk.byteLength;
      this.bytesReceived += chunk.byteLength;
      this.onBytesReceived?.(this.bytesReceived);
      if (length >= stopAt) break;
    }
    return Buffer.concat(chunks);
  }

  private async tusFetch(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (headers.get('authorization') !== 'Bearer test') return new Response('{"error":"no"}', { status: 401 });
    const id = url.split('/').pop() ?? '';
    switch (init.method ?? 'GET') {
      case 'POST': {
        this.tusCreated += 1;
        const newId = `u${this.tusCreated}`;
        const metadata = Object.fromEntries(
          (headers.get('upload-metadata') ?? '').split(',').map((pair) => {
            const [key, value] = pair.trim().split(' ');
            return [key ?? '', Buffer.from(value ?? '', 'base64').toString()];
          }),
        );
        this.tus.set(newId, { length: Number(headers.get('upload-length')), metadata, chunks: [], offset: 0 });
        return new Response(null, { status: 201, headers: { location: `/api/v2/tus/${newId}` } });
      }
      case 'HEAD': {
        const upload = this.tus.get(id);
        if (!upload) return new Response(null, { status: 404 });
        return new Response(null, {
          status: 200,
          headers: { 'upload-offset': String(upload.offset), 'upload-length': String(upload.length) },
        });
      }
      case 'PATCH':
        return this.patch(id, headers, init.body as ReadableStream<Uint8Array>);
      default:
        return new Response(null, { status: 405 });
    }
  }

  private async patch(id: string, headers: Headers, body: ReadableStream<Uint8Array>): Promise<Response> {
    const upload = this.tus.get(id);
    if (!upload) return new Response(null, { status: 404 });
    if (Number(headers.get('upload-offset')) !== upload.offset) return new Response(null, { status: 409 });
    const drop = this.dropAtOffset;
    const bytes = await this.drain(body, drop === undefined ? Infinity : drop - upload.offset);
    upload.chunks.push(bytes);
    upload.offset += bytes.length;
    if (drop !== undefined && upload.offset >= drop) {
      this.dropAtOffset = undefined;
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    if (upload.offset < upload.length)
      return new Response(null, { status: 204, headers: { 'upload-offset': String(upload.offset) } });
    const all = Buffer.concat(upload.chunks);
    const sha = createHash('sha256').update(all).digest('hex');
    if (sha !== upload.metadata['sha256']) return new Response('{"error":"SHA-256 mismatch"}', { status: 400 });
    this.tus.delete(id);
    const { name, duplicate } = this.store(upload.metadata['filename'] ?? 'unnamed', all, sha);
    return new Response(null, {
      status: 204,
      headers: {
        'upload-offset': String(upload.offset),
        'x-photosync-filename': encodeURIComponent(name),
        'x-photosync-duplicate': String(duplicate),
      },
    });
  }
}
