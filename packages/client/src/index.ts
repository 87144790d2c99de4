export { ApiError, ProtocolError } from './api-error.ts';
export { createClient, type ByteRequest, type PhotoSyncClient, type UploadOptions } from './client.ts';
export type { Auth, AuthSource, Body, TransportOptions } from './http-transport.ts';
