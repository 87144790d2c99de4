/**
 * Argon2id version 0x13 (RFC 9106) in plain TypeScript: the browser / React Native key-encryption-key
 * derivation, because plain libsodium-wrappers ships no crypto_pwhash. Must give the same bytes as
 * @node-rs/argon2 for the same inputs (tested). Lanes are computed one after another, so `parallelism`
 * changes the output but not the speed. Must never be used for bulk data or chosen over a native Argon2.
 */
import type { Argon2Params } from './backend.ts';
import { blake2b, blake2bLong } from './blake2b.ts';
import { InvalidArgument } from './errors.ts';

const BLOCK_WORDS = 256; // 1 KiB block as uint32 halves of 128 64-bit words
const SYNC_POINTS = 4;
const ADDRESSES_PER_BLOCK = 128;
const TYPE_ARGON2ID = 2;
const VERSION = 0x13;

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulHi(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const mid = a1 * b0 + a0 * b1 + ((a0 * b0) >>> 16);
  return (a1 * b1 + Math.floor(mid / 0x10000)) >>> 0;
}

/** v[x] = v[x] + v[y] + 2 * lo32(v[x]) * lo32(v[y]) over 64-bit words (Argon2's BlaMka). */
function blamka(v: Uint32Array, x: number, y: number): void {
  const xl = v[x]!;
  const yl = v[y]!;
  const productLo = Math.imul(xl, yl) >>> 0;
  const productHi = mulHi(xl, yl);
  let lo = xl + yl;
  let hi = v[x + 1]! + v[y + 1]! + (lo > 0xffffffff ? 1 : 0) + ((productHi << 1) | (productLo >>> 31));
  lo = (lo >>> 0) + ((productLo << 1) >>> 0);
  hi += lo > 0xffffffff ? 1 : 0;
  v[x] = lo;
  v[x + 1] = hi;
}

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

function mix(v: Uint32Array, a: number, b: number, c: number, d: number): void {
  blamka(v, a, b);
  xorRotr(v, d, a, 32);
  blamka(v, c, d);
  xorRotr(v, b, c, 24);
  blamka(v, a, b);
  xorRotr(v, d, a, 16);
  blamka(v, c, d);
  xorRotr(v, b, c, 63);
}

// Uint32 offsets of the sixteen 64-bit words each application of P works on: 8 rows, then 8 columns.
const P_OFFSETS = new Uint16Array(16 * 16);
for (let i = 0; i < 8; i++) {
  for (let k = 0; k < 16; k++) {
    P_OFFSETS[i * 16 + k] = 32 * i + 2 * k;
    P_OFFSETS[128 + i * 16 + k] = 4 * i + 32 * (k >> 1) + 2 * (k & 1);
  }
}

/** The permutation P over the sixteen words listed at P_OFFSETS[o .. o + 15]. */
function permute(v: Uint32Array, o: number): void {
  const w = P_OFFSETS;
  mix(v, w[o]!, w[o + 4]!, w[o + 8]!, w[o + 12]!);
  mix(v, w[o + 1]!, w[o + 5]!, w[o + 9]!, w[o + 13]!);
  mix(v, w[o + 2]!, w[o + 6]!, w[o + 10]!, w[o + 14]!);
  mix(v, w[o + 3]!, w[o + 7]!, w[o + 11]!, w[o + 15]!);
  mix(v, w[o]!, w[o + 5]!, w[o + 10]!, w[o + 15]!);
  mix(v, w[o + 1]!, w[o + 6]!, w[o + 11]!, w[o + 12]!);
  mix(v, w[o + 2]!, w[o + 7]!, w[o + 8]!, w[o + 13]!);
  mix(v, w[o + 3]!, w[o + 4]!, w[o + 9]!, w[o + 14]!);
}

const r = new Uint32Array(BLOCK_WORDS);
const t = new Uint32Array(BLOCK_WORDS);

/** out = G(x, y) (or out ^= G(x, y) when `xor`), each block given as (array, uint32 offset). */
function fillBlock(x: Uint32Array, xo: number, y: Uint32Array, yo: number, out: Uint32Array, oo: number, xor: boolean) {
  for (let i = 0; i < BLOCK_WORDS; i++) r[i] = x[xo + i]! ^ y[yo + i]!;
  if (xor) for (let i = 0; i < BLOCK_WORDS; i++) t[i] = r[i]! ^ out[oo + i]!;
  else t.set(r);
  for (let o = 0; o < P_OFFSETS.length; o += 16) permute(r, o);
  for (let i = 0; i < BLOCK_WORDS; i++) out[oo + i] = t[i]! ^ r[i]!;
}

