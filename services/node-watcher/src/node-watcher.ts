import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { endpoints, notFound, unavailable } from '@rds-csi/contracts';
import { Bus, handle, pageOf, startService } from '@rds-csi/bus';
import { startHealthServer, type Logger, type ReadinessCheck, type Registry } from '@rds-csi/observability';
import packageJson from '../package.json' with { type: 'json' };
import { backoffDelayMs } from '@rds-csi/bus';
import { loadKubeConfig, type NodeWatcherConfig } from './config.js';
import { NodeInformer, type RestartReason } from './informer.js';
import { createNodeWatcherMetrics } from './metrics.js';
import { NodeEventPublisher, readStoredNodeEvents } from './stream.js';
import { NodeTracker, announcedFromStream, type Observation } from './transitions.js';

export interface NodeWatcherDeps {
  logger: Logger;
  registry: Registry;
  /** Used instead of `config.kubeconfigPath` (tests and the local stack hand over the fake API server's). */
  kubeConfig?: KubeConfig;
}

export interface NodeWatcher {
  /** Port of /metrics, /healthz and /readyz. */
  readonly healthPort: number;
  /** Whether the node cache holds a complete list (the snapshot endpoint answers only then). */
  isSynced(): boolean;
  stop(): Promise<void>;
}

/**
 * Runs the node-watcher: a Node informer whose changes become node events on the JetStream stream (only real
 * transitions, checked against what the stream already says) and the `nodes.snapshot` (paged) and `nodes.get`
 * endpoints, which answer UNAVAILABLE until the cache has synced so that nobody mistakes an empty cache for a cluster
 * without nodes.
 */
export async function startNodeWatcher(
  config: NodeWatcherConfig,
  deps: NodeWatcherDeps,
): Promise<NodeWatcher> {
  const { logger, registry } = deps;
  const kubeConfig = deps.kubeConfig ?? loadKubeConfig(config.kubeconfigPath);
  const tracker = new NodeTracker();
  const metrics = createNodeWatcherMetrics(registry, {
    nodes: () => tracker.snapshot(),
    synced: () => tracker.isSynced,
  });
  const nats: { bus?: Bus } = {};
  // Health endpoints first, so a NATS outage at start is visible (and explained) instead of a silent hang.
  const readiness = (): ReadinessCheck => {
    if (!nats.bus) return { ready: false, reason: 'waiting for NATS' };
    if (!tracker.isSynced) return { ready: false, reason: 'node cache not synced yet' };
    if (!nats.bus.isConnected()) return { ready: false, reason: 'NATS disconnected' };
    return { ready: true };
  };
  const health = await startHealthServer({ port: config.metricsPort, registry, logger, ready: readiness });
  const bus = await Bus.connect(config.bus, { logger, registry });
  nats.bus = bus;
  const publisher = new NodeEventPublisher(bus, metrics, logger, config.publishBackoff);
  const stopping = new AbortController();
  /** When the cache last became complete: a list, or a watch resuming after one. */
  let syncedAt: string | undefined;
  /** When the cache was last known current: that, or any later watch event or bookmark. */
  let currentAt: string | undefined;

  const observe = (observation: Observation): void => {
    if (observation.ok) return publisher.enqueue(observation.transitions);
    metrics.malformedNodes.inc();
    logger.warn({ reason: observation.reason }, 'ignored a node object');
  };
  const onRestart = (reason: RestartReason, err: unknown): void => {
    metrics.watchRestarts.inc({ reason });
    if (reason === 'closed') logger.debug('node watch closed by the server; resuming');
    else logger.warn({ reason, err }, 'node list/watch restarting');
  };

  const informer = new NodeInformer(
    kubeConfig,
    { silentWatchMs: config.silentWatchMs, backoff: config.restartBackoff },
    {
      upsert: (node) => observe(tracker.upsert(node, new Date())),
      remove: (node) => observe(tracker.remove(node, new Date())),
      synced: () => {
        syncedAt = currentAt = new Date().toISOString();
        if (tracker.isSynced) return;
        publisher.enqueue(tracker.markSynced(new Date()));
        logger.info({ nodes: tracker.snapshot().length }, 'node cache synced');
      },
      activity: () => (currentAt = new Date().toISOString()),
      restarted: onRestart,
    },
  );

  /** UNAVAILABLE until the cache synced: an empty cache must never pass for a cluster without nodes. */
  const syncedTimes = (): { syncedAt: string; currentAt: string } => {
    if (!tracker.isSynced || !syncedAt || !currentAt)
      throw unavailable('the node cache has not synced with the Kubernetes API yet');
    return { syncedAt, currentAt };
  };

  const service = await startService(
    bus,
    {
      name: 'node-watcher',
      version: packageJson.version,
      description: 'Kubernetes Node informer: node events, node snapshot and node lookup',
      readiness,
    },
    [
      handle(endpoints.nodesSnapshot, async (request, ctx) => {
        const times = syncedTimes();
        const page = pageOf(tracker.snapshot(), (n) => n.name, request, ctx.maxReplyBytes);
        return { nodes: page.items, ...times, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
      }),
      // Publish asks for one node: one small reply instead of every node on each call.
      handle(endpoints.nodesGet, async ({ name }) => {
        syncedTimes();
        const node = tracker.get(name);
        if (!node) throw notFound(`node ${name} does not exist in Kubernetes`);
        return node;
      }),
    ],
  );

  informer.start();
  const announcing = (async () => {
    // Until the stream's view is known nothing is published, so a restart never re-announces what is already there.
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        const stored = await readStoredNodeEvents(bus, logger);
        publisher.enqueue(tracker.setAnnounced(announcedFromStream(stored), new Date()));
        logger.info({ storedEvents: stored.length }, 'read the node events stream');
        return;
      } catch (err) {
        if (stopping.signal.aborted) return;
        const retryInMs = backoffDelayMs(attempt, config.restartBackoff);
        logger.warn({ err, retryInMs }, 'cannot read the node events stream; retrying');
        await sleep(retryInMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  })();

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    stopping.abort();
    await informer.stop();
    await publisher.stop();
    await service.stop();
    await health.close();
    await bus.close();
    await announcing;
  };
  return {
    healthPort: health.port,
    isSynced: () => tracker.isSynced,
    stop: () => (stopped ??= stop()),
  };
}
