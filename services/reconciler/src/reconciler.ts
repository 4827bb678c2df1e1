import { setTimeout as sleep } from 'node:timers/promises';
import packageJson from '../package.json' with { type: 'json' };
import { allPages, startService, type Bus } from '@rds-csi/bus';
import {
  RdsCsiError,
  endpoints,
  toRdsCsiError,
  type AttachAccess,
  type NodeEvent,
  type NodeSnapshot,
  type ReconcileReport,
  type ReconcileTrigger,
} from '@rds-csi/contracts';
import { startHealthServer, type HealthServer, type ReadinessCheck } from '@rds-csi/observability';
import { backoffDelayMs } from '@rds-csi/bus';
import { adoptKubernetesAttachments } from './kube-adoption.js';
import { adoptSnapshotLineageOnce } from './snapshot-adoption.js';
import { OrphanReporter } from './orphan-report.js';
import { staleClearer } from './clearing.js';
import { PassCoalescer, type PassRequest } from './coalescer.js';
import { parseReconcilerConfig, type ReconcilerConfigInput } from './config.js';
import { kubeClearanceEvents, loadKubeConfig, noClearanceEvents } from './kube-events.js';
import { reconcilerMetrics, type ReconcilerMetrics } from './metrics.js';
import { startNodeEventConsumer, type NodeEventConsumer } from './node-events.js';
import { RecheckTimers } from './recheck-timers.js';
import { attachmentHandlers } from './endpoints.js';
import { releaseHandler } from './release.js';
import { TRANSITION_TIME_RESOLUTION_MS, planPass } from './rules.js';
import { AttachmentStore, type StoredRecord } from './store.js';
import { StorageFence } from './storage-fence.js';

export const SERVICE_VERSION: string = packageJson.version;

export interface ReconcilerDeps {
  /** The reconciler's NATS connection; its logger and metrics registry are used too. The caller closes it. */
  bus: Bus;
}

export interface Reconciler {
  /** Resolves once the start-up pass completed (publish/unpublish are served from then on); rejects if stopped first. */
  whenReady(): Promise<void>;
  readiness(): ReadinessCheck;
  /** Runs (or joins) a coalesced pass, as the manual trigger does. */
  reconcile(trigger: ReconcileTrigger, dryRun?: boolean): Promise<ReconcileReport>;
  /** Nodes with a pending NotReady re-check. */
  pendingNotReady(): string[];
  /** Port of /metrics, /healthz, /readyz when config.metricsPort was set. */
  readonly healthPort: number | undefined;
  stop(): Promise<void>;
}

const CLEAR_REASON_OF_EVENT = { deleted: 'node-deleted', 'out-of-service': 'node-out-of-service' } as const;
const EVENT_DRAIN_MS = 5_000;
const FENCE_REQUEST_TIMEOUT_MS = 15_000;

/**
 * Starts the owner of attachment state: provisions the KV bucket, the node events stream and the durable consumer,
 * registers the `reconciler` service, then runs the start-up pass (retrying while the node list is unavailable) and
 * only then serves publish/unpublish. Node events, the period and the manual trigger run coalesced passes.
 */
