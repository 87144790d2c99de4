/** Argon2id password hashing (@node-rs/argon2). Never logs or returns a password. */
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import). */
const ARGON2ID = 2 as Algorithm;

export const MIN_PASSWORD_LENGTH = 8;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

/** OWASP-recommended Argon2id settings: 19 MiB, 2 passes. */
export function argon2PasswordHasher(options = { memoryCost: 19_456, timeCost: 2 }): PasswordHasher {
  return {
    hash: (password) => hash(password, { algorithm: ARGON2ID, parallelism: 1, ...options }),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
  };
}
