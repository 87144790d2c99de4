/**
 * The Node chunk pipeline's buffers: one box (MAC ‖ 2 MiB of ciphertext) per chunk, reused across chunks and
 * files instead of allocated, zero-filled, faulted in and collected again for every 2 MiB (which costs about a
 * sixth of the pipeline's CPU time). A box comes back to the pool when the pipeline is done with it, or when
 * the consumer releases a chunk it has uploaded (EncryptedChunk.release); spares unused for SPARE_IDLE_MS go.
 * Must never hand out a box that something can still read: releasing detaches the buffer (structuredClone with
 * transfer), so every view a consumer kept of the released ciphertext is empty from then on, and whatever is
 * written into the memory next (another chunk's plaintext, on its way to the worker) can never be read or sent
 * through a stale reference.
 */
import { SECRETBOX_MAC_BYTES } from './backend.ts';
import { CHUNK_SIZE } from './chunk-cipher.ts';

/** The size of every pooled buffer: a full chunk's box. */
export const BOX_BYTES = CHUNK_SIZE + SECRETBOX_MAC_BYTES;

/** Enough for every chunk the pipeline holds at once, and a consumer's few uploads in flight. */
const SPARE_LIMIT = 12;
/** Spares unused this long are let go, so a long-running process (the tray) does not keep 24 MiB idle. */
export const SPARE_IDLE_MS = 30_000;
const spares: ArrayBuffer[] = [];
let idleTimer: NodeJS.Timeout | undefined;

/** (Re)start the countdown after which unused spares are dropped; it never keeps a process alive. */
function touched(): void {
  clearTimeout(idleTimer);
  if (spares.length === 0) return;
  idleTimer = setTimeout(() => void (spares.length = 0), SPARE_IDLE_MS);
  idleTimer.unref();
}

/** A box-sized buffer whose bytes are whatever a previous chunk left (callers overwrite what they use). */
export function takeBox(): ArrayBuffer {
  const box = spares.pop() ?? new ArrayBuffer(BOX_BYTES);
  touched();
  return box;
}

/** Keep `buffer` for a later chunk; only the pipeline's own buffers, nothing a consumer can still see. */
export function giveBack(buffer: ArrayBuffer): void {
  if (buffer.byteLength === BOX_BYTES && spares.length < SPARE_LIMIT) spares.push(buffer);
  touched();
}

/** How many spare boxes are kept (tests). */
export function spareBoxes(): number {
  return spares.length;
}

/**
 * The box of a sealed chunk as its consumer gets it: a Uint8Array that owns its whole ArrayBuffer (a short last
 * chunk is copied out and its box kept), and a `release` that gives a full box back at most once.
 */
export function boxForConsumer(
  buffer: ArrayBuffer,
  plainSize: number,
): { ciphertext: Uint8Array; release: () => void } {
  if (plainSize !== CHUNK_SIZE) {
    const ciphertext = new Uint8Array(buffer, 0, plainSize + SECRETBOX_MAC_BYTES).slice();
    giveBack(buffer);
    return { ciphertext, release: () => undefined };
  }
  let released = false;
  return {
    ciphertext: new Uint8Array(buffer),
    release: () => {
      if (released || buffer.byteLength !== BOX_BYTES) return; // released already, or transferred elsewhere
      released = true;
      giveBack(structuredClone(buffer, { transfer: [buffer] }));
    },
  };
}
