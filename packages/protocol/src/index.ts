export * from './accounts.ts';
export * from './common.ts';
export * from './library.ts';
export { buildOpenApi } from './openapi.ts';
export { openApiJson } from './openapi-document.ts';
export type * from './route-spec.ts';
export { routes } from './routes/index.ts';
export * from './vault.ts';
export * from './admin.ts';
