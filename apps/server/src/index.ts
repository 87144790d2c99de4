/** Public surface of the server package, used by tests, the CLI and the benchmark. */
export { buildApp } from './app.ts';
export { ConfigError, loadConfig, loadDotEnv, parseSize, type ServerConfig } from './config.ts';
export { createContext, type ServerContext } from './context.ts';
export { startServer, type RunningServer } from './start.ts';
export { runCheckUpdate, runUpdate, type UpdateCommandOptions } from './update-commands.ts';
export { LOCAL_OPERATOR, type AccountSummary } from './services/accounts/admin-service.ts';
export { DomainError } from './services/errors.ts';
export type { VerificationReport } from './services/verify/storage-verification.ts';
