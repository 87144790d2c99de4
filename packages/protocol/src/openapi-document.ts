/** The served and committed OpenAPI text, versioned with the root package.json (the one version source). */
import { readFile } from 'node:fs/promises';
import { buildOpenApi } from './openapi.ts';
import { routes } from './routes/index.ts';

export async function openApiJson(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `${JSON.stringify(buildOpenApi(routes, pkg.version), null, 2)}\n`;
}
