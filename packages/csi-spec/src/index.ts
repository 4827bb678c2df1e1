export * from './types.js';
export * from './rpcs.js';
export * from './load.js';
export * from './client.js';
export * from './secrets.js';
