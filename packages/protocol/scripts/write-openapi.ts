/**
 * Writes packages/protocol/openapi.json from the route list; `--check` fails (exit 1) when the committed
 * file is stale, so CI catches an API change without its document.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { openApiJson } from '../src/openapi-document.ts';

const target = new URL('../openapi.json', import.meta.url);
const fresh = await openApiJson();

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== fresh) {
    console.error('packages/protocol/openapi.json is stale: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi.json is up to date');
} else {
  await writeFile(target, fresh);
  console.log(`wrote ${target.pathname}`);
}
