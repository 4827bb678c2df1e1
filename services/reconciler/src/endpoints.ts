import { handle, pageOf, type EndpointHandler } from '@rds-csi/bus';
import {
  RdsCsiError,
  endpoints,
  toRdsCsiError,
  type Attachment,
  type AttachmentList,
  type AttachmentListRequest,
  type CorruptRecord,
  type NodeState,
  type OrphanReport,
  type ReconcileReport,
} from '@rds-csi/contracts';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { ReconcilerMetrics } from './metrics.js';
import { decidePublish, decideUnpublish, judgeNode } from './rules.js';
import type { StorageFence } from './storage-fence.js';
import type { StoreIndex } from './store-index.js';
import { corruptRecordError, type AttachmentStore } from './store.js';

export interface AttachmentHandlerDeps {
  store: AttachmentStore;
  metrics: ReconcilerMetrics;
  logger: Logger;
  defaultMigrationTimeoutSeconds: number;
  notReadyGraceMs: number;
  fence: StorageFence;
  /** Throws UNAVAILABLE until the start-up pass completed, while the store is not served, and while shutting down. */
  requireServing(): void;
  /** The served store's index once it holds every write answered so far; UNAVAILABLE while (re)adopted. */
  currentIndex(deadline: number): Promise<StoreIndex>;
  /** The node as the node-watcher's synced cache has it now; NOT_FOUND when absent, UNAVAILABLE when unsynced. */
  currentNode(nodeId: string, deadline: number): Promise<NodeState>;
  trigger(dryRun: boolean): Promise<ReconcileReport>;
  reportOrphans(deadline: number): Promise<OrphanReport>;
}

/**
 * The `reconciler` service endpoints. Publish and unpublish are decided by the pure rules on the record they will
 * replace and written by compare-and-set; each decision is counted and logged with its volume, node and outcome.
 */
export function attachmentHandlers(deps: AttachmentHandlerDeps): EndpointHandler[] {
  const { store, metrics, logger } = deps;

  async function decision<T>(
    counter: Counter<'outcome'>,
    fields: object,
    run: () => Promise<{ result: T; note: string }>,
  ): Promise<T> {
    try {
      const { result, note } = await run();
      counter.inc({ outcome: 'OK' });
      logger.info(fields, note);
      return result;
    } catch (err) {
      const failure = toRdsCsiError(err);
      counter.inc({ outcome: failure.code });
      logger.warn({ ...fields, code: failure.code, reason: failure.message }, 'attachment request refused');
      throw failure;
    }
  }

  return [
    handle(endpoints.attachPublish, (request, ctx) =>
      decision(metrics.publishes, { op: 'publish', ...request }, async () => {
        deps.requireServing();
        // CSI: NOT_FOUND for a node that does not exist, and nothing recorded that would fence the volume.
        const node = await deps.currentNode(request.nodeId, ctx.deadline);
        // A node the next pass would clear (out-of-service, NotReady past the grace) gets nothing: no event or
        // re-check would follow for it, so the record would outlive its bound until the periodic pass.
        const verdict = judgeNode(node, new Date(), deps.notReadyGraceMs);
        if (verdict.kind === 'stale')
          throw new RdsCsiError(
            'FAILED_PRECONDITION',
            `node ${request.nodeId} cannot take volumes: ${verdict.why}`,
          );
        const intent = { ...request, nodeUid: node.uid };
        const decided = await store.mutate(
          request.volumeId,
          (current) => {
            const d = decidePublish(current, intent, new Date(), deps.defaultMigrationTimeoutSeconds);
            return { change: d.change, result: d };
          },
          { operation: 'publish', deadline: ctx.deadline },
        );
        await deps.fence.admit(request.volumeId, ctx.deadline);
        const note = decided.change.kind === 'keep' ? 'already published: idempotent' : 'published';
        return { result: decided.attachment, note };
      }),
    ),
    handle(endpoints.attachUnpublish, (request, ctx) =>
      decision(metrics.unpublishes, { op: 'unpublish', ...request }, async () => {
        deps.requireServing();
        const removed = await store.mutate(
          request.volumeId,
          (current) => {
            const d = decideUnpublish(current, request.nodeId);
            return { change: d.change, result: d.removed };
          },
          { operation: 'unpublish', deadline: ctx.deadline },
        );
        await deps.fence.revoke(request.volumeId, removed, ctx.deadline);
        const note = removed.length > 0 ? 'unpublished' : 'not published there: nothing to do';
        return { result: { removed: removed.length > 0 }, note };
      }),
    ),
    handle(endpoints.attachGet, async ({ volumeId }) => {
      // DeleteVolume asks this before deleting a disk: an answer from a store not yet adopted could be "absent".
      deps.requireServing();
      const record = await store.readServed(volumeId);
      if (record.kind === 'corrupt') throw corruptRecordError(record);
      if (record.kind === 'absent') {
        throw new RdsCsiError('NOT_FOUND', `volume ${volumeId} is not published to any node`);
      }
      return record.attachment;
    }),
    handle(endpoints.attachList, async (request, ctx) =>
      attachmentPage(listed(await deps.currentIndex(ctx.deadline), request), request, ctx.maxReplyBytes),
    ),
    handle(endpoints.reconcileTrigger, ({ dryRun }) => deps.trigger(dryRun)),
    handle(endpoints.orphansReport, async (request, ctx) => {
      const report = await deps.reportOrphans(ctx.deadline);
      const page = pageOf(report.orphans, (o) => o.volumeId, request, ctx.maxReplyBytes);
      return { ...report, orphans: page.items, ...cursorOf(page) };
    }),
  ];
}

const cursorOf = (page: { nextCursor?: string }) =>
  page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor };

interface Listing {
  attachments: Attachment[];
  corrupt: CorruptRecord[];
}

/** The records a page is cut from, out of the index: the named volumes' only (after the cursor), or all of them. */
function listed(index: StoreIndex, request: AttachmentListRequest): Listing {
  if (request.volumeIds === undefined) {
    return { attachments: index.attachments(), corrupt: index.corruptRecords() };
  }
  const after = request.cursor;
  const listing: Listing = { attachments: [], corrupt: [] };
  for (const key of new Set(request.volumeIds)) {
    if (after !== undefined && key <= after) continue;
    const attachment = index.attachment(key);
    const record = index.record(key);
    if (attachment) listing.attachments.push(attachment);
    else if (record?.kind === 'corrupt') listing.corrupt.push({ key, reason: record.reason });
  }
  return listing;
}

type ListEntry = { key: string; attachment: Attachment } | { key: string; corrupt: CorruptRecord };

/** One byte-bounded page of attachments and corrupt records together, in key order. */
function attachmentPage(
  { attachments, corrupt }: Listing,
  request: AttachmentListRequest,
  maxBytes: number,
): AttachmentList {
  const entries: ListEntry[] = [
    ...attachments.map((attachment) => ({ key: attachment.volumeId, attachment })),
    ...corrupt.map((record) => ({ key: record.key, corrupt: record })),
  ];
  const page = pageOf(entries, (e) => e.key, request, maxBytes);
  const corruptOnPage = page.items.flatMap((e) => ('corrupt' in e ? [e.corrupt] : []));
  return {
    attachments: page.items.flatMap((e) => ('attachment' in e ? [e.attachment] : [])),
    ...(corruptOnPage.length > 0 ? { corrupt: corruptOnPage } : {}),
    ...cursorOf(page),
  };
}
