/**
 * Opening a vault, the cases around creation, against a real server: two devices creating the account's
 * vault at once end up on one vault (the one kept), a restore never creates a vault, a new vault needs a
 * real password, and v1 needs the email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault } from '@photosync/crypto';
import { NoVaultYet, openVault, VaultPasswordTooShort, type PhotoSyncClient } from '../../src/index.ts';
import { registerAccount, startLiveServer, type LiveServer } from './support.ts';

describe('openVault', () => {
  let live: LiveServer;

  beforeAll(async () => {
    live = await startLiveServer();
  });

  afterAll(() => live.server.close());

  it('uses the vault another device stored at the same moment, and shows no words for it', async () => {
    const { client } = await registerAccount(live.baseUrl);
    const password = 'same vault password';
    const other = await createVault(password);
    // The other device's PUT lands right after ours: last writer wins on the server.
    const racing: PhotoSyncClient = {
      ...client,
      vault: {
        ...client.vault,
        putKeys: async (attributes) => {
          const answer = await client.vault.putKeys(attributes);
          await client.vault.putKeys({ ...other.keyAttributes });
          return answer;
        },
      },
    };
    const opened = await openVault({ client: racing, password });
    expect(opened).toMatchObject({ created: false, recoveryWords: undefined });
    expect(Buffer.from(opened.vault.masterKey).equals(Buffer.from(other.masterKey))).toBe(true);
  });

  it('refuses a short password for a new vault and stores nothing', async () => {
    const { client } = await registerAccount(live.baseUrl);
    await expect(openVault({ client, password: 'short' })).rejects.toBeInstanceOf(VaultPasswordTooShort);
    expect((await client.vault.getKeys()).keyAttributes).toBeNull();
  });

  it('does not create a vault when asked not to (a restore), and says there is none', async () => {
    const { client } = await registerAccount(live.baseUrl);
    const attempt = openVault({ client, password: 'some vault password', createIfMissing: false });
    await expect(attempt).rejects.toBeInstanceOf(NoVaultYet);
    await expect(attempt).rejects.toThrow(/no StealthCloud vault yet/);
    expect((await client.vault.getKeys()).keyAttributes).toBeNull();
  });

  it('v1 needs the account email', async () => {
    const { client, password } = await registerAccount(live.baseUrl);
    await expect(openVault({ client, format: 'v1', password })).rejects.toThrow(/needs the account email/);
  });
});
