import { endpoints, failedPrecondition, notFound } from '@rds-csi/contracts';
import { parseNodeId } from '../node-id.js';
import { DEFAULT_FS_TYPE, requireCapability } from './access.js';
import { CONTEXT_KEYS, migrationTimeoutFromContext } from './context.js';
import type { ControllerDeps, ControllerHandlers } from './deps.js';
import { isVolumeId } from './ids.js';
import { required } from './required.js';

/** Publish context keys, as the Go driver's node plugin reads them. */
export const PUBLISH_KEYS = {
  address: 'nvme_address',
  port: 'nvme_port',
  nqn: 'nvme_nqn',
  fsType: 'fs_type',
} as const;

/**
 * Attachments are decided by the reconciler (RWO fencing, the two-node migration window, stale attachments); the
 * gateway validates the request, checks the volume exists, forwards the decision and tells the node how to connect.
 */
export function publishHandlers(
  deps: ControllerDeps,
): ControllerHandlers<'ControllerPublishVolume' | 'ControllerUnpublishVolume'> {
  const { rds } = deps;
  return {
    async ControllerPublishVolume(request, ctx) {
      const volumeId = required(request.volume_id, 'volume_id');
      const nodeId = required(request.node_id, 'node_id');
      const access = requireCapability(request.volume_capability, 'volume_capability');
      ctx.annotate({ volumeId, nodeId, access: access.access, readonly: request.readonly });
      if (!isVolumeId(volumeId)) throw notFound(`volume ${volumeId} does not exist`);
      const node = parseNodeId(nodeId);
      if (!node) throw notFound(`node ${nodeId} does not exist`);
      ctx.lock(`volume:${volumeId}`, `volume ${volumeId}`);
      const volume = await rds.request(endpoints.volumeGet, { id: volumeId }, ctx);
      // A disabled or inactive disk serves no I/O: a node could connect to nothing.
      if (volume.problem)
        throw failedPrecondition(`volume ${volumeId} cannot be published: ${volume.problem}`);
      await rds.request(
        endpoints.attachPublish,
        {
          volumeId,
          nodeId: node.nodeName,
          hostNqn: node.hostNqn,
          readonly: request.readonly,
          access: access.access,
          volumeMode: access.volumeMode,
          migrationTimeoutSeconds:
            access.access === 'multi-node' ? migrationTimeoutFromContext(request.volume_context) : undefined,
        },
        ctx,
      );
      return {
        publish_context: {
          [PUBLISH_KEYS.address]: deps.addresses.nvme(request.volume_context[CONTEXT_KEYS.nvmeAddress]),
          [PUBLISH_KEYS.port]: String(volume.nvmeTcpPort),
          [PUBLISH_KEYS.nqn]: volume.nqn,
          ...(access.volumeMode === 'filesystem'
            ? { [PUBLISH_KEYS.fsType]: access.fsType || DEFAULT_FS_TYPE }
            : {}),
        },
      };
    },

    async ControllerUnpublishVolume(request, ctx) {
      const volumeId = required(request.volume_id, 'volume_id');
      const nodeId = request.node_id || undefined;
      ctx.annotate({ volumeId, nodeId });
      const node = nodeId === undefined ? undefined : parseNodeId(nodeId);
      // A volume or node this driver could never have published is unpublished already.
      if (!isVolumeId(volumeId) || (nodeId !== undefined && !node)) return {};
      ctx.lock(`volume:${volumeId}`, `volume ${volumeId}`);
      await rds.find(endpoints.attachUnpublish, { volumeId, nodeId: node?.nodeName }, ctx);
      return {};
    },
  };
}
