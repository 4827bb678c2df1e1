export * from './node-watcher.js';
export * from './config.js';
export * from './node-state.js';
export * from './transitions.js';
export { classifyWatchEnd, type RestartReason } from './informer.js';
export { NODE_UID_HEADER } from './stream.js';
export type { BackoffPolicy } from '@rds-csi/bus';
