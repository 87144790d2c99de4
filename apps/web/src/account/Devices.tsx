/** Devices signed in to the account, most recent first; revoking one signs it out at once. */
import { useState } from 'react';
import type { DeviceEntry } from '@photosync/protocol';
import { api, explain } from '../app/api.ts';
import { ConfirmDialog } from '../ui/Dialog.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';

export function Devices() {
  const devices = useLoad(() => api().account.devices(), []);
  const [revoking, setRevoking] = useState<DeviceEntry>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const revoke = (device: DeviceEntry) => {
    setBusy(true);
    api()
      .account.revokeDevice(device.id)
      .then(
        () => devices.reload(),
        (failure: unknown) => setError(explain(failure)),
      )
      .finally(() => {
        setBusy(false);
        setRevoking(undefined);
      });
  };

  return (
    <section className="card" aria-labelledby="devices-title">
      <h2 id="devices-title">Devices</h2>
      {devices.error && (
        <p role="alert" className="error">
          {devices.error}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="device-list">
        {devices.data?.devices.map((device) => (
          <li key={device.id} data-device-id={device.id}>
            <div>
              <strong>{device.name ?? 'Unnamed device'}</strong>
              {device.current && <span className="badge"> This browser</span>}
              <br />
              <span className="hint">
                Last seen {formatDateTime(device.lastSeen)} · first signed in {formatDateTime(device.createdAt)}
              </span>
            </div>
            {!device.current && (
              <button type="button" className="danger" onClick={() => setRevoking(device)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      {revoking && (
        <ConfirmDialog
          title="Revoke this device?"
          message={`${revoking.name ?? 'This device'} will be signed out at once and must sign in again to back up.`}
          confirmLabel="Revoke"
          busy={busy}
          onConfirm={() => revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        />
      )}
    </section>
  );
}
