export { startConnector, type ConnectorDeps, type RunningConnector } from './connector.js';
export { configFromEnv, type ConnectorConfig } from './config.js';
export { fingerprintOf, parseHostKeyPin } from './ssh/host-key.js';
export { baseDelayMs, jitterMs } from './ssh/backoff.js';
