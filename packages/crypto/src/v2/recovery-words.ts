/**
 * Recovery key ↔ 24 words. The 32-byte recovery key is followed by one checksum byte (the first byte of
 * SHA-256(key)); the 264 bits, read big-endian in 11-bit groups, index RECOVERY_WORDLIST. (The bit layout of
 * BIP39 for 256 bits, over PhotoSync's own list.) Readers accept any case, extra spaces, commas, and any word
 * given by its first four letters. Must never accept words whose checksum fails, and never log the words.
 */
import { InvalidArgument, InvalidRecoveryWords } from '../errors.ts';
import { sha256Bytes } from '../sha256.ts';
import { RECOVERY_WORDLIST } from './wordlist.ts';

export const RECOVERY_KEY_BYTES = 32;
export const RECOVERY_WORD_COUNT = 24;
const BITS_PER_WORD = 11;

let lookup: Map<string, number> | undefined;

/** Word → index, by the full word and by its first four letters (unique across the list). */
function wordIndex(): Map<string, number> {
  if (!lookup) {
    lookup = new Map();
    RECOVERY_WORDLIST.forEach((word, index) => {
      lookup!.set(word, index);
      lookup!.set(word.slice(0, 4), index);
    });
  }
  return lookup;
}

function readBits(bytes: Uint8Array, bitOffset: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    value = (value << 1) | ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
  }
  return value;
}

function writeBits(bytes: Uint8Array, bitOffset: number, count: number, value: number): void {
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    if ((value >> (count - 1 - i)) & 1) bytes[bit >> 3] = bytes[bit >> 3]! | (0x80 >> (bit & 7));
  }
}

/** Encode a 32-byte recovery key as 24 words. */
export function recoveryKeyToWords(recoveryKey: Uint8Array): string[] {
  if (recoveryKey.length !== RECOVERY_KEY_BYTES) throw new InvalidArgument('recovery key must be 32 bytes');
  const bits = new Uint8Array(RECOVERY_KEY_BYTES + 1);
  bits.set(recoveryKey, 0);
  bits[RECOVERY_KEY_BYTES] = sha256Bytes(recoveryKey)[0]!;
  return Array.from({ length: RECOVERY_WORD_COUNT }, (_, i) => {
    return RECOVERY_WORDLIST[readBits(bits, i * BITS_PER_WORD, BITS_PER_WORD)]!;
  });
}

/** Split what a person typed into normalized words. */
export function splitRecoveryWords(input: string | readonly string[]): string[] {
  const text = typeof input === 'string' ? input : input.join(' ');
  return text
    .toLowerCase()
    .split(/[\s,;.]+/)
    .filter((word) => word.length > 0);
}

/** Decode 24 recovery words to the 32-byte key; throws InvalidRecoveryWords naming the first bad word. */
export function recoveryWordsToKey(input: string | readonly string[]): Uint8Array {
  const words = splitRecoveryWords(input);
  if (words.length !== RECOVERY_WORD_COUNT) {
    throw new InvalidRecoveryWords(`Expected ${RECOVERY_WORD_COUNT} recovery words, got ${words.length}`);
  }
  const index = wordIndex();
  const bits = new Uint8Array(RECOVERY_KEY_BYTES + 1);
  words.forEach((word, position) => {
    const value = index.get(word) ?? (word.length > 4 ? index.get(word.slice(0, 4)) : undefined);
    if (value === undefined) throw new InvalidRecoveryWords(`Word ${position + 1} is not a recovery word`);
    writeBits(bits, position * BITS_PER_WORD, BITS_PER_WORD, value);
  });
  const key = bits.slice(0, RECOVERY_KEY_BYTES);
  if (sha256Bytes(key)[0] !== bits[RECOVERY_KEY_BYTES]) {
    throw new InvalidRecoveryWords('The recovery words do not pass their checksum (a word is wrong or misplaced)');
  }
  return key;
}
