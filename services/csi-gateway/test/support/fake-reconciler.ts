import { handle, pageOf, startService, type Bus, type RunningService } from '@rds-csi/bus';
import {
  RdsCsiError,
  endpoints,
  notFound,
  type Attachment,
  type AttachmentListRequest,
} from '@rds-csi/contracts';
import { decidePublish, decideUnpublish, type Change } from '@rds-csi/attachment-rules';
import { connectTestBus } from '@rds-csi/bus/testing';

/** Applies a rules decision to the in-memory records (the real reconciler writes it to KV by compare-and-set). */
function apply(attachments: Map<string, Attachment>, volumeId: string, change: Change): void {
  if (change.kind === 'put') attachments.set(volumeId, change.value);
  else if (change.kind === 'delete') attachments.delete(volumeId);
}

/**
 * fakeReconciler: an in-test stand-in for the reconciler's attachment endpoints (contract-validated by the bus)
 * over an in-memory map, deciding with the real attachment rules (@rds-csi/attachment-rules). The real
 * reconciler, its KV store and stale-attachment clearing are tested in its own service and end to end.
 */
export class FakeReconciler {
  readonly attachments = new Map<string, Attachment>();
  readonly published: unknown[] = [];
  readonly listRequests: AttachmentListRequest[] = [];

  private service: RunningService | undefined;

  private constructor(private readonly bus: Bus) {}

  static async start(natsUrl: string): Promise<FakeReconciler> {
    const reconciler = new FakeReconciler(await connectTestBus(natsUrl, 'fake-reconciler'));
    const { attachments, published } = reconciler;
    reconciler.service = await startService(
      reconciler.bus,
      { name: 'reconciler', version: 'test', description: 'fakeReconciler' },
      [
        handle(endpoints.attachPublish, async (req) => {
          published.push(req);
          const decided = decidePublish(attachments.get(req.volumeId), req, new Date());
          apply(attachments, req.volumeId, decided.change);
          return decided.attachment;
        }),
        handle(endpoints.attachUnpublish, async (req) => {
          const decided = decideUnpublish(attachments.get(req.volumeId), req.nodeId);
          apply(attachments, req.volumeId, decided.change);
          return { removed: decided.removed.length > 0 };
        }),
        handle(endpoints.attachGet, async (req) => {
          const current = attachments.get(req.volumeId);
          if (!current) throw notFound(`no attachment for ${req.volumeId}`);
          return current;
        }),
        handle(endpoints.attachList, async (req, ctx) => {
          reconciler.listRequests.push(req);
          const wanted = req.volumeIds && new Set(req.volumeIds);
          const selected = [...attachments.values()].filter((a) => !wanted || wanted.has(a.volumeId));
          const page = pageOf(selected, (a) => a.volumeId, req, ctx.maxReplyBytes);
          return { attachments: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
        }),
        handle(endpoints.reconcileTrigger, async () => {
          throw new RdsCsiError('UNIMPLEMENTED', 'not in the fake');
        }),
      ],
    );
    return reconciler;
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    await this.bus.close();
  }
}
