/**
 * Incremental SHA-256 (FIPS 180-4) in plain TypeScript, for runtimes whose native SHA-256 cannot stream:
 * WebCrypto's digest() is one-shot and plain libsodium-wrappers omits crypto_hash_sha256. Used by the browser
 * backend for whole-file hashes and by the recovery-word checksum. Must never be used where node:crypto is
 * available for bulk data (it is several times slower), and must stay free of any runtime-specific API.
 */
import type { Sha256Stream } from './backend.ts';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** Run the compression function over every whole 64-byte block of data[offset, end); returns bytes used. */
function compressBlocks(state: Int32Array, w: Int32Array, data: Uint8Array, offset: number, end: number): number {
  let a0 = state[0]!,
    b0 = state[1]!,
    c0 = state[2]!,
    d0 = state[3]!;
  let e0 = state[4]!,
    f0 = state[5]!,
    g0 = state[6]!,
    h0 = state[7]!;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let position = offset;
  for (; end - position >= 64; position += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(position + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = a0,
      b = b0,
      c = c0,
      d = d0,
      e = e0,
      f = f0,
      g = g0,
      h = h0;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
    e0 = (e0 + e) | 0;
    f0 = (f0 + f) | 0;
    g0 = (g0 + g) | 0;
    h0 = (h0 + h) | 0;
  }
  state.set([a0, b0, c0, d0, e0, f0, g0, h0]);
  return position - offset;
}

class Sha256 implements Sha256Stream {
  private readonly state = new Int32Array(INITIAL_STATE);
  private readonly block = new Uint8Array(64);
  private readonly w = new Int32Array(64);
  private blockLength = 0;
  private totalLength = 0;
  private finished = false;

  update(piece: Uint8Array): void {
    if (this.finished) throw new Error('SHA-256 stream already finished');
    this.totalLength += piece.length;
    let offset = 0;
    if (this.blockLength > 0) {
      const take = Math.min(64 - this.blockLength, piece.length);
      this.block.set(piece.subarray(0, take), this.blockLength);
      this.blockLength += take;
      offset = take;
      if (this.blockLength < 64) return;
      compressBlocks(this.state, this.w, this.block, 0, 64);
      this.blockLength = 0;
    }
    offset += compressBlocks(this.state, this.w, piece, offset, piece.length);
    this.block.set(piece.subarray(offset), 0);
    this.blockLength = piece.length - offset;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('SHA-256 stream already finished');
    const bitLength = this.totalLength * 8;
    const padLength = this.blockLength < 56 ? 56 - this.blockLength : 120 - this.blockLength;
    const tail = new Uint8Array(padLength + 8);
    tail[0] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(padLength, Math.floor(bitLength / 0x100000000));
    view.setUint32(padLength + 4, bitLength >>> 0);
    this.update(tail);
    this.finished = true;
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setInt32(i * 4, this.state[i]!);
    return out;
  }
}

/** A new incremental SHA-256. */
export function createSha256Stream(): Sha256Stream {
  return new Sha256();
}

/** One-shot SHA-256 of a small input (synchronous, unlike WebCrypto). */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  const hash = new Sha256();
  hash.update(data);
  return hash.digest();
}
