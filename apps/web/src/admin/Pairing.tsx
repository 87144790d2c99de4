/**
 * Pair a phone: a one-time code (5 minutes, single use) shown as a QR code that carries the server's
 * addresses and the code, drawn here by the qrcode package (nothing leaves the page), plus every address
 * to copy by hand.
 */
import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';
import { pairingUri, ServerStatus, type PairingCodeResponse } from '@photosync/protocol';
import { api, explain, getJson } from '../app/api.ts';
import { CopyButton } from '../ui/CopyButton.tsx';
import { useLoad } from '../ui/use-load.ts';

function QrCanvas({ payload }: { readonly payload: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!canvas.current) return;
    QRCode.toCanvas(canvas.current, payload, { errorCorrectionLevel: 'M', margin: 4, scale: 6 }).catch(
      (failure: unknown) => setError(explain(failure)),
    );
  }, [payload]);
  if (error) return <p className="error">{error}</p>;
  return (
    <canvas ref={canvas} className="qr" data-payload={payload} role="img" aria-label="QR code for pairing a phone" />
  );
}

export function Pairing() {
  const [created, setCreated] = useState<PairingCodeResponse>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const create = () => {
    setBusy(true);
    setError(undefined);
    api()
      .pairing.createCode()
      .then(setCreated, (failure: unknown) => setError(explain(failure)))
      .finally(() => setBusy(false));
  };

  const status = useLoad((signal) => getJson(ServerStatus, '/api/v2/server/status', signal), []);
  const addresses = created?.serverUrls ?? [...new Set([window.location.origin, ...(status.data?.lanUrls ?? [])])];
  const expires = created ? new Date(created.expiresAt).toLocaleTimeString(undefined, { timeStyle: 'short' }) : '';
  return (
    <section className="card pairing" aria-labelledby="pairing-title">
      <h2 id="pairing-title">Pair a phone</h2>
      <p>
        In the PhotoSync app on the phone, choose <em>Scan pairing code</em> and point the camera at the code. The phone
        signs in to your account without a password.
      </p>
      <button type="button" className="primary" onClick={create} disabled={busy}>
        {created ? 'New pairing code' : 'Show pairing code'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {created && (
        <div className="pairing-code">
          <QrCanvas payload={pairingUri(created.code, created.serverUrls)} />
          <div>
            <p>
              Code{' '}
              <strong className="code" data-testid="pairing-code">
                {created.code}
              </strong>
              <br />
              <span className="hint">Works once, until {expires}.</span>
            </p>
          </div>
        </div>
      )}
      <h3>Server addresses</h3>
      <p className="hint">To connect a phone by hand, choose Local in the app and enter one of these.</p>
      <ul className="addresses">
        {addresses.map((url) => (
          <li key={url}>
            <CopyButton text={url} label={`address ${url}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
