/**
 * The HTTP layer under tus-js-client, built on the client's WHATWG `fetch` (bodiless requests) and its
 * `SendSizedBody` port (PATCH bodies: node:http on Node, a ReadableStream through fetch elsewhere) instead
 * of tus-js-client's own node:http or XHR stacks: the same code runs in Node, browsers and React Native,
 * tests can inject a fetch, and request bodies are counted as they are handed to the connection. Bodies
 * are `SizedBody` slices from `localFilesReader` (./tus-upload.ts), sent exactly as long as they claim.
 */
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { countedChunks, exactly, sendWithFetch, type SendSizedBody, type SizedBody } from '../sized-body.ts';

export interface TusHttpTarget {
  readonly fetch: typeof globalThis.fetch;
  readonly sendSizedBody?: SendSizedBody;
}

export class FetchHttpStack implements HttpStack {
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly sendSized: SendSizedBody;

  constructor(
    target: TusHttpTarget,
    private readonly onBytesSent: (bytes: number) => void,
  ) {
    this.fetchImpl = target.fetch;
    this.sendSized = target.sendSizedBody ?? sendWithFetch(target.fetch);
  }

  createRequest(method: string, url: string): HttpRequest {
    return new FetchHttpRequest(this.fetchImpl, this.sendSized, method, url, this.onBytesSent);
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
    private readonly sendSized: SendSizedBody,
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
    const headers = { ...this.headers };
    let response: Response;
    if (body != null) {
      const slice = body as SizedBody;
      let sent = 0;
      const counted = (bytes: number): void => {
        sent += bytes;
        this.onBytesSent(bytes);
        this.progress(sent);
      };
      response = await this.sendSized({
        url: new URL(this.url),
        method: this.method,
        headers,
        body: {
          size: slice.size,
          chunks: () => countedChunks(exactly(slice.chunks(), slice.size), counted),
          ...(slice.reusesChunks ? { reusesChunks: true } : {}),
        },
        signal: this.controller.signal,
      });
    } else {
      response = await this.fetchImpl(this.url, { method: this.method, headers, signal: this.controller.signal });
    }
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
