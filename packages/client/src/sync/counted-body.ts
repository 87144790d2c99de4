/**
 * A request body that counts what it hands to the HTTP stack, so a backup reports the bytes it really sent
 * (retries and resumed uploads included) rather than file sizes. Pull-based with no read-ahead: a chunk is
 * read from the file, and counted, only when the connection asks for it.
 */

export function countedBody(
  chunks: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  const iterator: AsyncIterator<Uint8Array, unknown> = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        onBytes(next.value.byteLength);
        controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** At most `length` bytes of `chunks` (a tus PATCH carries one slice of the file). */
export async function* takeBytes(chunks: AsyncIterable<Uint8Array>, length: number): AsyncIterable<Uint8Array> {
  let left = length;
  if (left <= 0) return;
  for await (const chunk of chunks) {
    if (chunk.byteLength >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    left -= chunk.byteLength;
    yield chunk;
  }
}
