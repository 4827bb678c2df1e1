import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NodeEvent, RdsCsiError, decodeMessage, endpoints } from '@rds-csi/contracts';
import { parseBusConfig, type Bus } from '@rds-csi/bus';
import { createMetricsRegistry, silentLogger, type Registry } from '@rds-csi/observability';
import { connectTestBus } from '@rds-csi/bus/testing';
import {
  OUT_OF_SERVICE_TAINT_KEY,
  rejectionOf,
  startFakeKubeApi,
  startNatsServer,
  waitFor,
  type FakeKubeApi,
  type FakeKubeApiOptions,
  type NatsServerHandle,
} from '@rds-csi/testkit';
import { startNodeWatcher, type NodeWatcher, type NodeWatcherConfig } from '../src/index.js';

let nats: NatsServerHandle;
let prefixCounter = 0;

/** Every node event in the stream, oldest first, read with a JetStream consumer and checked against the contract. */
async function storedEvents(bus: Bus): Promise<NodeEvent[]> {
  const stream = bus.names.nodeEventsStream;
  const info = await (await jetstreamManager(bus.nc)).streams.info(stream).catch(() => undefined);
  if (!info || info.state.messages === 0) return [];
  const consumer = await jetstream(bus.nc).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const events: NodeEvent[] = [];
  try {
    for (;;) {
      const msg = await consumer.next({ expires: 2_000 });
      if (!msg) break;
      const decoded = decodeMessage(NodeEvent, msg.data);
      assert.ok(decoded.ok, `malformed event ${msg.string()}`);
      assert.equal(msg.subject, bus.names.nodeEvent(decoded.value.kind, decoded.value.node));
      events.push(decoded.value);
      if (msg.info.pending === 0) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return events;
}

/** A node object's identity as the fake API server holds it: what the snapshot must report. */
function identity(api: FakeKubeApi, name: string): { name: string; uid: string; createdAt: string } {
  const metadata = api.getNode(name)?.metadata;
  assert.ok(metadata?.uid && metadata.creationTimestamp, `node ${name} has no identity in the fake API`);
  return { name, uid: metadata.uid, createdAt: new Date(metadata.creationTimestamp).toISOString() };
}

const summary = (events: NodeEvent[]): string[] => events.map((e) => `${e.kind} ${e.node}`);

/** Waits until the stream holds exactly `expected` (as "kind node"), then returns the events. */
async function expectEvents(bus: Bus, expected: string[]): Promise<NodeEvent[]> {
  let last: NodeEvent[] = [];
  try {
    await waitFor(async () => {
      last = await storedEvents(bus);
      return summary(last).length >= expected.length;
    });
  } catch {
    // fall through to a readable diff
  }
  assert.deepEqual(summary(last), expected);
  return last;
}

async function metric(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const found = registry.getSingleMetric(name);
  if (!found) return 0;
  const { values } = await found.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}

interface Harness {
  api: FakeKubeApi;
  client: Bus;
  prefix: string;
  start(overrides?: Partial<NodeWatcherConfig>): Promise<{ watcher: NodeWatcher; registry: Registry }>;
  lists(): number;
}

/** A fake API server, a client bus and node-watchers on a prefix of their own, all cleaned up after the test. */
async function harness(t: TestContext, apiOptions: FakeKubeApiOptions = {}): Promise<Harness> {
  const prefix = `nw${++prefixCounter}`;
  const api = await startFakeKubeApi(apiOptions);
  const client = await connectTestBus(nats.url, 'test-client', { prefix });
  const watchers: NodeWatcher[] = [];
  t.after(async () => {
    for (const w of watchers) await w.stop();
    await client.close();
    await api.close();
  });
  return {
    api,
    client,
    prefix,
    lists: () => api.requests({ path: '/api/v1/nodes', watch: false }).length,
    async start(overrides = {}) {
      const registry = createMetricsRegistry('node-watcher');
      const config: NodeWatcherConfig = {
        bus: parseBusConfig({ servers: [nats.url], name: 'node-watcher', prefix, requestTimeoutMs: 10_000 }),
        kubeconfigPath: undefined,
        silentWatchMs: 60_000,
        metricsPort: 0,
        restartBackoff: { minMs: 50, maxMs: 500 },
        publishBackoff: { minMs: 50, maxMs: 500 },
        ...overrides,
      };
      const watcher = await startNodeWatcher(config, {
        logger: silentLogger(),
        registry,
        ...(config.kubeconfigPath ? {} : { kubeConfig: api.kubeConfig() }),
      });
      watchers.push(watcher);
      return { watcher, registry };
    },
  };
}

const readyz = async (watcher: NodeWatcher) =>
  (await fetch(`http://127.0.0.1:${watcher.healthPort}/readyz`)).status;

describe('node-watcher with real NATS, real client-node and the fake API server', () => {
  before(async () => {
    nats = await startNatsServer();
  });
  after(() => nats.dispose());

  it('answers UNAVAILABLE until its cache synced (retrying failed lists), then the real nodes', async (t) => {
    const h = await harness(t, { nodes: ['node-a', { name: 'node-b', ready: false }], token: 'secret' });
    h.api.failNextLists(1_000_000);
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-nw-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const { watcher, registry } = await h.start({
      kubeconfigPath: await h.api.writeKubeconfig(join(dir, 'kubeconfig')),
    });

    const early = await rejectionOf(() => h.client.request(endpoints.nodesSnapshot, {}));
    assert.ok(early instanceof RdsCsiError);
    assert.equal(early.code, 'UNAVAILABLE');
    assert.equal(await readyz(watcher), 503);
    assert.equal(watcher.isSynced(), false);
    await waitFor(
      async () =>
        (await metric(registry, 'rdscsi_node_watcher_watch_restarts_total', { reason: 'list-error' })) >= 3,
      {
        message: 'list retried',
      },
    );
    assert.equal(
      (await rejectionOf(() => h.client.request(endpoints.nodesSnapshot, {}))).code,
      'UNAVAILABLE',
    );
    assert.deepEqual(await storedEvents(h.client), [], 'nothing published from an unsynced cache');

    h.api.failNextLists(0);
    const snapshot = await waitFor(() => h.client.request(endpoints.nodesSnapshot, {}), {
      message: 'snapshot after sync',
    });
    const nodeBReady = h.api.getNode('node-b')?.status.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual(snapshot.nodes, [
      { ...identity(h.api, 'node-a'), ready: true, outOfService: false },
      {
        ...identity(h.api, 'node-b'),
        ready: false,
        outOfService: false,
        notReadySince: new Date(nodeBReady?.lastTransitionTime ?? '').toISOString(),
      },
    ]);
    assert.ok(Date.parse(snapshot.syncedAt) > 0);
    assert.equal(await readyz(watcher), 200);
    assert.equal(await metric(registry, 'rdscsi_node_watcher_cache_synced'), 1);
    assert.equal(await metric(registry, 'rdscsi_node_watcher_nodes', { state: 'not-ready' }), 1);
    await expectEvents(h.client, ['ready node-a', 'not-ready node-b']);
  });

  it('lists a large cluster in pages and publishes every node once', async (t) => {
    const names = Array.from({ length: 1100 }, (_, i) => `node-${String(i).padStart(4, '0')}`);
    const h = await harness(t, { nodes: names });
    const { registry } = await h.start();
    const snapshot = await waitFor(() => h.client.request(endpoints.nodesSnapshot, {}), {
      message: 'snapshot',
    });
    assert.deepEqual(
      snapshot.nodes.map((n) => n.name),
      names,
    );
    const lists = h.api.requests({ path: '/api/v1/nodes', watch: false });
    assert.deepEqual(
      lists.map((r) => [r.query.limit, Boolean(r.query.continue)]),
      [
        ['500', false],
        ['500', true],
        ['500', true],
      ],
    );
    await waitFor(
      async () =>
        (await metric(registry, 'rdscsi_node_watcher_events_published_total', { kind: 'ready' })) ===
        names.length,
      {
        message: 'all nodes announced',
      },
    );
  });

  it('publishes each transition exactly once: none for heartbeats, none again after a forced re-list or 410', async (t) => {
    const h = await harness(t, { nodes: ['node-a', 'node-b'] });
    const { registry } = await h.start();
    await expectEvents(h.client, ['ready node-a', 'ready node-b']);

    h.api.touchNode('node-a');
    const notReady = h.api.setReady('node-a', false);
    h.api.addTaint('node-a', { key: OUT_OF_SERVICE_TAINT_KEY, value: 'nodeshutdown', effect: 'NoExecute' });
    h.api.touchNode('node-a');
    h.api.setReady('node-b', false, { status: 'Unknown' });
    h.api.setReady('node-b', true);
    h.api.deleteNode('node-a');
    const expected = [
      'ready node-a',
      'ready node-b',
      'not-ready node-a',
      'out-of-service node-a',
      'not-ready node-b',
      'ready node-b',
      'deleted node-a',
    ];
    const events = await expectEvents(h.client, expected);
    const readyCondition = notReady.status.conditions?.find((c) => c.type === 'Ready');
    assert.equal(events[2]?.notReadySince, new Date(readyCondition?.lastTransitionTime ?? '').toISOString());

    // 410 on the open watch, with a change in the gap: one re-list, one event for the change.
    const listsBefore = h.lists();
    h.api.expireWatches();
    h.api.addNode('node-c');
    await waitFor(
      async () =>
        (await metric(registry, 'rdscsi_node_watcher_watch_restarts_total', { reason: 'gone' })) >= 1,
    );
    await expectEvents(h.client, [...expected, 'ready node-c']);
    assert.equal(h.lists(), listsBefore + 1);

    // Expired history when resuming after a dropped connection: another re-list, still nothing new.
    h.api.setSilentWatches(true);
    h.api.touchNode('node-b');
    h.api.compactHistory();
    h.api.setSilentWatches(false);
    h.api.dropWatches();
    await waitFor(() => h.lists() === listsBefore + 2, {
      message: 're-list after resuming from a compacted resourceVersion',
    });
    h.api.addNode('sentinel');
    await expectEvents(h.client, [...expected, 'ready node-c', 'ready sentinel']);
    assert.equal(await metric(registry, 'rdscsi_node_watcher_events_published_total', { kind: 'ready' }), 5);
  });

  it('restarts dropped and failing watches with backoff; events keep flowing', async (t) => {
    const h = await harness(t, { nodes: ['node-a'] });
    const { registry } = await h.start();
    await expectEvents(h.client, ['ready node-a']);
    const watchErrors = () =>
      metric(registry, 'rdscsi_node_watcher_watch_restarts_total', { reason: 'watch-error' });

    h.api.dropWatches();
    await waitFor(async () => (await watchErrors()) >= 1, { message: 'dropped watch counted' });
    h.api.setReady('node-a', false);
    await expectEvents(h.client, ['ready node-a', 'not-ready node-a']);

    h.api.failNextWatches(3);
    h.api.dropWatches();
    h.api.setReady('node-a', true);
    await expectEvents(h.client, ['ready node-a', 'not-ready node-a', 'ready node-a']);
    assert.ok((await watchErrors()) >= 5, `watch errors: ${await watchErrors()}`);
    assert.equal(h.api.openWatchCount, 1);
  });

  it('keeps a watch that sends bookmarks, restarts one that went silent', async (t) => {
    const h = await harness(t, { nodes: ['node-a'], bookmarkIntervalMs: 100 });
    // The silent bound leaves a wide margin over the 100 ms bookmarks, so a stalled event loop on a loaded CI machine
    // cannot pass for a silent watch.
    const { registry } = await h.start({ silentWatchMs: 3_000 });
    await expectEvents(h.client, ['ready node-a']);
    const silentRestarts = () =>
      metric(registry, 'rdscsi_node_watcher_watch_restarts_total', { reason: 'silent' });

    // A quiet cluster: no node changes for several silent-watch bounds, only bookmarks.
    const watches = h.api.requests({ watch: true }).length;
    const bookmarks = h.api.bookmarksSent;
    await waitFor(() => h.api.bookmarksSent >= bookmarks + 70, { message: 'bookmarks' });
    assert.equal(await silentRestarts(), 0);
    assert.equal(h.api.requests({ watch: true }).length, watches, 'the watch was kept');
    assert.equal(h.api.requests({ watch: true }).at(-1)?.query.allowWatchBookmarks, 'true');

    // The open watch goes silent (a black-holed connection); the change made meanwhile arrives after the restart.
    h.api.setSilentWatches(true);
    h.api.setSilentWatches(false);
    h.api.setReady('node-a', false);
    await expectEvents(h.client, ['ready node-a', 'not-ready node-a']);
    assert.ok((await silentRestarts()) >= 1);
  });

  it('handles odd node objects: missing conditions, garbage status, names it cannot represent', async (t) => {
    const h = await harness(t, { nodes: ['node-a'] });
    const { registry } = await h.start();
    await expectEvents(h.client, ['ready node-a']);

    const bare = h.api.addNode('bare', { withoutConditions: true });
    h.api.addNode('Bad_Name');
    h.api.updateNode('node-a', (n) => Object.assign(n, { status: 'garbage', spec: { taints: 'none' } }));
    h.api.addNode('sentinel');
    const events = await expectEvents(h.client, [
      'ready node-a',
      'not-ready bare',
      'not-ready node-a',
      'ready sentinel',
    ]);
    assert.equal(events[1]?.notReadySince, new Date(bare.metadata.creationTimestamp ?? '').toISOString());
    assert.equal(await metric(registry, 'rdscsi_node_watcher_malformed_nodes_total'), 1);
    const snapshot = await h.client.request(endpoints.nodesSnapshot, {});
    assert.deepEqual(
      snapshot.nodes.map((n) => `${n.name}:${n.ready}`),
      ['bare:false', 'node-a:false', 'sentinel:true'],
    );
  });

  it('after a restart publishes only what changed while it was down', async (t) => {
    const h = await harness(t, {
      nodes: [
        'node-a',
        'node-b',
        'node-c',
        { name: 'node-d', ready: false, taints: [{ key: OUT_OF_SERVICE_TAINT_KEY, effect: 'NoExecute' }] },
      ],
    });
    const first = await h.start();
    const initial = [
      'ready node-a',
      'ready node-b',
      'ready node-c',
      'not-ready node-d',
      'out-of-service node-d',
    ];
    await expectEvents(h.client, initial);
    await first.watcher.stop();

    h.api.deleteNode('node-b');
    h.api.setReady('node-c', false);
    h.api.touchNode('node-a');
    h.api.addNode('node-e');
    const second = await h.start();
    const afterRestart = [...initial, 'deleted node-b', 'not-ready node-c', 'ready node-e'];
    await expectEvents(h.client, afterRestart);
    assert.deepEqual(
      (await h.client.request(endpoints.nodesSnapshot, {})).nodes.map((n) => n.name),
      ['node-a', 'node-c', 'node-d', 'node-e'],
    );
    await second.watcher.stop();

    await h.start();
    h.api.addNode('sentinel');
    await expectEvents(h.client, [...afterRestart, 'ready sentinel']);
  });

  it('delivers events after NATS restarts mid-run, retrying the ones it could not publish', async (t) => {
    const h = await harness(t, { nodes: ['node-a'] });
    const { registry } = await h.start();
    await expectEvents(h.client, ['ready node-a']);

    await nats.stop();
    h.api.setReady('node-a', false);
    await waitFor(async () => (await metric(registry, 'rdscsi_node_watcher_publish_failures_total')) >= 1, {
      message: 'publish failed',
    });
    await nats.start();
    await expectEvents(h.client, ['ready node-a', 'not-ready node-a']);
    h.api.setReady('node-a', true);
    await expectEvents(h.client, ['ready node-a', 'not-ready node-a', 'ready node-a']);
    const snapshot = await waitFor(() => h.client.request(endpoints.nodesSnapshot, {}));
    assert.deepEqual(snapshot.nodes, [{ ...identity(h.api, 'node-a'), ready: true, outOfService: false }]);
  });
});
