/**
 * The recovery-word encoding: the pinned wordlist, known answers computed independently of this package,
 * round trips, forgiving input (case, commas, 4-letter prefixes) and the checksum catching mistakes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidRecoveryWords,
  RECOVERY_WORDLIST,
  recoveryKeyToWords,
  recoveryWordsToKey,
  splitRecoveryWords,
} from '../src/index.ts';
import { patternBytes } from './helpers.ts';

const WORDLIST_SHA256 = '2f90a8fea73a30f6e2f446c3858a7e86c0637cda74c2a3e01cd0881ce9cb0147';

describe('recovery wordlist', () => {
  it('is the pinned list: 2048 sorted words, unique by their first four letters', () => {
    expect(RECOVERY_WORDLIST).toHaveLength(2048);
    expect(
      createHash('sha256')
        .update(`${RECOVERY_WORDLIST.join('\n')}\n`)
        .digest('hex'),
    ).toBe(WORDLIST_SHA256);
    expect([...RECOVERY_WORDLIST].sort()).toEqual(RECOVERY_WORDLIST);
    expect(new Set(RECOVERY_WORDLIST.map((word) => word.slice(0, 4))).size).toBe(2048);
    expect(RECOVERY_WORDLIST.every((word) => /^[a-z]{3,7}$/.test(word))).toBe(true);
  });
});

describe('recovery words', () => {
  it('encodes known keys to known words', () => {
    expect(recoveryKeyToWords(new Uint8Array(32)).join(' ')).toBe(`${'abbey '.repeat(23)}basic`);
    expect(recoveryKeyToWords(new Uint8Array(32).fill(0xff)).join(' ')).toBe(`${'zoo '.repeat(23)}warrior`);
    const counting = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(recoveryKeyToWords(counting).join(' ')).toBe(
      'abbey ask meat ask fun alley cheese choose bake hire factory cave adapt muscle foam mesh brass rude apple ' +
        'double replace before lion until',
    );
  });

  it('round-trips random keys', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const key = patternBytes(32, seed);
      const words = recoveryKeyToWords(key);
      expect(words).toHaveLength(24);
      expect(recoveryWordsToKey(words)).toEqual(key);
      expect(recoveryWordsToKey(words.join(' '))).toEqual(key);
    }
  });

  it('accepts any case, commas, newlines and four-letter prefixes', () => {
    const key = patternBytes(32, 5);
    const words = recoveryKeyToWords(key);
    const typed = words.map((word, i) => (i % 2 ? word.toUpperCase() : word.slice(0, 4))).join(',\n  ');
    expect(splitRecoveryWords(typed)).toHaveLength(24);
    expect(recoveryWordsToKey(typed)).toEqual(key);
  });

  it('rejects unknown words, a wrong count and a failed checksum', () => {
    const words = recoveryKeyToWords(patternBytes(32, 6));
    expect(() => recoveryWordsToKey([...words.slice(0, 23), 'qqqq'])).toThrow(InvalidRecoveryWords);
    expect(() => recoveryWordsToKey(words.slice(0, 23))).toThrow(InvalidRecoveryWords);
    expect(() => recoveryWordsToKey([...words, words[0]!])).toThrow(InvalidRecoveryWords);
    let caught = 0;
    let attempts = 0;
    for (let i = 0; i < 23; i++) {
      const swapped = [...words];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      if (swapped[i] === words[i]) continue;
      attempts++;
      try {
        recoveryWordsToKey(swapped);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRecoveryWords);
        caught++;
      }
    }
    // One checksum byte misses 1 in 256 errors; every swap of this fixed key is caught.
    expect(attempts).toBeGreaterThan(20);
    expect(caught).toBe(attempts);
  });
});
