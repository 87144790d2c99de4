/** `npm start`: configuration from the environment (and `.env`), then the server until SIGTERM/SIGINT. */
import { loadConfig, loadDotEnv } from './config.ts';
import { startServer } from './start.ts';

loadDotEnv();
await startServer(loadConfig());
