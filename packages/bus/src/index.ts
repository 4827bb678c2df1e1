export * from './config.js';
export * from './bus.js';
export * from './service.js';
export * from './jetstream.js';
export { connectionOptions, inboxPrefixFor } from './connection.js';
export * from './backoff.js';
export * from './paging.js';
export * from './call-timeout.js';
