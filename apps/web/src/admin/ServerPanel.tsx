/**
 * The server: version, update status (/api/v2/server/status), media tools (/api/v2/server/media-tools) and
 * storage used and free per store (/api/v2/admin/server).
 */
import { MediaTools, ServerStatus, type StoreUsage } from '@photosync/protocol';
import { api, getJson } from '../app/api.ts';
import { formatBytes, formatDateTime } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';

function Usage({ label, usage }: { readonly label: string; readonly usage: StoreUsage }) {
  const known = usage.freeBytes !== null && usage.totalBytes !== null;
  const used = known && usage.totalBytes ? usage.totalBytes - (usage.freeBytes ?? 0) : 0;
  return (
    <div className="usage">
      <p>
        <strong>{label}</strong>: {formatBytes(usage.usedBytes)} stored
        {known
          ? ` · ${formatBytes(usage.freeBytes ?? 0)} free of ${formatBytes(usage.totalBytes ?? 0)}`
          : ' · free space unknown'}
      </p>
      {known && <progress max={usage.totalBytes ?? 1} value={used} aria-label={`${label}: disk used`} />}
    </div>
  );
}

function UpdateStatus() {
  const status = useLoad((signal) => getJson(ServerStatus, '/api/v2/server/status', signal), []);
  if (status.error) return <p className="hint">Update status is not available ({status.error}).</p>;
  const update = status.data?.update;
  if (!update) return null;
  const text: Record<typeof update.state, string> = {
    off: 'Update checks are turned off.',
    pending: 'Checking for updates…',
    'up-to-date': 'This is the latest version.',
    available: `Version ${update.latestVersion ?? '?'} is available. Install it with: ${update.updateCommand}`,
    failed: `The last update check failed${update.error ? `: ${update.error}` : ''}.`,
  };
  return (
    <p data-update-state={update.state}>
      {text[update.state]}
      {update.checkedAt && <span className="hint"> (checked {formatDateTime(update.checkedAt)})</span>}
    </p>
  );
}

function Tools() {
  const tools = useLoad((signal) => getJson(MediaTools, '/api/v2/server/media-tools', signal), []);
  if (!tools.data) return null;
  return tools.data.ffmpeg ? null : (
    <p className="warning" role="note">
      ffmpeg is not installed on the server: videos show a placeholder instead of a frame. Install ffmpeg (for example{' '}
      <code>apt install ffmpeg</code>) and restart the server.
    </p>
  );
}

export function ServerPanel() {
  const overview = useLoad(() => api().admin.server(), []);
  return (
    <section className="card" aria-labelledby="server-title">
      <h2 id="server-title">Server</h2>
      {overview.error && (
        <p role="alert" className="error">
          {overview.error}
        </p>
      )}
      {overview.data && (
        <>
          <p>
            PhotoSync <strong data-testid="server-version">{overview.data.version}</strong>
          </p>
          <UpdateStatus />
          <Tools />
          <Usage label="Library" usage={overview.data.storage.library} />
          <Usage label="StealthCloud" usage={overview.data.storage.vault} />
        </>
      )}
    </section>
  );
}
