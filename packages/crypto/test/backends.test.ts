/**
 * Same bytes from both sides of the sodium fence: sodium.node.ts (sodium-native, node:crypto,
 * @node-rs/argon2) and sodium.browser.ts (libsodium-wrappers, WebCrypto, TypeScript SHA-256 and Argon2id),
 * for the same keys, nonces, salts and parameters — down to whole encrypted files.
 */
import { describe, expect, it } from 'vitest';
import type { SodiumBackend } from '../src/backend.ts';
import { encryptChunks, decryptChunks } from '../src/chunk-stream.ts';
import { DEFAULT_ARGON2_PARAMS, CHUNK_SIZE, bytesToHex, loadSodium } from '../src/index.ts';
import { loadSodium as loadBrowser } from '../src/sodium.browser.ts';
import { loadSodium as loadNode } from '../src/sodium.node.ts';
import { collect, concatBytes, inPieces, patternBytes } from './helpers.ts';

const backends = async (): Promise<[SodiumBackend, SodiumBackend]> => [await loadNode(), await loadBrowser()];
const hex = bytesToHex;
/** Byte equality without walking 2 MiB arrays element by element through the matcher. */
const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));

describe('sodium backends', () => {
  it('the package entry picks sodium-native under Node, the browser file is libsodium-wrappers', async () => {
    expect((await loadSodium()).name).toBe('sodium-native');
    const [node, browser] = await backends();
    expect(node.name).toBe('sodium-native');
    expect(browser.name).toBe('libsodium-wrappers');
  });

  it('secretbox gives the same bytes and each opens the other', async () => {
    const [node, browser] = await backends();
    const key = patternBytes(32, 1);
    const nonce = patternBytes(24, 2);
    for (const length of [0, 1, 15, 16, 17, 1000, CHUNK_SIZE]) {
      const message = patternBytes(length, length + 5);
      const fromNode = node.secretboxSeal(message, nonce, key);
      const fromBrowser = browser.secretboxSeal(message, nonce, key);
      expect(fromNode.length).toBe(length + 16);
      expect(same(fromBrowser, fromNode)).toBe(true);
      expect(same(browser.secretboxOpen(fromNode, nonce, key), message)).toBe(true);
      expect(same(node.secretboxOpen(fromBrowser, nonce, key), message)).toBe(true);
    }
  });

  it('both refuse a forged box with null, never with bytes', async () => {
    for (const sodium of await backends()) {
      const key = patternBytes(32, 3);
      const nonce = patternBytes(24, 4);
      const box = sodium.secretboxSeal(patternBytes(64, 5), nonce, key);
      box[20] = box[20]! ^ 1;
      expect(sodium.secretboxOpen(box, nonce, key)).toBeNull();
      expect(sodium.secretboxOpen(box.subarray(0, 10), nonce, key)).toBeNull();
    }
  });

  it('SHA-256, one-shot and streamed in odd pieces, agrees', async () => {
    const [node, browser] = await backends();
    const data = patternBytes(3 * 65_536 + 77, 6);
    expect(hex(await browser.sha256(data))).toBe(hex(await node.sha256(data)));
    const streams = [node.createSha256(), browser.createSha256()];
    for await (const piece of inPieces(data, [1, 63, 64, 65, 4096])) for (const stream of streams) stream.update(piece);
    const [a, b] = streams.map((stream) => hex(stream.digest()));
    expect(b).toBe(a);
    expect(a).toBe(hex(await node.sha256(data)));
  });

  it('random bytes have the requested length and differ', async () => {
    for (const sodium of await backends()) {
      expect(sodium.randomBytes(24)).toHaveLength(24);
      expect(hex(sodium.randomBytes(32))).not.toBe(hex(sodium.randomBytes(32)));
    }
  });

  it('Argon2id gives the same key for the same password, salt and costs', async () => {
    const [node, browser] = await backends();
    const password = new TextEncoder().encode('pässwörd');
    const salt = patternBytes(16, 7);
    const cases = [
      { memoryKiB: 8, iterations: 1, parallelism: 1 },
      { memoryKiB: 256, iterations: 3, parallelism: 1 },
      { memoryKiB: 512, iterations: 2, parallelism: 2 },
      { memoryKiB: 1000, iterations: 1, parallelism: 4 },
    ];
    for (const params of cases) {
      for (const length of [32, 64, 100]) {
        const a = await node.argon2id(password, salt, params, length);
        expect(hex(await browser.argon2id(password, salt, params, length))).toBe(hex(a));
      }
    }
    const other = await node.argon2id(password, patternBytes(16, 8), cases[0]!, 32);
    expect(hex(other)).not.toBe(hex(await node.argon2id(password, salt, cases[0]!, 32)));
  });

  it('Argon2id agrees at the default costs (64 MiB, 3 passes)', async () => {
    const [node, browser] = await backends();
    const password = new TextEncoder().encode('default costs');
    const salt = patternBytes(16, 9);
    const a = await node.argon2id(password, salt, DEFAULT_ARGON2_PARAMS, 32);
    expect(hex(await browser.argon2id(password, salt, DEFAULT_ARGON2_PARAMS, 32))).toBe(hex(a));
  });

  it('a whole multi-chunk file encrypts to identical chunks and decrypts across backends', async () => {
    const [node, browser] = await backends();
    const data = patternBytes(2 * CHUNK_SIZE + 5, 10);
    const fileKey = patternBytes(32, 11);
    const baseNonce16 = patternBytes(16, 12);
    const run = async (sodium: SodiumBackend) => {
      const generator = encryptChunks(sodium, inPieces(data), fileKey, baseNonce16);
      const chunks = [];
      let step = await generator.next();
      for (; !step.done; step = await generator.next()) chunks.push(step.value);
      return { chunks, ledger: step.value };
    };
    const fromNode = await run(node);
    const fromBrowser = await run(browser);
    expect(fromBrowser.ledger).toEqual(fromNode.ledger);
    expect(fromBrowser.chunks).toHaveLength(3);
    fromBrowser.chunks.forEach((chunk, i) => expect(same(chunk.ciphertext, fromNode.chunks[i]!.ciphertext)).toBe(true));
    const plan = { ...fromNode.ledger, fileKey, baseNonce16 };
    const ciphertexts = fromNode.chunks.map((chunk) => chunk.ciphertext);
    const decrypted = concatBytes(await collect(decryptChunks(browser, plan, ciphertexts)));
    expect(same(decrypted, data)).toBe(true);
  });
});
