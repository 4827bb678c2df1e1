import type { Logger } from 'pino';
import { toRdsCsiError, type ClearedAttachment, type ReconcileTrigger } from '@rds-csi/contracts';
import type { ClearanceEvents, ClearanceNotice } from './kube-events.js';
import type { ReconcilerMetrics } from './metrics.js';
import { decideStaleRemoval, type SkippedAttachment } from './rules.js';
import type { StorageFence } from './storage-fence.js';
import type { AttachmentStore } from './store.js';

export interface ClearContext {
  trigger: ReconcileTrigger;
  /** Report what would be cleared, change nothing. */
  dryRun: boolean;
  /** When the evidence was gathered: attachments made later are left alone. */
  notAfter: Date;
  /** When the node event behind this clearance happened, for the event-to-clearance histogram. */
  eventAt?: (nodeId: string) => number | undefined;
}

export interface ClearOutcome {
  cleared: ClearedAttachment[];
  /** Clearances that failed (store unavailable, corrupt record); retried by the next pass or redelivery. */
  failed: SkippedAttachment[];
}

/**
 * Clears stale attachments one by one, each by compare-and-set, so a clearance racing an unpublish, another replica
 * or a second pass removes the node once and reports it once. Each clearance is logged, counted and announced as a
 * Kubernetes Event after the record changed, so Event failures can never hold a volume fenced.
 */
export function staleClearer(deps: {
  store: AttachmentStore;
  metrics: ReconcilerMetrics;
  logger: Logger;
  events: ClearanceEvents;
  /** Revokes the cleared node's host at the RDS; absent = records only. */
  fence?: StorageFence;
}) {
  const { store, metrics, logger, events } = deps;
  /** `nodeUid`: the Node object the evidence is about; attachments to another object of that name are kept. */
  return async function clear(
    notices: (ClearanceNotice & { nodeUid?: string })[],
    context: ClearContext,
  ): Promise<ClearOutcome> {
    const outcome: ClearOutcome = { cleared: [], failed: [] };
    for (const notice of notices) {
      const { volumeId, nodeId, reason, why } = notice;
      if (context.dryRun) {
        logger.info(
          { volumeId, nodeId, reason, why, trigger: context.trigger },
          'dry run: would clear stale attachment',
        );
        outcome.cleared.push({ volumeId, nodeId, reason });
        continue;
      }
      try {
        const removed = await store.mutate(
          volumeId,
          (current) => {
            const decision = decideStaleRemoval(current, nodeId, context.notAfter, notice.nodeUid);
            return { change: decision.change, result: decision.removed };
          },
          { operation: 'clear' },
        );
        if (removed.length === 0) {
          logger.info(
            { volumeId, nodeId, reason, trigger: context.trigger },
            'attachment already gone or made after the evidence: not cleared',
          );
          continue;
        }
        outcome.cleared.push({ volumeId, nodeId, reason });
        metrics.staleCleared.inc({ reason });
        const eventAt = context.eventAt?.(nodeId);
        if (eventAt !== undefined)
          metrics.eventToClearance.observe({ reason }, Math.max(0, Date.now() - eventAt) / 1000);
        logger.warn({ volumeId, nodeId, reason, why, trigger: context.trigger }, 'stale attachment cleared');
        events.announce(notice);
        deps.fence?.revokeCleared(volumeId, removed);
      } catch (err) {
        const message = toRdsCsiError(err).message;
        outcome.failed.push({ volumeId, nodeId, why: `could not clear (${reason}): ${message}` });
        logger.error(
          { volumeId, nodeId, reason, trigger: context.trigger, error: message },
          'stale attachment could not be cleared',
        );
      }
    }
    return outcome;
  };
}

export type StaleClearer = ReturnType<typeof staleClearer>;
