/**
 * Issue 8: the attachment store on a 3-server NATS cluster (R3 JetStream KV) survives the loss of one server while
 * publishes and unpublishes go on. Two reconciler replicas and the real node-watcher run against the fake Kubernetes
 * API; every request is retried until it is answered, as the CO does, so each volume's expected holder is exact.
 * Afterwards every acknowledged publish is in the store and readable through attach.list (whose index must first catch
 * up with what was written through the surviving servers; also once the killed server is back and a second one is
 * lost), and no RWO volume was ever granted to a second node while held.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { Bus, parseBusConfig } from '@rds-csi/bus';
import { endpoints, toRdsCsiError } from '@rds-csi/contracts';
import { startNodeWatcher, type NodeWatcher } from '@rds-csi/node-watcher';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';
import { startReconciler, type Reconciler } from '@rds-csi/reconciler';
import { FakeKubeApi, startNatsCluster, waitFor, type NatsClusterHandle } from '@rds-csi/testkit';

const NODES = ['node-a', 'node-b', 'node-c'];
const VOLUMES = Array.from({ length: 12 }, () => `pvc-${randomUUID()}`);
const ROUNDS_PER_VOLUME = 16;
const REPLICAS = 3;
const PREFIX = 'r3';
/** A request unanswered this long (server elections take seconds) counts as a lost store. */
const ANSWER_BOUND_MS = 30_000;