function le32(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value, true));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function validate(password: Uint8Array, salt: Uint8Array, p: Argon2Params, outputLength: number): void {
  const ok =
    Number.isInteger(p.parallelism) &&
    p.parallelism >= 1 &&
    p.parallelism <= 0xffffff &&
    Number.isInteger(p.iterations) &&
    p.iterations >= 1 &&
    Number.isInteger(p.memoryKiB) &&
    p.memoryKiB >= 8 * p.parallelism &&
    p.memoryKiB <= 0x3fffffff &&
    Number.isInteger(outputLength) &&
    outputLength >= 4 &&
    salt.length >= 8 &&
    password.length <= 0xffffffff;
  if (!ok) throw new InvalidArgument('invalid Argon2id parameters');
}

/** Raw Argon2id v0x13 output (no secret, no associated data), synchronously. */
export function argon2idBytes(password: Uint8Array, salt: Uint8Array, params: Argon2Params, outputLength: number) {
  validate(password, salt, params, outputLength);
  const { parallelism: lanes, iterations: passes, memoryKiB } = params;
  const segmentLength = Math.floor(memoryKiB / (lanes * SYNC_POINTS));
  const laneLength = segmentLength * SYNC_POINTS;
  const blockCount = laneLength * lanes;
  const memory = new Uint32Array(blockCount * BLOCK_WORDS);

  const header = le32(lanes, outputLength, memoryKiB, passes, VERSION, TYPE_ARGON2ID, password.length);
  const h0 = blake2b(concat([header, password, le32(salt.length), salt, le32(0, 0)]), 64);
  for (let lane = 0; lane < lanes; lane++) {
    for (let column = 0; column < 2; column++) {
      const bytes = blake2bLong(concat([h0, le32(column, lane)]), 1024);
      const view = new DataView(bytes.buffer);
      const base = (lane * laneLength + column) * BLOCK_WORDS;
      for (let i = 0; i < BLOCK_WORDS; i++) memory[base + i] = view.getUint32(i * 4, true);
    }
  }

  const zero = new Uint32Array(BLOCK_WORDS);
  const input = new Uint32Array(BLOCK_WORDS);
  const address = new Uint32Array(BLOCK_WORDS);
  const nextAddresses = () => {
    input[12] = input[12]! + 1; // 64-bit counter at word 6; never exceeds 2^32 here
    fillBlock(zero, 0, input, 0, address, 0, false);
    fillBlock(zero, 0, address, 0, address, 0, false);
  };

  for (let pass = 0; pass < passes; pass++) {
    for (let slice = 0; slice < SYNC_POINTS; slice++) {
      for (let lane = 0; lane < lanes; lane++) {
        const independent = pass === 0 && slice < SYNC_POINTS / 2;
        if (independent) {
          input.fill(0);
          input.set([pass, 0, lane, 0, slice, 0, blockCount, 0, passes, 0, TYPE_ARGON2ID, 0]);
        }
        const start = pass === 0 && slice === 0 ? 2 : 0;
        if (independent && start === 2) nextAddresses();
        for (let index = start; index < segmentLength; index++) {
          const column = slice * segmentLength + index;
          const current = lane * laneLength + column;
          const previous = column === 0 ? current + laneLength - 1 : current - 1;
          let j1: number;
          let j2: number;
          if (independent) {
            if (index % ADDRESSES_PER_BLOCK === 0) nextAddresses();
            j1 = address[(index % ADDRESSES_PER_BLOCK) * 2]!;
            j2 = address[(index % ADDRESSES_PER_BLOCK) * 2 + 1]!;
          } else {
            j1 = memory[previous * BLOCK_WORDS]!;
            j2 = memory[previous * BLOCK_WORDS + 1]!;
          }
          const refLane = pass === 0 && slice === 0 ? lane : j2 % lanes;
          const sameLane = refLane === lane;
          let areaSize: number;
          if (pass === 0) {
            areaSize = slice * segmentLength + (sameLane ? index - 1 : index === 0 ? -1 : 0);
          } else {
            areaSize = laneLength - segmentLength + (sameLane ? index - 1 : index === 0 ? -1 : 0);
          }
          const relative = areaSize - 1 - mulHi(areaSize, mulHi(j1, j1));
          const startPosition = pass === 0 || slice === SYNC_POINTS - 1 ? 0 : (slice + 1) * segmentLength;
          const refIndex = (startPosition + relative) % laneLength;
          const ref = (refLane * laneLength + refIndex) * BLOCK_WORDS;
          fillBlock(memory, previous * BLOCK_WORDS, memory, ref, memory, current * BLOCK_WORDS, pass > 0);
        }
      }
    }
  }

  const final = new Uint32Array(BLOCK_WORDS);
  for (let lane = 0; lane < lanes; lane++) {
    const base = (lane * laneLength + laneLength - 1) * BLOCK_WORDS;
    for (let i = 0; i < BLOCK_WORDS; i++) final[i] = final[i]! ^ memory[base + i]!;
  }
  const finalBytes = new Uint8Array(1024);
  const view = new DataView(finalBytes.buffer);
  for (let i = 0; i < BLOCK_WORDS; i++) view.setUint32(i * 4, final[i]!, true);
  return blake2bLong(finalBytes, outputLength);
}
