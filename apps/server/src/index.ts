/** Public surface of the server package, used by tests, the CLI and the benchmark. */
export { buildApp } from './app.ts';
export { ConfigError, loadConfig, loadDotEnv, type ServerConfig } from './config.ts';
export { createContext, type ServerContext } from './context.ts';
export { startServer, type RunningServer } from './start.ts';
