import type * as csi from '@rds-csi/csi-spec';
import { TOPOLOGY_ZONE_KEY } from '../config.js';
import type { NodeConfig } from './config.js';

const NODE_CAPABILITIES: readonly csi.NodeRpcType[] = [
  'STAGE_UNSTAGE_VOLUME',
  'EXPAND_VOLUME',
  'GET_VOLUME_STATS',
  'VOLUME_CONDITION',
  'SINGLE_NODE_MULTI_WRITER',
];

/** NodeGetInfo without the node ID's host NQN (read per call), and NodeGetCapabilities. */
export function nodeInfo(config: NodeConfig): csi.Input<csi.NodeGetInfoResponse> {
  return {
    node_id: config.nodeId,
    max_volumes_per_node: config.maxVolumesPerNode,
    accessible_topology: { segments: { [TOPOLOGY_ZONE_KEY]: config.topologyZone } },
  };
}

export function nodeCapabilities(): csi.NodeGetCapabilitiesResponse {
  return { capabilities: NODE_CAPABILITIES.map((type) => ({ rpc: { type } })) };
}