export async function startReconciler(
  input: ReconcilerConfigInput,
  deps: ReconcilerDeps,
): Promise<Reconciler> {
  const config = parseReconcilerConfig(input);
  const { bus } = deps;
  const logger = bus.logger;
  const metrics = reconcilerMetrics(bus.registry);
  const store = await AttachmentStore.open(bus, {
    onConflict: (operation) => metrics.casConflicts.inc({ operation }),
    onCorrupt: () => metrics.corruptReads.inc(),
  });
  const kubeConfig = loadKubeConfig(config.kubernetes);
  if (!kubeConfig)
    logger.info(
      'no Kubernetes configuration (KUBECONFIG or in-cluster): Events about cleared attachments are skipped',
    );
  const events = kubeConfig
    ? kubeClearanceEvents(kubeConfig, { eventNamespace: config.kubernetes.eventNamespace, logger, metrics })
    : noClearanceEvents;
  const fence = new StorageFence({
    bus,
    store,
    logger,
    registry: bus.registry,
    enabled: config.storageFence,
    requestTimeoutMs: FENCE_REQUEST_TIMEOUT_MS,
    retryMinMs: config.retryMinMs,
    retryMaxMs: config.retryMaxMs,
  });
  const clear = staleClearer({ store, metrics, logger, events, fence });

  let ready = false;
  let stopped = false;
  const abort = new AbortController();
  let markReady!: () => void;
  let failReady!: (err: Error) => void;
  const readyPromise = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  readyPromise.catch(() => undefined);

  /** When the first NotReady event of a node arrived, for the event-to-clearance histogram. */
  const notReadyEventAt = new Map<string, number>();
  const coalescer = new PassCoalescer<ReconcileReport>((request) => runPass(request));
  const recheck = new RecheckTimers((nodeId, attempt) => void recheckNotReady(nodeId, attempt));

  async function fetchNodes(
    deadline = Date.now() + config.nodeSnapshotTimeoutMs,
  ): Promise<Pick<NodeSnapshot, 'nodes' | 'currentAt'>> {
    try {
      // Each page is true as of its own currentAt: the whole list is true as of the earliest.
      let currentAt = new Date().toISOString();
      const nodes = await allPages(
        (page) => bus.request(endpoints.nodesSnapshot, page, { deadline }),
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

  async function runPass({ trigger, dryRun }: PassRequest): Promise<ReconcileReport> {
    const startedAt = new Date();
    const begin = performance.now();
    try {
      const { nodes, currentAt } = await fetchNodes();
      // The list says what was true when the cache was last known current, not now: judge as of then.
      const evidenceAt = new Date(Math.min(startedAt.getTime(), Date.parse(currentAt)));
      if (startedAt.getTime() - evidenceAt.getTime() > config.nodeCacheMaxAgeMs)
        throw new RdsCsiError(
          'UNAVAILABLE',
          `the node cache was last known current at ${currentAt}: nothing is cleared from a stale node list`,
        );
      const listing = await store.list();
      const plan = planPass(listing.attachments, nodes, evidenceAt, config.notReadyGraceMs);
      for (const { nodeId, at } of plan.recheck) recheck.schedule(nodeId, at);
      metrics.overdueMigrations.set(plan.overdueMigrations.length);
      for (const skip of plan.skipped) logger.info({ ...skip, trigger }, 'attachment kept');
      const outcome = await clear(plan.clear, {
        trigger,
        dryRun,
        notAfter: evidenceAt,
        eventAt: (nodeId) => notReadyEventAt.get(nodeId),
      });
      if (!dryRun) for (const { nodeId } of outcome.cleared) notReadyEventAt.delete(nodeId);
      if (!dryRun) fence.retrySoon();
      const durationMs = performance.now() - begin;
      const report: ReconcileReport = {
        trigger,
        dryRun,
        startedAt: startedAt.toISOString(),
        durationMs,
        checked: listing.attachments.length,
        cleared: outcome.cleared,
        skipped: [...plan.skipped, ...outcome.failed],
        ...(listing.corrupt.length > 0 ? { corrupt: listing.corrupt } : {}),
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
          corrupt: listing.corrupt.length,
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
  async function recheckNotReady(nodeId: string, attempt: number): Promise<void> {
    try {
      await coalescer.request('node-event');
    } catch {
      if (stopped) return;
      recheck.schedule(
        nodeId,
        new Date(
          Date.now() + backoffDelayMs(attempt + 1, { minMs: config.retryMinMs, maxMs: config.retryMaxMs }),
        ),
        attempt + 1,
      );
    }
  }

  /** Deleted or out-of-service: the node's attachments are cleared at once, without waiting for a node list. */
  async function clearNode(event: NodeEvent & { kind: 'deleted' | 'out-of-service' }): Promise<void> {
    const reason = CLEAR_REASON_OF_EVENT[event.kind];
    const why =
      event.kind === 'deleted' ? `node deleted at ${event.at}` : `node tainted out-of-service at ${event.at}`;
    const eventAt = Date.parse(event.at);
    const { attachments } = await store.list();
    const notices = attachments
      .filter((a) => a.nodes.some((n) => n.nodeId === event.node))
      .map((a) => ({ volumeId: a.volumeId, nodeId: event.node, reason, why, nodeUid: event.uid }));
    const outcome = await clear(notices, {
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

  async function onNodeEvent(event: NodeEvent): Promise<void> {
    const { node, kind } = event;
    logger.info({ node, kind, at: event.at, notReadySince: event.notReadySince }, 'node event');
    if (kind === 'ready') {
      notReadyEventAt.delete(node);
      if (recheck.cancel(node))
        logger.info({ node }, 'node Ready again within the grace period: nothing cleared');
      return;
    }
    if (kind === 'not-ready') {
      if (!notReadyEventAt.has(node)) notReadyEventAt.set(node, Date.parse(event.at));
      const since = Date.parse(event.notReadySince ?? event.at) + TRANSITION_TIME_RESOLUTION_MS;
      recheck.schedule(node, new Date(since + config.notReadyGraceMs));
      return;
    }
    recheck.cancel(node);
    notReadyEventAt.delete(node);
    await clearNode({ ...event, kind });
  }

  const orphans = new OrphanReporter({
    bus,
    kubeConfig,
    driverName: config.driverName,
    graceMs: config.orphanGraceMs,
    logger,
    metrics,
  });
  const lookForOrphans = (): void =>
    void orphans
      .report(Date.now() + config.nodeSnapshotTimeoutMs * 6)
      .catch((err: unknown) =>
        logger.warn({ error: toRdsCsiError(err).message }, 'orphan volume scan failed'),
      );

  const handlers = attachmentHandlers({
    store,
    metrics,
    logger,
    defaultMigrationTimeoutSeconds: config.defaultMigrationTimeoutSeconds,
    fence,
    requireServing,
    currentNode: (nodeId, deadline) =>
      bus
        .request(
          endpoints.nodesGet,
          { name: nodeId },
          { deadline: Math.min(deadline, Date.now() + config.nodeSnapshotTimeoutMs) },
        )
        .catch((err: unknown) => {
          const failure = toRdsCsiError(err);
          if (failure.code === 'NOT_FOUND') throw failure;
          throw new RdsCsiError('UNAVAILABLE', `node lookup unavailable (${failure.message})`, {
            cause: err,
          });
        }),
    trigger: (dryRun) => coalescer.request('manual', dryRun),
    reportOrphans: (deadline) => orphans.report(deadline),
  });

  function requireServing(): void {
    if (stopped) throw new RdsCsiError('UNAVAILABLE', 'reconciler is shutting down');
    if (!ready) {
      throw new RdsCsiError(
        'UNAVAILABLE',
        'start-up reconciliation has not completed: publish/unpublish wait until stale attachments are cleared',
      );
    }
  }

  const service = await startService(
    bus,
    {
      name: 'reconciler',
      version: SERVICE_VERSION,
      description: 'rds-csi attachment state and stale-attachment reconciliation',
      readiness,
    },
    [...handlers, releaseHandler({ store, fence, logger, requireServing })],
  );
  let consumer: NodeEventConsumer | undefined;
  let gauges: { stop(): void } | undefined;
  let health: HealthServer | undefined;
  try {
    consumer = await startNodeEventConsumer({
      bus,
      durableName: config.consumerName,
      metrics,
      retryMinMs: config.retryMinMs,
      retryMaxMs: config.retryMaxMs,
      handle: onNodeEvent,
    });
    gauges = await store.watch(attachmentGauges(metrics));
    if (config.metricsPort !== undefined) {
      health = await startHealthServer({
        port: config.metricsPort,
        registry: bus.registry,
        logger,
        ready: () => readiness(),
      });
    }
  } catch (err) {
    gauges?.stop();
    await consumer?.stop();
    await service.stop();
    throw err;
  }

  let periodic: NodeJS.Timeout | undefined;
  let orphanScans: NodeJS.Timeout | undefined;
  let adopted = false;
  async function startUp(): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        if (kubeConfig && !adopted) {
          await adoptKubernetesAttachments(kubeConfig, store, config.driverName, logger);
          adopted = true;
        }
        await coalescer.request('startup');
        ready = true;
        logger.info('start-up reconciliation done: serving publish and unpublish');
        markReady();
        periodic = setInterval(
          () => void coalescer.request('periodic').catch(() => undefined),
          config.periodMs,
        );
        periodic.unref();
        if (kubeConfig) {
          lookForOrphans();
          orphanScans = setInterval(lookForOrphans, config.orphanScanIntervalMs);
          orphanScans.unref();
        }
        return;
      } catch (err) {
        if (stopped) return;
        const delay = backoffDelayMs(attempt + 1, { minMs: config.retryMinMs, maxMs: config.retryMaxMs });
        logger.warn(
          { error: toRdsCsiError(err).message, retryInMs: delay },
          'start-up reconciliation postponed: publish and unpublish not served yet',
        );
        await sleep(delay, undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  }
  void startUp();
  if (kubeConfig) {
    const retry = { minMs: config.retryMinMs, maxMs: config.retryMaxMs };
    void adoptSnapshotLineageOnce(kubeConfig, bus, {
      driverName: config.driverName,
      logger,
      retry,
      signal: abort.signal,
    });
  }

  function readiness(): ReadinessCheck {
    if (!bus.isConnected()) return { ready: false, reason: 'NATS disconnected' };
    if (!ready)
      return { ready: false, reason: 'start-up reconciliation not completed (waiting for the node list)' };
    return { ready: true };
  }

  return {
    whenReady: () => readyPromise,
    readiness,
    reconcile: (trigger, dryRun = false) => coalescer.request(trigger, dryRun),
    pendingNotReady: () => recheck.pending(),
    healthPort: health?.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      clearInterval(periodic);
      clearInterval(orphanScans);
      recheck.clear();
      if (!ready)
        failReady(
          new RdsCsiError('UNAVAILABLE', 'reconciler stopped before start-up reconciliation completed'),
        );
      await service.stop();
      await fence.stop();
      await consumer.stop();
      gauges.stop();
      await coalescer.close();
      await events.drain(EVENT_DRAIN_MS);
      await health?.close();
      logger.info('reconciler stopped');
    },
  };
}

/** Keeps the attachment gauges in step with the bucket (every replica sees every change). */
function attachmentGauges(metrics: ReconcilerMetrics): (record: StoredRecord) => void {
  const kinds = new Map<string, AttachAccess | 'corrupt'>();
  const gaugeOf = (kind: AttachAccess | 'corrupt') =>
    kind === 'corrupt' ? metrics.corruptRecords : metrics.attachments.labels({ access: kind });
  metrics.attachments.set({ access: 'single-node' }, 0);
  metrics.attachments.set({ access: 'multi-node' }, 0);
  metrics.corruptRecords.set(0);
  return (record) => {
    const before = kinds.get(record.key);
    const after =
      record.kind === 'valid' ? record.attachment.access : record.kind === 'corrupt' ? 'corrupt' : undefined;
    if (before === after) return;
    if (before) gaugeOf(before).dec();
    if (after) gaugeOf(after).inc();
    if (after) kinds.set(record.key, after);
    else kinds.delete(record.key);
  };
}
