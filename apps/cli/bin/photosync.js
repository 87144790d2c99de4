#!/usr/bin/env node
// The `photosync` command. Runs the TypeScript sources through tsx (resolved next to this file), so it works
// from the repository (`npx photosync`) and when installed globally.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
