/**
 * The HTTP layer under tus-js-client, built on the client's WHATWG `fetch` instead of node:http or XHR:
 * the same code runs in Node, browsers and React Native, tests can inject a fetch, and request bodies are
 * counted as they are handed to the connection (`countedBody`). Bodies come from `LocalFilesReader` slices.
 */
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { countedBody } from './counted-body.ts';

/** One slice of a file as tus-js-client passes it around: it reads `size` for progress. */
export interface SliceBody {
  readonly size: number;
  chunks(): AsyncIterable<Uint8Array>;
}

export class FetchHttpStack implements HttpStack {
  constructor(
    private readonly fetchImpl: typeof globalThis.fetch,
    private readonly onBytesSent: (bytes: number) => void,
  ) {}

  createRequest(method: string, url: string): HttpRequest {
    return new FetchHttpRequest(this.fetchImpl, method, url, this.onBytesSent);
  }

  getName(): string {
    return 'photosync-fetch';
  }
}

class FetchHttpRequest implements HttpRequest {
  private readonly headers: Record<string, string> = {};
  private readonly controller = new AbortController();
  private progress: (bytesSent: number) => void = () => undefined;

  constructor(
    private readonly fetchImpl: typeof globalThis.fetch,
    private readonly method: string,
    private readonly url: string,
    private readonly onBytesSent: (bytes: number) => void,
  ) {}

  getMethod(): string {
    return this.method;
  }

  getURL(): string {
    return this.url;
  }

  setHeader(header: string, value: string): void {
    this.headers[header] = value;
  }

  getHeader(header: string): string | undefined {
    return this.headers[header];
  }

  setProgressHandler(handler: (bytesSent: number) => void): void {
    this.progress = handler;
  }

  async send(body: unknown): Promise<HttpResponse> {
    const init: RequestInit & { duplex?: 'half' } = {
      method: this.method,
      headers: { ...this.headers },
      signal: this.controller.signal,
    };
    if (body != null) {
      const slice = body as SliceBody;
      let sent = 0;
      init.headers = { ...this.headers, 'content-length': String(slice.size) };
      init.body = countedBody(slice.chunks(), (bytes) => {
        sent += bytes;
        this.onBytesSent(bytes);
        this.progress(sent);
      });
      init.duplex = 'half';
    }
    const response = await this.fetchImpl(this.url, init);
    return new FetchHttpResponse(response, await response.text());
  }

  abort(): Promise<void> {
    this.controller.abort();
    return Promise.resolve();
  }

  getUnderlyingObject(): unknown {
    return this.controller;
  }
}

class FetchHttpResponse implements HttpResponse {
  constructor(
    private readonly response: Response,
    private readonly body: string,
  ) {}

  getStatus(): number {
    return this.response.status;
  }

  getHeader(header: string): string | undefined {
    return this.response.headers.get(header) ?? undefined;
  }

  getBody(): string {
    return this.body;
  }

  getUnderlyingObject(): unknown {
    return this.response;
  }
}
