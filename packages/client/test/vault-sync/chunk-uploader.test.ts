/**
 * FileChunkUpload hands a chunk's memory back (EncryptedChunk.release) only once the server has confirmed
 * the chunk stored: after a successful upload (retries included) or when `have` says the server holds it —
 * never after a failed attempt, when the HTTP stack could still be sending its bytes. The client is a fake
 * at the edge of this unit (the real-server runs are in v2-round-trip and resume tests).
 */
import { describe, expect, it } from 'vitest';
import type { EncryptedChunk } from '@photosync/crypto';
import type { PhotoSyncClient } from '../../src/client.ts';
import { FileChunkUpload, UploadSlots } from '../../src/vault-sync/chunk-uploader.ts';

interface Probe {
  readonly chunk: EncryptedChunk;
  readonly events: string[];
}

function probeChunk(index: number, events: string[]): Probe {
  const chunk: EncryptedChunk = {
    kind: 'chunk',
    index,
    chunkId: `id${index}`,
    ciphertext: new Uint8Array(32),
    plainSize: 16,
    release: () => void events.push(`release ${index}`),
  };
  return { chunk, events };
}

/** A client whose putChunk fails `failures[id]` times (a 503) before it stores the chunk. */
function fakeClient(events: string[], failures: Record<string, number>, have: string[] = []): PhotoSyncClient {
  const vault = {
    putChunk: async (chunkId: string) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if ((failures[chunkId] ?? 0) > 0) {
        failures[chunkId]!--;
        events.push(`fail ${chunkId}`);
        throw Object.assign(new Error('busy'), { status: 503 });
      }
      events.push(`stored ${chunkId}`);
      return { chunkId, stored: true };
    },
    haveChunks: async () => ({ have }),
  };
  return { vault } as unknown as PhotoSyncClient;
}

const tally = () => ({ chunksUploaded: 0, chunkBytesSent: 0, chunksAlreadyStored: 0 });
const retry = { retries: 2, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => true };

describe('chunk uploader and chunk memory', () => {
  it('releases a chunk only after the server stored it, retries included', async () => {
    const events: string[] = [];
    const client = fakeClient(events, { id1: 2 });
    const upload = new FileChunkUpload({ client, slots: new UploadSlots(4), retry, tally: tally(), windowed: false });
    for (const index of [0, 1, 2]) await upload.offer(probeChunk(index, events).chunk);
    await upload.finish();
    for (const index of [0, 1, 2]) {
      expect(events.indexOf(`release ${index}`)).toBeGreaterThan(events.indexOf(`stored id${index}`));
    }
    expect(events.filter((event) => event === 'fail id1')).toHaveLength(2);
    expect(events.filter((event) => event.startsWith('release'))).toHaveLength(3);
  });

  it('never releases a chunk whose upload failed for good', async () => {
    const events: string[] = [];
    const client = fakeClient(events, { id0: 10 });
    const upload = new FileChunkUpload({ client, slots: new UploadSlots(1), retry, tally: tally(), windowed: false });
    await upload.offer(probeChunk(0, events).chunk);
    await expect(upload.finish()).rejects.toThrow('busy');
    expect(events).not.toContain('release 0');
  });

  it('releases the chunks of a window the server already has, without sending them', async () => {
    const events: string[] = [];
    const client = fakeClient(events, {}, ['id0']);
    const upload = new FileChunkUpload({
      client,
      slots: new UploadSlots(2),
      retry,
      tally: tally(),
      windowed: true,
      checkExisting: () => true,
    });
    for (const index of [0, 1]) await upload.offer(probeChunk(index, events).chunk);
    await upload.finish();
    expect(events).toContain('release 0');
    expect(events).not.toContain('stored id0');
    expect(events.indexOf('release 1')).toBeGreaterThan(events.indexOf('stored id1'));
  });
});
