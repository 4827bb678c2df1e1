import { Counter, Gauge, type Registry } from '@rds-csi/observability';
import type { NodeState } from '@rds-csi/contracts';

/** The metrics the node-watcher updates as things happen. */
export interface NodeWatcherMetrics {
  eventsPublished: Counter<'kind'>;
  eventsDuplicate: Counter<'kind'>;
  publishFailures: Counter;
  publishQueue: Gauge;
  watchRestarts: Counter<'reason'>;
  malformedNodes: Counter;
}

/** What the cache gauges read at scrape time, so keeping them current costs nothing per node event. */
export interface NodeCacheView {
  nodes(): readonly NodeState[];
  synced(): boolean;
}

export function createNodeWatcherMetrics(registry: Registry, cache: NodeCacheView): NodeWatcherMetrics {
  const registers = [registry];
  new Gauge({
    name: 'rdscsi_node_watcher_nodes',
    help: 'Nodes in the informer cache by state (ready, not-ready, out-of-service; out-of-service overlaps the others)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const nodes = cache.nodes();
      this.set({ state: 'ready' }, nodes.filter((n) => n.ready).length);
      this.set({ state: 'not-ready' }, nodes.filter((n) => !n.ready).length);
      this.set({ state: 'out-of-service' }, nodes.filter((n) => n.outOfService).length);
    },
  });
  new Gauge({
    name: 'rdscsi_node_watcher_cache_synced',
    help: '1 once the node cache holds a complete list from the Kubernetes API',
    registers,
    collect() {
      this.set(cache.synced() ? 1 : 0);
    },
  });
  return {
    eventsPublished: new Counter({
      name: 'rdscsi_node_watcher_events_published_total',
      help: 'Node events stored in the JetStream stream, by kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    eventsDuplicate: new Counter({
      name: 'rdscsi_node_watcher_events_duplicate_total',
      help: 'Node events JetStream dropped as duplicates (a retried publish that had already been stored), by kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    publishFailures: new Counter({
      name: 'rdscsi_node_watcher_publish_failures_total',
      help: 'Failed attempts to publish a node event (each is retried until it is stored)',
      registers,
    }),
    publishQueue: new Gauge({
      name: 'rdscsi_node_watcher_publish_queue_length',
      help: 'Node events waiting to be stored in the stream',
      registers,
    }),
    watchRestarts: new Counter({
      name: 'rdscsi_node_watcher_watch_restarts_total',
      help: 'Node list/watch restarts by reason (gone, watch-error, list-error, silent, closed)',
      labelNames: ['reason'] as const,
      registers,
    }),
    malformedNodes: new Counter({
      name: 'rdscsi_node_watcher_malformed_nodes_total',
      help: 'Node objects ignored because they cannot be represented (no name, or not a DNS-1123 name)',
      registers,
    }),
  };
}
