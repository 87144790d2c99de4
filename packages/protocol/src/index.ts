export * from './accounts.ts';
export * from './common.ts';
export * from './library.ts';
export { buildOpenApi } from './openapi.ts';
export { openApiJson } from './openapi-document.ts';
export type * from './route-spec.ts';
export { routes } from './routes.ts';
