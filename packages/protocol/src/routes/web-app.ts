/** The web app's pages and files, served at `/` (ours; replaces the compatibility 403 at `GET /`). */
import type { RouteSpec } from '../route-spec.ts';

const page = {
  200: { description: 'index.html (Cache-Control: no-cache, strict Content-Security-Policy)', content: 'text' },
  503: { description: 'The web app is not built', content: 'text' },
} as const;

export const webAppRoutes: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/',
    summary: 'The web app',
    tag: 'web app',
    auth: false,
    responses: page,
  },
  {
    method: 'get',
    path: '/*',
    summary: "The web app's files, or index.html for its page addresses",
    description:
      'Hashed files under /assets/ are cached for a year (immutable). Any other path that is not a file is ' +
      'answered with index.html when the request accepts text/html, else 404 JSON. Never answers under /api/.',
    tag: 'web app',
    auth: false,
    responses: {
      200: { description: 'A file of the web app, or index.html', content: 'binary' },
      404: { description: 'Not found (JSON error)' },
    },
  },
];
