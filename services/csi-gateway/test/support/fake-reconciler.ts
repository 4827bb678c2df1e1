import { handle, startService, type Bus, type RunningService } from '@rds-csi/bus';
import { RdsCsiError, endpoints, failedPrecondition, notFound, type Attachment } from '@rds-csi/contracts';
import { connectTestBus } from '@rds-csi/bus/testing';

/**
 * fakeReconciler: an in-test stand-in for the reconciler's attachment endpoints (contract-validated by the bus),
 * with the basic fencing rule: a single-node volume attached to one node is refused to another. The real
 * reconciler, its KV store and stale-attachment clearing are tested in its own service and end to end.
 */
export class FakeReconciler {
  readonly attachments = new Map<string, Attachment>();
  readonly published: unknown[] = [];

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
          const current = attachments.get(req.volumeId);
          const others = current?.nodes.filter((n) => n.nodeId !== req.nodeId) ?? [];
          if (current?.nodes.some((n) => n.nodeId === req.nodeId)) return current;
          if (others.length > 0 && (req.access === 'single-node' || others.length >= 2)) {
            throw failedPrecondition(`volume ${req.volumeId} is published to node ${others[0]!.nodeId}`);
          }
          const node = { nodeId: req.nodeId, readonly: req.readonly, attachedAt: new Date().toISOString() };
          const next: Attachment = {
            volumeId: req.volumeId,
            access: req.access,
            volumeMode: req.volumeMode,
            nodes: [...others, node],
          };
          attachments.set(req.volumeId, next);
          return next;
        }),
        handle(endpoints.attachUnpublish, async (req) => {
          const current = attachments.get(req.volumeId);
          if (!current) return { removed: false };
          const nodes = req.nodeId ? current.nodes.filter((n) => n.nodeId !== req.nodeId) : [];
          if (nodes.length === 0) attachments.delete(req.volumeId);
          else attachments.set(req.volumeId, { ...current, nodes });
          return { removed: nodes.length !== current.nodes.length };
        }),
        handle(endpoints.attachGet, async (req) => {
          const current = attachments.get(req.volumeId);
          if (!current) throw notFound(`no attachment for ${req.volumeId}`);
          return current;
        }),
        handle(endpoints.attachList, async () => ({ attachments: [...attachments.values()] })),
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
