export * from './logger.js';
export * from './metrics.js';
export * from './http.js';
export * from './shutdown.js';
