/**
 * The passes part: reconciliation passes (coalesced: start-up, node events, the period, operators) judged from the
 * in-memory index against the node-watcher's node list, the NotReady re-check timers, and the clearing of a deleted
 * or tainted node's attachments (only that node's, from the index).
 */
import { allPages, backoffDelayMs, type Bus } from '@rds-csi/bus';
import {
  RdsCsiError,
  endpoints,
  toRdsCsiError,
  type NodeEvent,
  type NodeSnapshot,
  type ReconcileReport,
} from '@rds-csi/contracts';
import type { Logger } from 'pino';
import type { StaleClearer } from './clearing.js';
import { PassCoalescer, type PassRequest } from './coalescer.js';
import type { ReconcilerConfig } from './config.js';
import type { ReconcilerMetrics } from './metrics.js';
import { RecheckTimers } from './recheck-timers.js';
import { planPass } from './rules.js';
import type { StorageFence } from './storage-fence.js';
import type { StoreKeeper } from './store-keeper.js';

const CLEAR_REASON_OF_EVENT = { deleted: 'node-deleted', 'out-of-service': 'node-out-of-service' } as const;

/** How long a pass or a node's clearing waits for the index to hold every answered write (a watch re-created). */
const INDEX_CATCH_UP_MS = 10_000;

export interface PassesDeps {
  bus: Bus;
  config: ReconcilerConfig;
  keeper: StoreKeeper;
  clear: StaleClearer;
  fence: StorageFence;
  metrics: ReconcilerMetrics;
  logger: Logger;
}

export class Passes {
  /** When the first NotReady event of a node arrived, for the event-to-clearance histogram. */
  readonly notReadyEventAt = new Map<string, number>();
  readonly recheck = new RecheckTimers((nodeId, attempt) => void this.recheckNotReady(nodeId, attempt));
  private readonly coalescer = new PassCoalescer<ReconcileReport>((request) => this.run(request));
  private stopped = false;

  constructor(private readonly deps: PassesDeps) {}

  /** Runs (or joins) a coalesced pass. */
  request(trigger: PassRequest['trigger'], dryRun = false): Promise<ReconcileReport> {
    return this.coalescer.request(trigger, dryRun);
  }

  /** The node-watcher's synced node list (every page), bounded by `deadline`; UNAVAILABLE otherwise. */
  async fetchNodes(
    deadline = Date.now() + this.deps.config.nodeSnapshotTimeoutMs,
  ): Promise<Pick<NodeSnapshot, 'nodes' | 'currentAt'>> {
    try {
      // Each page is true as of its own currentAt: the whole list is true as of the earliest.
      let currentAt = new Date().toISOString();
      const nodes = await allPages(
        (page) => this.deps.bus.request(endpoints.nodesSnapshot, page, { deadline }),
        (page) => {
          if (Date.parse(page.currentAt) < Date.parse(currentAt)) ({ currentAt } = page);
          return page.nodes;
        },
      );
      return { nodes, currentAt };
    } catch (err) {
      throw new RdsCsiError(
        'UNAVAILABLE',
        `node list unavailable (${toRdsCsiError(err).message}): nothing is cleared without a synced node list`,
        { cause: err },
      );
    }
  }

  /** Deleted or out-of-service: the node's attachments are cleared at once, without waiting for a node list. */
  async clearNode(event: NodeEvent & { kind: 'deleted' | 'out-of-service' }): Promise<void> {
    const reason = CLEAR_REASON_OF_EVENT[event.kind];
    const why =
      event.kind === 'deleted' ? `node deleted at ${event.at}` : `node tainted out-of-service at ${event.at}`;
    const eventAt = Date.parse(event.at);
    const index = await this.deps.keeper.currentIndex(Date.now() + INDEX_CATCH_UP_MS);
    const notices = index
      .onNode(event.node)
      .map((a) => ({ volumeId: a.volumeId, nodeId: event.node, reason, why, nodeUid: event.uid }));
    const outcome = await this.deps.clear(notices, {
      trigger: 'node-event',
      dryRun: false,
      notAfter: new Date(eventAt),
      eventAt: () => eventAt,
    });
    if (outcome.failed.length > 0) {
      throw new RdsCsiError(
        'UNAVAILABLE',
        `${outcome.failed.length} attachment(s) of node ${event.node} could not be cleared`,
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.recheck.clear();
    await this.coalescer.close();
  }

  private async run({ trigger, dryRun }: PassRequest): Promise<ReconcileReport> {
    const { config, keeper, metrics, logger } = this.deps;
    const startedAt = new Date();
    const begin = performance.now();
    try {
      const { nodes, currentAt } = await this.fetchNodes();
      // The list says what was true when the cache was last known current, not now: judge as of then.
      const evidenceAt = new Date(Math.min(startedAt.getTime(), Date.parse(currentAt)));
      if (startedAt.getTime() - evidenceAt.getTime() > config.nodeCacheMaxAgeMs)
        throw new RdsCsiError(
          'UNAVAILABLE',
          `the node cache was last known current at ${currentAt}: nothing is cleared from a stale node list`,
        );
      const index = await keeper.currentIndex(Date.now() + INDEX_CATCH_UP_MS);
      const attachments = index.attachments();
      const corrupt = index.corruptRecords();
      const plan = planPass(attachments, nodes, evidenceAt, config.notReadyGraceMs);
      for (const { nodeId, at } of plan.recheck) this.recheck.schedule(nodeId, at);
      for (const skip of plan.skipped) logger.info({ ...skip, trigger }, 'attachment kept');
      const outcome = await this.deps.clear(plan.clear, {
        trigger,
        dryRun,
        notAfter: evidenceAt,
        eventAt: (nodeId) => this.notReadyEventAt.get(nodeId),
      });
      if (!dryRun) for (const { nodeId } of outcome.cleared) this.notReadyEventAt.delete(nodeId);
      if (!dryRun) this.deps.fence.retrySoon();
      const durationMs = performance.now() - begin;
      const report: ReconcileReport = {
        trigger,
        dryRun,
        startedAt: startedAt.toISOString(),
        durationMs,
        checked: attachments.length,
        cleared: outcome.cleared,
        skipped: [...plan.skipped, ...outcome.failed],
        ...(corrupt.length > 0 ? { corrupt } : {}),
      };
      metrics.passes.inc({ trigger, outcome: dryRun ? 'dry-run' : 'ok' });
      metrics.passDuration.observe({ trigger }, durationMs / 1000);
      logger.info(
        {
          trigger,
          dryRun,
          checked: report.checked,
          cleared: report.cleared.length,
          skipped: report.skipped.length,
          corrupt: corrupt.length,
          durationMs,
        },
        'reconciliation pass finished',
      );
      return report;
    } catch (err) {
      const failure = toRdsCsiError(err);
      metrics.passes.inc({ trigger, outcome: failure.code === 'UNAVAILABLE' ? 'unavailable' : 'failed' });
      logger.warn(
        { trigger, dryRun, code: failure.code, error: failure.message },
        'reconciliation pass failed: nothing cleared',
      );
      throw failure;
    }
  }

  /** A NotReady node's grace ended: a pass reads the node list again, so a node that recovered keeps everything. */
  private async recheckNotReady(nodeId: string, attempt: number): Promise<void> {
    try {
      await this.coalescer.request('node-event');
    } catch {
      if (this.stopped) return;
      const { retryMinMs, retryMaxMs } = this.deps.config;
      this.recheck.schedule(
        nodeId,
        new Date(Date.now() + backoffDelayMs(attempt + 1, { minMs: retryMinMs, maxMs: retryMaxMs })),
        attempt + 1,
      );
    }
  }
}
