import { allPages } from '@rds-csi/bus';
import { endpoints, notFound, type Attachment, type Volume as RdsVolume } from '@rds-csi/contracts';
import type { Input, Volume } from '@rds-csi/csi-spec';
import { encodeNodeId } from '../node-id.js';
import { firstCapabilityProblem } from './access.js';
import type { ControllerDeps, ControllerHandlers } from './deps.js';
import { isVolumeId } from './ids.js';
import { parsePageRequest, servicePage, tokenAfter } from './pagination.js';
import { parseVolumeParameters } from './parameters.js';
import { required } from './required.js';
import { reachableFrom, volumeCondition, volumeTopology } from './responses.js';
import { MIB } from './capacity.js';

/**
 * What exists: volumes with the nodes they are published to (from the reconciler) and their condition, and free
 * capacity. Listed volumes carry no volume context: it comes from the StorageClass the volume was created with,
 * which the RDS does not remember, and the spec wants a volume's context never to change.
 */
export function inventoryHandlers(
  deps: ControllerDeps,
): ControllerHandlers<'ListVolumes' | 'ControllerGetVolume' | 'GetCapacity'> {
  const { rds } = deps;
  const csiVolume = (volume: RdsVolume): Input<Volume> => ({
    capacity_bytes: volume.sizeBytes,
    volume_id: volume.id,
    accessible_topology: volumeTopology(deps.zone),
  });
  const status = (volume: RdsVolume, attachment: Attachment | undefined) => ({
    // As NodeGetInfo reported them (the external-attacher compares them with CSINode).
    published_node_ids:
      attachment?.nodes.map((n) => encodeNodeId({ nodeName: n.nodeId, hostNqn: n.hostNqn })) ?? [],
    volume_condition: volumeCondition(volume),
  });

  return {
    async ListVolumes(request, ctx) {
      const pageRequest = parsePageRequest(request, isVolumeId);
      const volumes = await rds.request(endpoints.volumeList, servicePage(pageRequest), ctx);
      // Only the attachments of this page's volumes: the request is smaller than the volume page it follows.
      const volumeIds = volumes.volumes.map((v) => v.id);
      const attachments =
        volumeIds.length === 0
          ? []
          : await allPages(
              (page) => rds.request(endpoints.attachList, { ...page, volumeIds }, ctx),
              (page) => page.attachments,
            );
      const byVolume = new Map(attachments.map((a) => [a.volumeId, a]));
      return {
        entries: volumes.volumes.map((v) => ({
          volume: csiVolume(v),
          status: status(v, byVolume.get(v.id)),
        })),
        next_token: tokenAfter(volumes.nextCursor),
      };
    },

    async ControllerGetVolume(request, ctx) {
      const id = required(request.volume_id, 'volume_id');
      if (!isVolumeId(id)) throw notFound(`volume ${id} does not exist`);
      const [volume, attachment] = await Promise.all([
        rds.request(endpoints.volumeGet, { id }, ctx),
        rds.find(endpoints.attachGet, { volumeId: id }, ctx),
      ]);
      return { volume: csiVolume(volume), status: status(volume, attachment) };
    },

    async GetCapacity(request, ctx) {
      const params = parseVolumeParameters(request.parameters);
      const caps = request.volume_capabilities;
      const usable = caps.length === 0 || firstCapabilityProblem(caps) === undefined;
      const reachable = !request.accessible_topology || reachableFrom(deps.zone, request.accessible_topology);
      if (!usable || !reachable) return { available_capacity: 0 };
      const { freeBytes } = await rds.request(endpoints.capacity, { volumePath: params.volumePath }, ctx);
      // Sizes are rounded up to whole MiB, so the largest request that fits is the free space rounded down.
      return {
        available_capacity: freeBytes,
        maximum_volume_size: { value: Math.floor(freeBytes / MIB) * MIB },
      };
    },
  };
}
