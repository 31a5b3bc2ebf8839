/** The desk's public surface for TypeScript clients: router type, schemas, stream helpers. */
export type { AppRouter } from '../server/root';
export * from './schema/common';
export * from './schema/market';
export * from './schema/agents';
export * from './schema/feeds';
export { JSON_MAX_DEPTH, JSON_MAX_SIZE } from './schema/json-bounds';
export * from './schema/system';
export * from './schema/stream';
export * from './stream/apply';
export { createDeskClient, reconnectDelay, type DeskClient, type DeskClientOptions } from './client';
export * from './stream/event-waiter';
export { idempotencyKeyLink, isRetryableMutationError, randomKey } from './idempotency-link';
