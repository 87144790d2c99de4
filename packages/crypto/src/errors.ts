/**
 * Typed errors of the crypto package. Every failure to authenticate or parse vault data surfaces as one of
 * these, so callers can tell "wrong password" from "the server handed us tampered bytes".
 * Must never carry key material, plaintext or passwords in a message.
 */

/** Base class: `code` is stable and machine-readable, `message` is for a person. */
export abstract class CryptoError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A chunk failed its id (SHA-256), size or MAC check: it was modified, truncated or belongs to another file. */
export class ChunkTampered extends CryptoError {
  readonly code = 'CHUNK_TAMPERED';

  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`Chunk ${index} failed verification: ${reason}`);
  }
}

/** A chunk arrived at the wrong position: its id is the manifest's id for another index. */
export class ChunkOutOfOrder extends CryptoError {
  readonly code = 'CHUNK_OUT_OF_ORDER';

  constructor(
    readonly index: number,
    readonly belongsAt: number,
  ) {
    super(`Chunk at position ${index} is the manifest's chunk ${belongsAt}`);
  }
}

/** More or fewer chunks than the manifest declares. */
export class ChunkCountMismatch extends CryptoError {
  readonly code = 'CHUNK_COUNT_MISMATCH';

  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`Expected ${expected} chunk(s), received ${received === expected + 1 ? 'more' : String(received)}`);
  }
}

/** Every chunk verified but the whole plaintext does not hash to the manifest's fileHash. */
export class FileHashMismatch extends CryptoError {
  readonly code = 'FILE_HASH_MISMATCH';

  constructor() {
    super('Decrypted file does not match the SHA-256 recorded in its manifest');
  }
}

/** The manifest box does not open with this key: wrong key, or the manifest was modified. */
export class ManifestTampered extends CryptoError {
  readonly code = 'MANIFEST_TAMPERED';
}

/** The envelope or the authenticated manifest JSON is malformed or inconsistent. */
export class ManifestInvalid extends CryptoError {
  readonly code = 'MANIFEST_INVALID';
}

/** The password does not unwrap the master key (or the key attributes were modified). */
export class WrongPassword extends CryptoError {
  readonly code = 'WRONG_PASSWORD';

  constructor() {
    super('The password does not unlock this vault');
  }
}

/** Recovery words are not a valid encoding: unknown word, wrong count or failed checksum. */
export class InvalidRecoveryWords extends CryptoError {
  readonly code = 'INVALID_RECOVERY_WORDS';
}

/** Recovery words are well-formed but do not unwrap this vault's master key. */
export class WrongRecoveryKey extends CryptoError {
  readonly code = 'WRONG_RECOVERY_KEY';

  constructor() {
    super('These recovery words do not unlock this vault');
  }
}

/** Key attributes that are not a well-formed v2 value (missing field, wrong length, cost out of bounds). */
export class InvalidKeyAttributes extends CryptoError {
  readonly code = 'INVALID_KEY_ATTRIBUTES';
}

/** Key attributes or an envelope name a version or algorithm this package does not implement. */
export class UnsupportedFormat extends CryptoError {
  readonly code = 'UNSUPPORTED_FORMAT';
}

/** A caller passed a key, nonce or parameter of the wrong shape. A programming error, not an attack. */
export class InvalidArgument extends CryptoError {
  readonly code = 'INVALID_ARGUMENT';
}