describe('the attachment store on a 3-server NATS cluster (R3)', () => {
  let cluster: NatsClusterHandle;
  let kube: FakeKubeApi;
  const buses: Bus[] = [];
  let nodeWatcher: NodeWatcher | undefined;
  const reconcilers: Reconciler[] = [];

  const connect = async (name: string): Promise<Bus> => {
    const bus = await Bus.connect(
      parseBusConfig({
        servers: cluster.urls,
        name,
        prefix: PREFIX,
        replicas: REPLICAS,
        requestTimeoutMs: 5_000,
      }),
      { logger: silentLogger(), registry: createMetricsRegistry(name) },
    );
    buses.push(bus);
    return bus;
  };

  before(async () => {
    cluster = await startNatsCluster(3);
    kube = await FakeKubeApi.start({ nodes: NODES });
    const watcherBus = parseBusConfig({
      servers: cluster.urls,
      name: 'node-watcher',
      prefix: PREFIX,
      replicas: 3,
    });
    nodeWatcher = await startNodeWatcher(
      {
        bus: watcherBus,
        kubeconfigPath: undefined,
        silentWatchMs: 60_000,
        metricsPort: 0,
        restartBackoff: { minMs: 100, maxMs: 1_000 },
        publishBackoff: { minMs: 100, maxMs: 1_000 },
      },
      {
        logger: silentLogger(),
        registry: createMetricsRegistry('node-watcher'),
        kubeConfig: kube.kubeConfig(),
      },
    );
    for (const name of ['reconciler-1', 'reconciler-2']) {
      const bus = await connect(name);
      const config = {
        retryMinMs: 100,
        retryMaxMs: 1_000,
        nodeSnapshotTimeoutMs: 3_000,
        storageFence: false,
      };
      // Provisioning an R3 stream on a loaded machine can time out: started again, as its pod would be.
      const reconciler = await waitFor(() => startReconciler(config, { bus }), {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: `${name} started`,
      });
      reconcilers.push(reconciler);
    }
    await Promise.all(reconcilers.map((r) => r.whenReady()));
  });

  after(async () => {
    for (const reconciler of reconcilers) await reconciler.stop().catch(() => undefined);
    await nodeWatcher?.stop().catch(() => undefined);
    for (const bus of buses) await bus.close().catch(() => undefined);
    await kube?.close();
    await cluster?.dispose();
  });

  it('loses no acknowledged publish and keeps the fence when a server is killed mid-run', async (t) => {
    const client = await connect('client');
    const bucket = client.names.attachmentsBucket;
    const jsm = await jetstreamManager(client.nc);
    // JetStream API calls time out while a leader is being elected: asked again until answered.
    const bucketInfo = () => waitFor(() => jsm.streams.info(`KV_${bucket}`), { timeoutMs: 30_000 });
    const info = await bucketInfo();
    assert.equal(info.config.num_replicas, REPLICAS, 'the reconciler created the bucket with replicas: 3');

    /** Retries a request until it is answered (a refusal is an answer), as the CO retries a CSI call; bounded. */
    let retried = 0;
    async function answered<T>(
      call: () => Promise<T>,
    ): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
      for (const giveUpAt = Date.now() + ANSWER_BOUND_MS; ;) {
        try {
          return { ok: true, value: await call() };
        } catch (err) {
          const code = toRdsCsiError(err).code;
          if (code !== 'UNAVAILABLE' && code !== 'DEADLINE_EXCEEDED' && code !== 'ABORTED')
            return { ok: false, code };
          if (Date.now() > giveUpAt)
            return { ok: false, code: `no answer within ${ANSWER_BOUND_MS} ms (${code})` };
          retried++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    const holder = new Map<string, string | undefined>();
    const violations: string[] = [];
    let acknowledged = 0;
    let killed: string | undefined;
    const killAt = Math.floor((VOLUMES.length * ROUNDS_PER_VOLUME) / 3);

    async function killStreamLeader(): Promise<void> {
      const leader = (await bucketInfo()).cluster?.leader;
      const victim = cluster.servers.find((s) => `test_${s.port}` === leader) ?? cluster.servers[0];
      killed = `test_${victim?.port}`;
      await victim?.kill();
    }

    async function drive(volumeId: string, index: number): Promise<void> {
      for (let round = 0; round < ROUNDS_PER_VOLUME; round++) {
        const node = NODES[(index + round) % NODES.length] as string;
        const held = holder.get(volumeId);
        if (held === undefined || round % 4 === 3) {
          const reply = await answered(() =>
            client.request(endpoints.attachPublish, {
              volumeId,
              nodeId: node,
              access: 'single-node',
              volumeMode: 'filesystem',
            }),
          );
          if (reply.ok && held !== undefined && held !== node)
            violations.push(`${volumeId} published to ${node} while held by ${held}`);
          if (!reply.ok && (held === undefined || reply.code !== 'FAILED_PRECONDITION'))
            violations.push(
              `${volumeId}: publish to ${node} refused ${reply.code} (held by ${held ?? 'nobody'})`,
            );
          if (reply.ok) holder.set(volumeId, node);
        } else {
          const reply = await answered(() =>
            client.request(endpoints.attachUnpublish, { volumeId, nodeId: held }),
          );
          if (!reply.ok) violations.push(`${volumeId}: unpublish from ${held} refused ${reply.code}`);
          else holder.set(volumeId, undefined);
        }
        acknowledged++;
        if (acknowledged === killAt && !killed) await killStreamLeader();
      }
    }
    await Promise.all(VOLUMES.map((v, i) => drive(v, i)));

    assert.ok(killed, 'a server was killed mid-run');
    assert.deepEqual(violations, []);
    // Every answer is in the store, read back through the surviving servers, and through the reconciler.
    async function assertEveryAnswerStored(when: string): Promise<void> {
      const listed = await answered(() => client.request(endpoints.attachList, {}));
      assert.ok(listed.ok, `the store lists its records ${when}`);
      const stored = new Map(listed.value.attachments.map((a) => [a.volumeId, a.nodes.map((n) => n.nodeId)]));
      for (const volumeId of VOLUMES) {
        const held = holder.get(volumeId);
        assert.deepEqual(stored.get(volumeId) ?? [], held ? [held] : [], `the record of ${volumeId} ${when}`);
      }
    }
    await assertEveryAnswerStored('after the kill');

    // The killed server comes back and catches up; then another one is lost: the records are still all there.
    const victim = cluster.servers.find((s) => `test_${s.port}` === killed);
    await victim?.start();
    await waitFor(
      async () => (await bucketInfo()).cluster?.replicas?.some((r) => r.name === killed && r.current),
      { timeoutMs: 30_000, message: 'the restarted server is a current replica of the bucket' },
    );
    const second = cluster.servers.find((s) => s !== victim && s.running);
    await second?.kill();
    await assertEveryAnswerStored('after the restarted server caught up and a second server was killed');
    const survivor = await bucketInfo();
    assert.ok(
      survivor.cluster?.leader && survivor.cluster.leader !== `test_${second?.port}`,
      'a running server leads the bucket',
    );
    await waitFor(() => reconcilers.every((r) => r.readiness().ready), { message: 'both replicas ready' });
    t.diagnostic(
      `R3 store: ${acknowledged} answered requests, ${retried} retried, killed ${killed} (the bucket's leader)`,
    );
  });
});
