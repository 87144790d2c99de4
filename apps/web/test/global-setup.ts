/** vitest global setup: the browser tests need the current web app in apps/web/dist (built only when stale). */
import { ensureWebBuild } from '../scripts/ensure-build.ts';

export default async function setup(): Promise<void> {
  await ensureWebBuild();
}
