/**
 * Every HTTP route the server offers, compat (PROTOCOL.md) and ours (v2), as data.
 * The OpenAPI document is derived from this list; the server's routes parse with the same schemas.
 */
import type { RouteSpec } from '../route-spec.ts';
import { accountRoutes } from './accounts.ts';
import { accountSettingsRoutes } from './account-settings.ts';
import { pairingRoutes } from './pairing.ts';
import { webAppRoutes } from './web-app.ts';
import { adminRoutes } from './admin.ts';
import { libraryRoutes } from './library.ts';
import { mediaRoutes } from './media.ts';
import { serverRoutes } from './server.ts';
import { resumableUploadRoutes } from './resumable.ts';
import { vaultRoutes } from './vault.ts';

export const routes: readonly RouteSpec[] = [
  ...accountRoutes,
  ...libraryRoutes,
  ...mediaRoutes,
  ...resumableUploadRoutes,
  ...vaultRoutes,
  ...adminRoutes,
  ...accountSettingsRoutes,
  ...pairingRoutes,
  ...webAppRoutes,
  ...serverRoutes,
];
