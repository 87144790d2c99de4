/** Public surface of the server package, used by tests, the CLI and the benchmark. */
export { buildApp } from './app.ts';
export { loadConfig, type ServerConfig } from './config.ts';
export { createContext, type ServerContext } from './context.ts';
