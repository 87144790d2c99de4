/**
 * Typed errors of StealthCloud backup and restore, for any UI (CLI, web, phone) to show as they are: the
 * message says what happened and what to do. Crypto failures keep their own classes from @photosync/crypto
 * (ChunkTampered, FileHashMismatch, ...); these are the client-level ones around them.
 * Must never put a password, a key or file content in a message.
 */

/** Base class: `code` is stable and machine-readable, `message` is for a person. */
export abstract class VaultSyncError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The vault password does not unlock this account's vault (v2), or does not open its v1 manifests. */
export class WrongVaultPassword extends VaultSyncError {
  readonly code = 'WRONG_VAULT_PASSWORD';

  constructor(format: 'v1' | 'v2') {
    super(
      format === 'v2'
        ? 'Wrong vault password: it does not unlock the StealthCloud vault of this account. Use the vault ' +
            'password chosen when the vault was created (not the login password); if it is lost, the 24 ' +
            'recovery words shown at creation can unlock the vault.'
        : 'Wrong password for StealthCloud format v1: it does not open the encrypted files already stored ' +
            'for this account. Format v1 uses the account password the phone used when it uploaded them.',
    );
  }
}

/** v2: the account has no vault (no key attributes stored), and the caller asked not to create one. */
export class NoVaultYet extends VaultSyncError {
  readonly code = 'NO_VAULT_YET';

  constructor() {
    super('This account has no StealthCloud vault yet: nothing was ever backed up to it in format v2.');
  }
}

/** v2 only: the vault password equals the login password, which the server receives at every sign-in. */
export class VaultPasswordIsLoginPassword extends VaultSyncError {
  readonly code = 'VAULT_PASSWORD_IS_LOGIN_PASSWORD';

  constructor() {
    super(
      'The vault password must differ from the account (login) password: the server receives the login ' +
        'password at every sign-in, so a vault locked with it would not be end-to-end encrypted. Choose a ' +
        'separate vault password.',
    );
  }
}

/** A new vault needs a password a person could not guess in a few tries. */
export class VaultPasswordTooShort extends VaultSyncError {
  readonly code = 'VAULT_PASSWORD_TOO_SHORT';

  constructor(readonly minimum: number) {
    super(`A new vault password must have at least ${minimum} characters.`);
  }
}

/** The local file could not be read (gone, no permission, I/O error); only this file is affected. */
export class CannotReadFile extends VaultSyncError {
  readonly code = 'CANNOT_READ_FILE';

  constructor(cause: unknown) {
    super(`cannot read: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.cause = cause;
  }
}

/** The file's bytes changed between hashing and encrypting it; nothing was committed for it. */
export class FileChangedDuringBackup extends VaultSyncError {
  readonly code = 'FILE_CHANGED_DURING_BACKUP';

  constructor() {
    super('The file changed while it was being backed up; it will be backed up again on the next run.');
  }
}

/** A stored manifest is in the other format than the opened vault, so this key cannot open it. */
export class OtherVaultFormat extends VaultSyncError {
  readonly code = 'OTHER_VAULT_FORMAT';

  constructor(readonly manifestFormat: 'v1' | 'v2') {
    super(
      `This file was stored in StealthCloud format ${manifestFormat}; open the vault with format ` +
        `${manifestFormat} to restore it.`,
    );
  }
}
