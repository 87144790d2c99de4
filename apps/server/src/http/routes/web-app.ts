/**
 * The web app (apps/web, built by Vite into WEB_DIR) at `/`: its files, and index.html for any other page
 * address (`/timeline`, `/admin`, ...) so that reloading a page of the single-page app works.
 * Hashed assets (`/assets/*`) are cached for a year; index.html is revalidated every time, so a new build is
 * picked up at once. Every response carries a strict Content-Security-Policy: same origin only, no inline
 * script, nothing from another origin, no framing, no referrer (media URLs carry tickets).
 * Must never answer under `/api/` (unknown API paths stay 404 JSON) and never serve outside WEB_DIR.
 */
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // libsodium (StealthCloud page) compiles WebAssembly; no other script source than our own files.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The file under `root` that `relative` names, or undefined when it would leave `root`. */
function inside(root: string, relative: string): string | undefined {
  const path = resolve(root, relative);
  return path.startsWith(root + sep) ? path : undefined;
}

function wantsPage(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

export async function webAppRoutes(app: FastifyInstance, deps: { readonly webDir: string }): Promise<void> {
  const root = resolve(deps.webDir);
  await app.register(fastifyStatic, { root, serve: false });
  if (!(await isFile(resolve(root, 'index.html')))) {
    app.log.warn({ webDir: root }, 'The web app is not built: `npm start` builds it (or set WEB_DIR to a build)');
  }

  const page = (reply: FastifyReply) =>
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': REVALIDATE }).sendFile('index.html', { cacheControl: false });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const relative = (request.params as { '*'?: string })['*'] ?? '';
    if (relative === 'api' || relative.startsWith('api/')) return reply.callNotFound();
    const built = await isFile(resolve(root, 'index.html'));
    if (!built) {
      if (relative !== '') return reply.callNotFound();
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The PhotoSync web app is not built. Start the server with `npm start`, which builds it.');
    }
    const file = relative === '' ? undefined : inside(root, relative);
    if (file !== undefined && (await isFile(file))) {
      const cache = relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
      return reply.headers({ ...SECURITY_HEADERS, 'cache-control': cache }).sendFile(relative, { cacheControl: false });
    }
    if (relative === '' || wantsPage(request)) return page(reply);
    return reply.callNotFound();
  };

  app.get('/', handler);
  app.get('/*', handler);
}
