export { startConnector, type ConnectorDeps, type RunningConnector } from './connector.js';
export {
  configFromEnv,
  parseConnectorConfig,
  type ConnectorConfig,
  type ConnectorConfigInput,
} from './config.js';
export { fingerprintOf, parseHostKeyPin } from './ssh/host-key.js';
export { RECONNECT_BACKOFF } from './ssh/backoff.js';
