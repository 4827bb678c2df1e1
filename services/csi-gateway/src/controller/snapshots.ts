import { alreadyExists, endpoints, notFound, type Snapshot as RdsSnapshot } from '@rds-csi/contracts';
import type { ControllerDeps, ControllerHandlers } from './deps.js';
import { isSnapshotId, isVolumeId, snapshotIdForName } from './ids.js';
import { filteredPage, parsePageRequest, tokenAfter } from './pagination.js';
import { checkSnapshotParameters } from './parameters.js';
import { ensureCreated } from './rds.js';
import { required } from './required.js';
import { csiSnapshot } from './responses.js';

/**
 * Snapshots: the ID is derived from the CSI name as the Go driver did, so repeating a CreateSnapshot finds the
 * snapshot it made; the source volume and creation time come from the rds-connector, which records them because
 * RouterOS does not report them.
 */
export function snapshotHandlers(
  deps: ControllerDeps,
): ControllerHandlers<'CreateSnapshot' | 'DeleteSnapshot' | 'ListSnapshots' | 'GetSnapshot'> {
  const { rds } = deps;
  return {
    async CreateSnapshot(request, ctx) {
      const sourceVolumeId = required(request.source_volume_id, 'source_volume_id');
      const name = required(request.name, 'name');
      checkSnapshotParameters(request.parameters);
      const id = snapshotIdForName(name);
      ctx.annotate({ snapshotId: id, sourceVolumeId });
      if (!isVolumeId(sourceVolumeId)) throw notFound(`source volume ${sourceVolumeId} does not exist`);
      ctx.lock(`snapshot:${id}`, `snapshot ${id}`);
      const checkSource = (existing: { sourceVolumeId: string }): void => {
        if (existing.sourceVolumeId !== sourceVolumeId) {
          throw alreadyExists(
            `snapshot ${name} already exists for volume ${existing.sourceVolumeId}, not ${sourceVolumeId}`,
          );
        }
      };
      const snapshot = await ensureCreated(
        () => rds.find(endpoints.snapshotGet, { id }, ctx),
        () => rds.request(endpoints.snapshotCreate, { id, sourceVolumeId }, ctx),
        checkSource,
      );
      return { snapshot: csiSnapshot(snapshot) };
    },

    async DeleteSnapshot(request, ctx) {
      const id = required(request.snapshot_id, 'snapshot_id');
      ctx.annotate({ snapshotId: id });
      if (!isSnapshotId(id)) return {};
      ctx.lock(`snapshot:${id}`, `snapshot ${id}`);
      await rds.find(endpoints.snapshotDelete, { id }, ctx);
      return {};
    },

    async ListSnapshots(request, ctx) {
      const pageRequest = parsePageRequest(request, isSnapshotId);
      const { snapshot_id: id, source_volume_id: source } = request;
      // Filters naming an ID this driver never issues match nothing.
      if ((id && !isSnapshotId(id)) || (source && !isVolumeId(source))) return { entries: [] };
      const matches = (s: RdsSnapshot) => !source || s.sourceVolumeId === source;
      if (id) {
        const found = await rds.find(endpoints.snapshotGet, { id }, ctx);
        const listed = found && matches(found) && (pageRequest.after === undefined || id > pageRequest.after);
        return { entries: listed ? [{ snapshot: csiSnapshot(found) }] : [] };
      }
      const result = await filteredPage(
        pageRequest,
        (s) => s.id,
        matches,
        async (page) => {
          const reply = await rds.request(endpoints.snapshotList, page, ctx);
          return { items: reply.snapshots, nextCursor: reply.nextCursor };
        },
      );
      return {
        entries: result.items.map((s) => ({ snapshot: csiSnapshot(s) })),
        next_token: tokenAfter(result.nextCursor),
      };
    },

    async GetSnapshot(request, ctx) {
      const id = required(request.snapshot_id, 'snapshot_id');
      if (!isSnapshotId(id)) throw notFound(`snapshot ${id} does not exist`);
      return { snapshot: csiSnapshot(await rds.request(endpoints.snapshotGet, { id }, ctx)) };
    },
  };
}
