import { handle, type EndpointHandler } from '@rds-csi/bus';
import { RdsCsiError, endpoints } from '@rds-csi/contracts';
import type { Logger } from 'pino';
import { decideUnpublish } from './rules.js';
import type { StorageFence } from './storage-fence.js';
import type { AttachmentStore } from './store.js';

export interface ReleaseDeps {
  store: AttachmentStore;
  fence: StorageFence;
  logger: Logger;
  requireServing(): void;
}

/**
 * `attach.release`, the operators' break-glass (`rdscsi release`, the NATS `operator` user only): removes one node's
 * attachment as an unpublish would, revoking the storage fence, but never silently: a node the volume is not
 * attached to is NOT_FOUND, and every release is logged as a warning with what it removed.
 */
export function releaseHandler(deps: ReleaseDeps): EndpointHandler {
  return handle(endpoints.attachRelease, async ({ volumeId, nodeId }, ctx) => {
    deps.requireServing();
    const { removed, remaining } = await deps.store.mutate(
      volumeId,
      (current) => {
        const decided = decideUnpublish(current, nodeId);
        const left = (current?.nodes ?? []).filter((n) => n.nodeId !== nodeId).map((n) => n.nodeId);
        return { change: decided.change, result: { removed: decided.removed, remaining: left } };
      },
      { operation: 'release', deadline: ctx.deadline },
    );
    const released = removed[0];
    if (!released) throw new RdsCsiError('NOT_FOUND', `volume ${volumeId} is not attached to node ${nodeId}`);
    await deps.fence.revoke(volumeId, removed, ctx.deadline);
    deps.logger.warn(
      { volumeId, nodeId, attachedAt: released.attachedAt, remainingNodes: remaining },
      'attachment released by an operator (break-glass)',
    );
    return { volumeId, released, remainingNodes: remaining };
  });
}
