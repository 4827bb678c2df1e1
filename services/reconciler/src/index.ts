export { startReconciler, SERVICE_VERSION, type Reconciler, type ReconcilerDeps } from './reconciler.js';
export {
  configFromEnv,
  parseReconcilerConfig,
  ReconcilerConfig,
  type ReconcilerConfigInput,
} from './config.js';
export {
  decidePublish,
  decideUnpublish,
  decideStaleRemoval,
  judgeNode,
  planPass,
  DEFAULT_MIGRATION_TIMEOUT_SECONDS,
  type Change,
  type PassPlan,
  type PublishIntent,
} from './rules.js';
export { STALE_CLEARED_REASON } from './kube-events.js';
export { IDENTITY_KEY as STORE_IDENTITY_KEY } from './identity.js';
