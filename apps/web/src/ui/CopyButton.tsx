/**
 * A button that copies its text. The Clipboard API exists only in secure contexts (HTTPS, localhost); on a
 * plain-HTTP LAN address the text is copied through a selected, off-screen text field instead.
 */
import { useState } from 'react';

async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: fall back below.
    }
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'offscreen';
  document.body.append(field);
  field.select();
  // The legacy path is the only one left in insecure contexts.
  const copied = document.execCommand('copy');
  field.remove();
  return copied;
}

export function CopyButton({ text, label }: { readonly text: string; readonly label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'));
  };
  return (
    <button type="button" className="copy" onClick={copy} aria-label={`Copy ${label ?? text}`}>
      <code>{text}</code>
      <span className="copy-state" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy by hand' : 'Copy'}
      </span>
    </button>
  );
}
