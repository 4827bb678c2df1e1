import packageJson from '../package.json' with { type: 'json' };
import { startService, type Bus } from '@rds-csi/bus';
import {
  RdsCsiError,
  endpoints,
  toRdsCsiError,
  type ReconcileReport,
  type ReconcileTrigger,
} from '@rds-csi/contracts';
import { startHealthServer, type HealthServer, type ReadinessCheck } from '@rds-csi/observability';
import { readKubernetesAttachments } from './kube-adoption.js';
import { OrphanReporter } from './orphan-report.js';
import { staleClearer } from './clearing.js';
import { parseReconcilerConfig, type ReconcilerConfigInput } from './config.js';
import { kubeClearanceEvents, loadKubeConfig, noClearanceEvents } from './kube-events.js';
import { reconcilerMetrics } from './metrics.js';
import { MigrationDeadlines } from './migration-deadlines.js';
import { nodeEventHandler } from './node-event-handler.js';
import { startNodeEventConsumer, type NodeEventConsumer } from './node-events.js';
import { attachmentHandlers } from './endpoints.js';
import { Passes } from './passes.js';
import { releaseHandler } from './release.js';
import { adoptSnapshotLineageOnce } from './snapshot-adoption.js';
import { StorageFence } from './storage-fence.js';
import { StartUp } from './start-up.js';
import { StoreKeeper } from './store-keeper.js';

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

const EVENT_DRAIN_MS = 5_000;
const FENCE_REQUEST_TIMEOUT_MS = 15_000;

/**
 * The composition root: wires the store (keeper: bucket, identity, index, adoption), the storage fence, the passes,
 * the node events, the orphan report and the `reconciler` service endpoints, and owns their lifecycles. The store is
 * served once adopted; publish/unpublish/get are served from the first completed start-up pass on, and only while
 * the store is served. Node events, the period and the manual trigger run coalesced passes.
 */
export async function startReconciler(
  input: ReconcilerConfigInput,
  deps: ReconcilerDeps,
): Promise<Reconciler> {
  const config = parseReconcilerConfig(input);
  const { bus } = deps;
  const logger = bus.logger;
  const metrics = reconcilerMetrics(bus.registry);
  const kubeConfig = loadKubeConfig(config.kubernetes);
  if (!kubeConfig)
    logger.info(
      'no Kubernetes configuration (KUBECONFIG or in-cluster): no adoption from VolumeAttachments, no Events',
    );
  const migrations = new MigrationDeadlines((overdue) => metrics.overdueMigrations.set(overdue));
  const keeper = StoreKeeper.create({
    bus,
    metrics,
    checkIntervalMs: config.storeCheckIntervalMs,
    phaseTimeoutMs: config.kubernetesTimeoutMs * 6,
    retryMinMs: config.retryMinMs,
    retryMaxMs: config.retryMaxMs,
    onAttachments: migrations,
    // After a re-adoption, a pass clears what the adopted records hold for nodes that are gone.
    onServing: () => {
      if (startUp.started) void passes.request('startup').catch(() => undefined);
    },
    ...(kubeConfig
      ? {
          readKubernetes: () =>
            readKubernetesAttachments(kubeConfig, {
              driverName: config.driverName,
              defaultMigrationTimeoutSeconds: config.defaultMigrationTimeoutSeconds,
              requestTimeoutMs: config.kubernetesTimeoutMs,
            }),
        }
      : {}),
  });
  const { store } = keeper;
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
  const passes = new Passes({ bus, config, keeper, clear, fence, metrics, logger });

  let stopped = false;
  const startUp = new StartUp({
    keeper,
    passes,
    config,
    logger,
    onStarted: () => {
      if (!kubeConfig) return;
      lookForOrphans();
      orphanScans = setInterval(lookForOrphans, config.orphanScanIntervalMs);
      orphanScans.unref();
    },
  });

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

  function requireServing(): void {
    if (stopped) throw new RdsCsiError('UNAVAILABLE', 'reconciler is shutting down');
    keeper.requireServing();
    if (!startUp.started) {
      throw new RdsCsiError(
        'UNAVAILABLE',
        'start-up reconciliation has not completed: publish/unpublish wait until stale attachments are cleared',
      );
    }
  }

  const handlers = attachmentHandlers({
    store,
    metrics,
    logger,
    defaultMigrationTimeoutSeconds: config.defaultMigrationTimeoutSeconds,
    notReadyGraceMs: config.notReadyGraceMs,
    fence,
    requireServing,
    currentIndex: (deadline) => keeper.currentIndex(deadline),
    // Publish asks for one node: one small reply instead of every node on each call.
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
    trigger: (dryRun) => passes.request('manual', dryRun),
    reportOrphans: (deadline) => orphans.report(deadline),
  });

  keeper.start();
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
  let health: HealthServer | undefined;
  try {
    consumer = await startNodeEventConsumer({
      bus,
      durableName: config.consumerName,
      metrics,
      retryMinMs: config.retryMinMs,
      retryMaxMs: config.retryMaxMs,
      handle: nodeEventHandler({ passes, config, logger }),
    });
    if (config.metricsPort !== undefined) {
      health = await startHealthServer({
        port: config.metricsPort,
        registry: bus.registry,
        logger,
        ready: () => readiness(),
      });
    }
  } catch (err) {
    await consumer?.stop();
    await service.stop();
    await keeper.stop();
    throw err;
  }

  let orphanScans: NodeJS.Timeout | undefined;
  startUp.start();
  // The Go driver's snapshots get their lineage from the cluster, in the background: publish never waits for it.
  const snapshotAdoption = new AbortController();
  if (kubeConfig) {
    void adoptSnapshotLineageOnce(kubeConfig, bus, {
      driverName: config.driverName,
      logger,
      retry: { minMs: config.retryMinMs, maxMs: config.retryMaxMs },
      signal: snapshotAdoption.signal,
    });
  }

  function readiness(): ReadinessCheck {
    if (!bus.isConnected()) return { ready: false, reason: 'NATS disconnected' };
    const storeReason = keeper.notServingReason();
    if (storeReason !== undefined) return { ready: false, reason: storeReason };
    if (!startUp.started)
      return { ready: false, reason: 'start-up reconciliation not completed (waiting for the node list)' };
    return { ready: true };
  }

  return {
    whenReady: () => startUp.whenReady(),
    readiness,
    reconcile: (trigger, dryRun = false) => passes.request(trigger, dryRun),
    pendingNotReady: () => passes.recheck.pending(),
    healthPort: health?.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(orphanScans);
      snapshotAdoption.abort();
      await startUp.stop();
      await service.stop();
      await consumer.stop();
      await passes.stop();
      // After the consumer and the passes: a clearance made while they stopped still revokes its host at the RDS.
      await fence.stop();
      await keeper.stop();
      migrations.stop();
      await events.drain(EVENT_DRAIN_MS);
      await health?.close();
      logger.info('reconciler stopped');
    },
  };
}
