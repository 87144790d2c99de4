/**
 * BLAKE2b (RFC 7693), unkeyed, one-shot, plus Argon2's variable-length hash H' (RFC 9106 §3.3). Plain
 * TypeScript with 64-bit words held as (low, high) uint32 pairs, so it runs in any JavaScript engine.
 * Only argon2id.ts uses it, on short inputs; it must never be used as a general-purpose or keyed hash.
 */

// IV as (low, high) 32-bit halves of the eight 64-bit words.
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1,
  0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// Message schedule for rounds 0..11 (rounds 10 and 11 repeat 0 and 1).
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
].map((row) => row.map((word) => word * 2));

/** v[a] += v[b] + (m[x] as a 64-bit word); indices are uint32 offsets of the low halves. */
function add3(v: Uint32Array, a: number, b: number, m: Uint32Array, x: number): void {
  let lo = v[a]! + v[b]!;
  let hi = v[a + 1]! + v[b + 1]! + (lo > 0xffffffff ? 1 : 0);
  lo = (lo >>> 0) + m[x]!;
  hi += m[x + 1]! + (lo > 0xffffffff ? 1 : 0);
  v[a] = lo;
  v[a + 1] = hi;
}

/** v[a] += v[b] (64-bit). */
function add2(v: Uint32Array, a: number, b: number): void {
  const lo = v[a]! + v[b]!;
  v[a + 1] = v[a + 1]! + v[b + 1]! + (lo > 0xffffffff ? 1 : 0);
  v[a] = lo;
}

/** v[d] = rotr64(v[d] ^ v[a], n) for n in {32, 24, 16, 63}. */
function xorRotr(v: Uint32Array, d: number, a: number, n: 32 | 24 | 16 | 63): void {
  const lo = v[d]! ^ v[a]!;
  const hi = v[d + 1]! ^ v[a + 1]!;
  if (n === 32) {
    v[d] = hi;
    v[d + 1] = lo;
  } else if (n === 63) {
    v[d] = (lo << 1) | (hi >>> 31);
    v[d + 1] = (hi << 1) | (lo >>> 31);
  } else {
    v[d] = (lo >>> n) | (hi << (32 - n));
    v[d + 1] = (hi >>> n) | (lo << (32 - n));
  }
}

function mix(v: Uint32Array, a: number, b: number, c: number, d: number, m: Uint32Array, x: number, y: number): void {
  add3(v, a, b, m, x);
  xorRotr(v, d, a, 32);
  add2(v, c, d);
  xorRotr(v, b, c, 24);
  add3(v, a, b, m, y);
  xorRotr(v, d, a, 16);
  add2(v, c, d);
  xorRotr(v, b, c, 63);
}

function compress(h: Uint32Array, block: Uint8Array, bytesSoFar: number, last: boolean): void {
  const v = new Uint32Array(32);
  const m = new Uint32Array(32);
  v.set(h, 0);
  v.set(IV, 16);
  v[24] = v[24]! ^ (bytesSoFar >>> 0);
  v[25] = v[25]! ^ Math.floor(bytesSoFar / 0x100000000);
  if (last) {
    v[28] = ~v[28]!;
    v[29] = ~v[29]!;
  }
  const view = new DataView(block.buffer, block.byteOffset, 128);
  for (let i = 0; i < 32; i++) m[i] = view.getUint32(i * 4, true);
  for (let round = 0; round < 12; round++) {
    const s = SIGMA[round % 10]!;
    mix(v, 0, 8, 16, 24, m, s[0]!, s[1]!);
    mix(v, 2, 10, 18, 26, m, s[2]!, s[3]!);
    mix(v, 4, 12, 20, 28, m, s[4]!, s[5]!);
    mix(v, 6, 14, 22, 30, m, s[6]!, s[7]!);
    mix(v, 0, 10, 20, 30, m, s[8]!, s[9]!);
    mix(v, 2, 12, 22, 24, m, s[10]!, s[11]!);
    mix(v, 4, 14, 16, 26, m, s[12]!, s[13]!);
    mix(v, 6, 8, 18, 28, m, s[14]!, s[15]!);
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!;
}

/** Unkeyed BLAKE2b with a 1..64-byte digest. */
export function blake2b(input: Uint8Array, outputLength: number): Uint8Array {
  if (!Number.isInteger(outputLength) || outputLength < 1 || outputLength > 64) {
    throw new RangeError('BLAKE2b output length must be 1..64 bytes');
  }
  const h = new Uint32Array(IV);
  h[0] = h[0]! ^ 0x01010000 ^ outputLength;
  const block = new Uint8Array(128);
  let offset = 0;
  while (input.length - offset > 128) {
    block.set(input.subarray(offset, offset + 128));
    offset += 128;
    compress(h, block, offset, false);
  }
  block.fill(0);
  block.set(input.subarray(offset));
  compress(h, block, input.length, true);
  const out = new Uint8Array(64);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) view.setUint32(i * 4, h[i]!, true);
  return out.slice(0, outputLength);
}

/** Argon2's H'^T: BLAKE2b extended to any output length by chaining 64-byte digests. */
export function blake2bLong(input: Uint8Array, outputLength: number): Uint8Array {
  const prefixed = new Uint8Array(4 + input.length);
  new DataView(prefixed.buffer).setUint32(0, outputLength, true);
  prefixed.set(input, 4);
  if (outputLength <= 64) return blake2b(prefixed, outputLength);
  const out = new Uint8Array(outputLength);
  let digest = blake2b(prefixed, 64);
  out.set(digest.subarray(0, 32), 0);
  let position = 32;
  while (outputLength - position > 64) {
    digest = blake2b(digest, 64);
    out.set(digest.subarray(0, 32), position);
    position += 32;
  }
  out.set(blake2b(digest, outputLength - position), position);
  return out;
}
