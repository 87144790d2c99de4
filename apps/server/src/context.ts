/**
 * The composition root: opens the database and blob store, wires repositories into services, and runs
 * start-up recovery. Everything the HTTP layer (and the CLI) needs comes from here; nothing is global.
 */
import { mkdir } from 'node:fs/promises';
import { FsBlobStore, type BlobStore } from '@photosync/storage';
import type { ServerConfig } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { AccountRepository } from './repositories/account-repository.ts';
import { AssetRepository } from './repositories/asset-repository.ts';
import { AccountService } from './services/accounts/account-service.ts';
import { AdminService } from './services/accounts/admin-service.ts';
import { argon2PasswordHasher, type PasswordHasher } from './services/accounts/password-hasher.ts';
import { RateLimiter } from './services/accounts/rate-limiter.ts';
import { TokenService } from './services/accounts/token-service.ts';
import { DeviceService } from './services/accounts/device-service.ts';
import { MediaTicketService } from './services/accounts/media-tickets.ts';
import { PasswordChangeService } from './services/accounts/password-change.ts';
import { PairingService } from './services/pairing/pairing-service.ts';
import { DeviceRepository } from './repositories/device-repository.ts';
import { PairingCodeRepository } from './repositories/pairing-code-repository.ts';
import type { ServerOverviewDeps } from './services/server-info/server-overview.ts';
import { emptyRecoveryReport, recoverLibrary, type RecoveryReport } from './services/library/library-recovery.ts';
import { LibraryService } from './services/library/library-service.ts';
import { createMediaPipeline, type MediaPipeline } from './services/media/media-pipeline.ts';
import { PartialUploadStore } from './services/resumable/partial-upload-store.ts';
import { ResumableUploadService, type ResumableRecovery } from './services/resumable/resumable-upload-service.ts';
import { loadOrCreateJwtSecret } from './services/secrets.ts';
import { ServerStatusService } from './services/status/server-status.ts';
import { APP_VERSION } from './services/update/app-version.ts';
import { UpdateChecker } from './services/update/update-checker.ts';
import {
  verifyStorage,
  type VerificationProgress,
  type VerificationReport,
} from './services/verify/storage-verification.ts';
import { createVaultServices, type VaultServices } from './services/vault/vault-services.ts';

export interface ServerContext {
  readonly config: ServerConfig;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly accounts: AccountService;
  readonly library: LibraryService;
  /** Metadata, thumbnails and the timeline; its job queue runs in the background. */
  readonly media: MediaPipeline;
  /** Resumable (tus) uploads in progress and their completion into the library. */
  readonly resumable: ResumableUploadService;
  readonly vault: VaultServices;
  readonly admin: AdminService;
  /** Signed-in account settings and phone pairing (web app, CLI). */
  readonly devices: DeviceService;
  readonly passwords: PasswordChangeService;
  readonly pairing: PairingService;
  readonly overview: ServerOverviewDeps;
  readonly recovery: RecoveryReport;
  /** Release-feed checks: idle until startServer() starts them (tests and CLI commands never check). */
  readonly updates: UpdateChecker;
  readonly status: ServerStatusService;
  /** Start-up work on resumable uploads: complete ones a crash interrupted, idle ones deleted. */
  readonly resumableRecovery: ResumableRecovery;
  /** Re-hash every stored file and chunk against the index (read-only). */
  verifyStorage(onProgress?: VerificationProgress): Promise<VerificationReport>;
  close(): Promise<void>;
}

export interface ContextOverrides {
  /** Tests use a cheaper hasher; production never passes this. */
  readonly hasher?: PasswordHasher;
  /**
   * Run start-up recovery (default true). Administration commands that open the data dir next to a running
   * server pass false: recovery would remove that server's in-flight staging files. The media queue is then
   * not started either (the server owns its running jobs).
   */
  readonly recover?: boolean;
}

