/**
 * The node-watcher's request endpoints at sizes over one page: nodes.snapshot pages under max_payload (64 KiB on this
 * server, so a few hundred nodes span pages), and nodes.get answers for one node.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allPages, parseBusConfig } from '@rds-csi/bus';
import { connectTestBus } from '@rds-csi/bus/testing';
import { endpoints, type NodeSnapshot } from '@rds-csi/contracts';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';
import {
  rejectionOf,
  startFakeKubeApi,
  startNatsServer,
  waitFor,
  type NatsServerHandle,
} from '@rds-csi/testkit';
import { startNodeWatcher } from '../src/index.js';

const NODES = 600;
const name = (n: number) => `worker-${String(n).padStart(4, '0')}`;

describe('node-watcher lookups at sizes over one page', () => {
  let nats: NatsServerHandle;
  before(async () => {
    nats = await startNatsServer({ maxPayload: 64 * 1024 });
  });
  after(() => nats?.dispose());

  it('pages nodes.snapshot (complete, ascending) and answers nodes.get for one node, NOT_FOUND for none', async (t) => {
    const api = await startFakeKubeApi({
      nodes: Array.from({ length: NODES }, (_, i) => (i === 17 ? { name: name(i), ready: false } : name(i))),
    });
    api.failNextLists(1_000_000);
    const prefix = 'lookup';
    const client = await connectTestBus(nats.url, 'test-client', { prefix });
    const watcher = await startNodeWatcher(
      {
        bus: parseBusConfig({ servers: [nats.url], name: 'node-watcher', prefix, requestTimeoutMs: 10_000 }),
        kubeconfigPath: undefined,
        silentWatchMs: 60_000,
        metricsPort: 0,
        restartBackoff: { minMs: 50, maxMs: 200 },
        publishBackoff: { minMs: 50, maxMs: 200 },
      },
      {
        logger: silentLogger(),
        registry: createMetricsRegistry('node-watcher'),
        kubeConfig: api.kubeConfig(),
      },
    );
    t.after(async () => {
      await watcher.stop();
      await client.close();
      await api.close();
    });

    const unsynced = await rejectionOf(() => client.request(endpoints.nodesGet, { name: name(1) }));
    assert.equal(unsynced.code, 'UNAVAILABLE', 'an unsynced cache cannot say a node does not exist');
    api.failNextLists(0);
    await waitFor(() => watcher.isSynced(), { message: 'node cache synced' });

    const pages: NodeSnapshot[] = [];
    const listed = await allPages(
      async (page) => {
        const reply = await client.request(endpoints.nodesSnapshot, page);
        pages.push(reply);
        return reply;
      },
      (page) => page.nodes,
    );
    assert.ok(pages.length > 1, `${NODES} nodes need several 64 KiB pages, got ${pages.length}`);
    assert.deepEqual(
      listed.map((n) => n.name),
      Array.from({ length: NODES }, (_, i) => name(i)),
    );
    assert.ok(
      pages.every((p) => p.syncedAt && p.currentAt),
      'every page says how current the cache is',
    );

    const one = await client.request(endpoints.nodesGet, { name: name(17) });
    assert.deepEqual(
      one,
      listed.find((n) => n.name === name(17)),
    );
    assert.equal(one.ready, false);
    const missing = await rejectionOf(() => client.request(endpoints.nodesGet, { name: 'worker-ghost' }));
    assert.equal(missing.code, 'NOT_FOUND');
  });
});
