import { RdsCsiError } from '@rds-csi/contracts';
import type { ControllerRpcType, ControllerRpcs } from '@rds-csi/csi-spec';
import type { ServiceHandlers } from '../server/pipeline.js';
import type { ControllerDeps } from './deps.js';
import { inventoryHandlers } from './inventory.js';
import { publishHandlers } from './publish.js';
import { snapshotHandlers } from './snapshots.js';
import { volumeHandlers } from './volumes.js';

/** Every stable controller capability the driver honours; each has its RPC implemented below. */
export const CONTROLLER_CAPABILITIES: readonly ControllerRpcType[] = [
  'CREATE_DELETE_VOLUME',
  'PUBLISH_UNPUBLISH_VOLUME',
  'LIST_VOLUMES',
  'GET_CAPACITY',
  'CREATE_DELETE_SNAPSHOT',
  'LIST_SNAPSHOTS',
  'CLONE_VOLUME',
  'PUBLISH_READONLY',
  'EXPAND_VOLUME',
  'LIST_VOLUMES_PUBLISHED_NODES',
  'VOLUME_CONDITION',
  'GET_VOLUME',
  'SINGLE_NODE_MULTI_WRITER',
];

/**
 * Alpha capabilities of CSI 1.12: implemented, but advertised only when the controller's alphaCapabilities setting is
 * on, because tools built on CSI 1.11 or older reject a whole capability list that names one they do not know.
 */
export const ALPHA_CONTROLLER_CAPABILITIES: readonly ControllerRpcType[] = ['GET_SNAPSHOT'];

export function advertisedCapabilities(alpha: boolean): readonly ControllerRpcType[] {
  return alpha ? [...CONTROLLER_CAPABILITIES, ...ALPHA_CONTROLLER_CAPABILITIES] : CONTROLLER_CAPABILITIES;
}

export function controllerHandlers(deps: ControllerDeps): ServiceHandlers<ControllerRpcs> {
  return {
    ...volumeHandlers(deps),
    ...snapshotHandlers(deps),
    ...publishHandlers(deps),
    ...inventoryHandlers(deps),
    ControllerGetCapabilities: async () => ({
      capabilities: advertisedCapabilities(deps.config.alphaCapabilities).map((type) => ({ rpc: { type } })),
    }),
    ControllerModifyVolume: async () => {
      throw new RdsCsiError(
        'UNIMPLEMENTED',
        'ControllerModifyVolume is not supported: rds-csi volumes have no mutable parameters',
      );
    },
  };
}
