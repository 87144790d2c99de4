/** Server administration routes (ours): status, version and the result of the update check. */
import { ServerStatus } from '../server.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors } from './shared.ts';

export const serverRoutes: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v2/server/status',
    summary: 'Version, uptime, LAN addresses and the update check result',
    description:
      'The server checks its release feed at start and every 24 hours (unless PHOTOSYNC_UPDATE_CHECK=off). ' +
      'It never installs or restarts by itself: an administrator runs `npm run update`, then restarts.',
    tag: 'server',
    auth: true,
    responses: { 200: { description: 'Status', schema: ServerStatus }, ...authErrors },
  },
];