export async function createContext(config: ServerConfig, overrides: ContextOverrides = {}): Promise<ServerContext> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await mkdir(config.uploadDir, { recursive: true, mode: 0o700 });
  await mkdir(config.vaultDir, { recursive: true, mode: 0o700 });
  await mkdir(config.thumbDir, { recursive: true, mode: 0o700 });
  await mkdir(config.tusDir, { recursive: true, mode: 0o700 });
  const db = await openDatabase(config.dbPath);
  try {
    const blobs = new FsBlobStore(config.uploadDir);
    const thumbBlobs = new FsBlobStore(config.thumbDir);
    const vault = createVaultServices(db, new FsBlobStore(config.vaultDir));
    const accountRepository = new AccountRepository(db);
    const assetRepository = new AssetRepository(db);
    const hasher = overrides.hasher ?? argon2PasswordHasher();
    const jwtSecret = await loadOrCreateJwtSecret(config.dataDir, config.jwtSecret);
    const limiter = new RateLimiter(config.authRateLimit.windowMs);
    const accounts = new AccountService({
      accounts: accountRepository,
      stores: [blobs, vault.blobs, thumbBlobs],
      hasher,
      tokens: new TokenService(jwtSecret),
      mediaTickets: new MediaTicketService(jwtSecret),
      limiter,
      policy: {
        registration: config.registration,
        perAddress: config.authRateLimit.perAddress,
        perEmail: config.authRateLimit.perEmail,
      },
    });
    const media = await createMediaPipeline(db, {
      uploadDir: config.uploadDir,
      thumbBlobs,
      assets: assetRepository,
      concurrency: config.media.concurrency,
      toolPaths: {
        ffmpeg: config.media.ffmpegPath,
        ffprobe: config.media.ffprobePath,
        exiftool: config.media.exiftoolPath,
      },
    });
    const library = new LibraryService({
      assets: assetRepository,
      blobs,
      maxUploadBytes: config.maxUploadBytes,
      events: media.events,
    });
    const recovery =
      overrides.recover === false
        ? emptyRecoveryReport()
        : await recoverLibrary({
            accounts: accountRepository,
            assets: assetRepository,
            blobs,
            accountService: accounts,
          });
    if (overrides.recover !== false) recovery.stagingRemoved += await vault.blobs.cleanStaging(0);
    const resumable = new ResumableUploadService({
      uploads: new PartialUploadStore(config.tusDir),
      library,
      accounts: accountRepository,
      maxUploadBytes: config.maxUploadBytes,
      expiryMs: config.tusExpiryMs,
    });
    const resumableRecovery =
      overrides.recover === false ? { completed: [], discarded: [], expired: 0 } : await resumable.recover();
    const admin = new AdminService({ accounts: accountRepository, accountService: accounts, hasher });
    const devices = new DeviceService({ devices: new DeviceRepository(db) });
    const passwords = new PasswordChangeService({
      accounts: accountRepository,
      accountService: accounts,
      hasher,
      limiter,
      maxAttempts: config.authRateLimit.perEmail,
    });
    const pairing = new PairingService({
      codes: new PairingCodeRepository(db),
      accounts: accountRepository,
      accountService: accounts,
      limiter,
      perAddress: config.authRateLimit.perAddress,
    });
    const overview = { accountRepository, libraryBlobs: blobs, vaultBlobs: vault.blobs };
    const verificationDeps = {
      accounts: accountRepository,
      assets: assetRepository,
      chunks: vault.chunkRepository,
      blobs,
      vaultBlobs: vault.blobs,
    };
    const updates = new UpdateChecker({ config: config.update, currentVersion: APP_VERSION });
    if (overrides.recover !== false) {
      recovery.stagingRemoved += await thumbBlobs.cleanStaging(0);
      await media.start();
    }
    return {
      config,
      db,
      blobs,
      accounts,
      library,
      media,
      resumable,
      vault,
      admin,
      devices,
      passwords,
      pairing,
      overview,
      recovery,
      updates,
      status: new ServerStatusService({ version: APP_VERSION, updates, host: config.host }),
      resumableRecovery,
      verifyStorage: (onProgress) => verifyStorage(verificationDeps, onProgress),
      close: async () => {
        await media.stop();
        updates.stop();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
