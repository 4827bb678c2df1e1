export { startGateway, type GatewayOptions, type RunningGateway } from './gateway.js';
export {
  CSI_MODES,
  ConfigError,
  DEFAULT_DRIVER_NAME,
  TOPOLOGY_ZONE_KEY,
  gatewayConfigFromEnv,
  parseGatewayConfig,
  type CsiMode,
  type GatewayConfig,
  type GatewayConfigInput,
} from './config.js';
export type { GatewayMode, ModeContext, ModeFactory, Readiness } from './mode.js';
export type { RpcContext, RpcHandler, ServiceHandlers } from './server/pipeline.js';
export { CONTEXT_KEYS } from './controller/context.js';
export { PUBLISH_KEYS } from './controller/publish.js';
export { encodeNodeId, parseNodeId, MAX_NODE_ID_BYTES, type NodeIdentity } from './node-id.js';
export { nodeConfig, type NodeConfig } from './node/index.js';
export { nodeMode } from './node/mode.js';
