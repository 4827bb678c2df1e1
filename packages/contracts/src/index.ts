export * from './errors.js';
export * from './subjects.js';
export * from './ids.js';
export * from './messages.js';
export * from './endpoints.js';
export * from './envelope.js';
export * from './paging.js';
