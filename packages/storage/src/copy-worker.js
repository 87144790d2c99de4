// The thread behind ./off-thread-copy.ts: writes staged bytes to their file and hashes them (SHA-256), so the
// server's event loop only receives the body and never spends time in write calls or the hash.
// Plain JavaScript so that it loads in any runtime without a TypeScript loader (tsx, vitest, plain node).
//
// Messages in (in order, per job id):  begin {id, fd} · data {id, data, length} · end {id}
// Messages out: ack {id, data} (the buffer handed back for reuse) · error {id, code, message}
//               · done {id, sha256} · released {id} (after an error: the fd is no longer touched)
// Must never: touch a job's fd after answering `done` or `released` (the owner closes it then and the number
// may be reused), or hash bytes it did not write.
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** @type {Map<number, { fd: number, hash: import('node:crypto').Hash, failed: boolean }>} */
const jobs = new Map();
const port = parentPort;
if (!port) throw new Error('copy-worker.js runs as a worker thread only');

/** @param {number} fd @param {Uint8Array} bytes */
function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.byteLength) {
    offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
  }
}

/** @param {{ type: string, id: number, fd?: number, data?: Uint8Array, length?: number }} message */
function handle(message) {
  const { type, id } = message;
  const job = jobs.get(id);
  switch (type) {
    case 'begin':
      jobs.set(id, { fd: message.fd ?? -1, hash: createHash('sha256'), failed: false });
      return;
    case 'data': {
      const data = message.data ?? new Uint8Array(0);
      if (job && !job.failed) {
        const bytes = data.subarray(0, message.length ?? 0);
        try {
          writeAll(job.fd, bytes);
          job.hash.update(bytes);
        } catch (error) {
          job.failed = true;
          const { code, message: text } = /** @type {NodeJS.ErrnoException} */ (error);
          port.postMessage({ type: 'error', id, code, message: text });
        }
      }
      port.postMessage({ type: 'ack', id, data }, [data.buffer]);
      return;
    }
    case 'end':
      jobs.delete(id);
      if (job && !job.failed) port.postMessage({ type: 'done', id, sha256: job.hash.digest('hex') });
      else port.postMessage({ type: 'released', id });
      return;
    default:
      throw new Error(`copy-worker: unknown message ${type}`);
  }
}

port.on('message', handle);
