/**
 * The attachment store's identity (issue 8 finding 1) and adopted migrations (finding 8), through real reconcilers
 * on one real nats-server and the fake Kubernetes API: a bucket lost and re-created under a running replica, two
 * replicas, one replica recovering by itself, and the overdue gauge driven by the deadline.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kvm, type KV } from '@nats-io/kv';
import { RdsCsiError, endpoints, encodeMessage, type Attachment } from '@rds-csi/contracts';
import { waitFor } from '@rds-csi/testkit';
import { Harness, metricValue, withKubernetes } from './harness.js';

const IDENTITY_KEY = '_store-identity';
const volumeId = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Outcome of a request: 'OK' or its error code. */
async function outcome(request: () => Promise<unknown>): Promise<string> {
  try {
    await request();
    return 'OK';
  } catch (err) {
    return err instanceof RdsCsiError ? err.code : String(err);
  }
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

async function bucketOf(h: Harness): Promise<KV> {
  return new Kvm(h.client.nc).open(h.client.names.attachmentsBucket);
}

/** Every volume's nodes as attach.list (served by whichever replica answers) reports them. */
async function listed(h: Harness): Promise<Map<string, string[]>> {
  const { attachments } = await h.client.request(endpoints.attachList, {});
  return new Map(attachments.map((a) => [a.volumeId, a.nodes.map((n) => n.nodeId)]));
}

describe('the attachment store has an identity', () => {
  const k8s = withKubernetes();

  it('two replicas: a bucket deleted and re-created by replica 2 never lets replica 1 publish from it, and the re-adopted store equals Kubernetes (finding 1)', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const kubeconfigPath = await k8s.kubeconfig();
    const volumes = Array.from({ length: 60 }, (_, i) => volumeId(1000 + i));
    for (const v of volumes) {
      k8s.kube.addPersistentVolume(v);
      k8s.kube.addVolumeAttachment(`csi-${v}`, { nodeName: 'node-a', persistentVolumeName: v });
    }
    // Replica 1 never checks the identity on a timer: only its own reads and writes can tell it the store changed.
    const first = await h.startReady({ kubernetes: { kubeconfigPath }, storeCheckIntervalMs: 3_600_000 });
    assert.equal((await listed(h)).size, volumes.length, 'adopted at start-up');

    // The store is lost; replica 2 creates a new bucket, and its adoption cannot read Kubernetes for now.
    k8s.kube.failNextLists(1_000_000);
    await (await bucketOf(h)).destroy();
    const second = await h.startReconciler({ kubernetes: { kubeconfigPath } }, 'reconciler-2');
    await waitFor(() => bucketOf(h).then(() => true), { message: 'replica 2 created a new bucket' });

    const publishes = await Promise.all(volumes.map((v) => outcome(() => h.publish(v, 'node-b'))));
    assert.deepEqual(
      tally(publishes),
      { UNAVAILABLE: volumes.length },
      'no volume published to a second node',
    );
    assert.equal(
      await outcome(() => h.client.request(endpoints.attachGet, { volumeId: volumes[0] as string })),
      'UNAVAILABLE',
    );
    assert.equal(await outcome(() => h.client.request(endpoints.attachList, {})), 'UNAVAILABLE');
    assert.equal(first.reconciler.readiness().ready, false, 'replica 1 says it is not ready');
    assert.equal(second.reconciler.readiness().ready, false);

    k8s.kube.failNextLists(0);
    await waitFor(() => first.reconciler.readiness().ready && second.reconciler.readiness().ready, {
      message: 'both replicas serve the re-adopted store',
    });
    for (let i = 0; i < 4; i++) {
      const store = await listed(h);
      assert.deepEqual(
        volumes.filter((v) => JSON.stringify(store.get(v)) !== '["node-a"]'),
        [],
        'every volume is attached where Kubernetes says, and only there',
      );
      assert.equal(store.size, volumes.length, 'nothing else is recorded');
    }
    const again = await Promise.all(volumes.map((v) => outcome(() => h.publish(v, 'node-b'))));
    assert.deepEqual(
      tally(again),
      { FAILED_PRECONDITION: volumes.length },
      'fenced by the re-adopted records',
    );
    assert.ok((await metricValue(first.bus, 'rdscsi_reconciler_store_losses_total')) >= 1);
  });

  it('one replica: a lost store answers UNAVAILABLE with /readyz false, then recovers without a restart (finding 1)', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const kubeconfigPath = await k8s.kubeconfig();
    const [attached, other] = [volumeId(2001), volumeId(2002)];
    k8s.kube.addPersistentVolume(attached);
    const { reconciler, bus } = await h.startReady({
      kubernetes: { kubeconfigPath },
      storeCheckIntervalMs: 100,
      metricsPort: 0,
    });
    await h.publish(attached, 'node-a');
    k8s.kube.addVolumeAttachment(`csi-${attached}`, { nodeName: 'node-a', persistentVolumeName: attached });
    const readyz = async () => (await fetch(`http://127.0.0.1:${reconciler.healthPort}/readyz`)).status;
    assert.equal(await readyz(), 200);

    k8s.kube.failNextLists(1_000_000);
    await (await bucketOf(h)).destroy();
    await waitFor(async () => (await readyz()) === 503, { message: '/readyz false once the store is lost' });
    assert.match(reconciler.readiness().reason ?? '', /store/);
    assert.equal(await outcome(() => h.publish(other, 'node-b')), 'UNAVAILABLE');
    assert.equal(await outcome(() => h.unpublish(attached, 'node-a')), 'UNAVAILABLE');

    k8s.kube.failNextLists(0);
    await waitFor(async () => (await readyz()) === 200, { message: '/readyz true again after re-adoption' });
    assert.deepEqual((await listed(h)).get(attached), ['node-a'], 're-adopted from its VolumeAttachment');
    assert.equal(await outcome(() => h.publish(attached, 'node-b')), 'FAILED_PRECONDITION');
    assert.equal(await outcome(() => h.publish(other, 'node-b')), 'OK');
    assert.equal(await metricValue(bus, 'rdscsi_reconciler_store_served'), 1);
  });

  it("an adopted two-node RWX pair gets its record's migration timeout and is reported overdue when its deadline passes, without a pass (finding 8)", async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const kubeconfigPath = await k8s.kubeconfig();
    const pair = volumeId(3001);
    k8s.kube.addPersistentVolume(pair, { accessModes: ['ReadWriteMany'], volumeMode: 'Block' });
    k8s.kube.addVolumeAttachment(`csi-${pair}-a`, { nodeName: 'node-a', persistentVolumeName: pair });
    k8s.kube.addVolumeAttachment(`csi-${pair}-b`, { nodeName: 'node-b', persistentVolumeName: pair });
    // A record from before stores had identities (an upgrade): one node, a short migration timeout.
    const legacy: Attachment & { v: 1 } = {
      v: 1,
      volumeId: pair,
      access: 'multi-node',
      volumeMode: 'block',
      nodes: [{ nodeId: 'node-a', readonly: false, attachedAt: new Date().toISOString() }],
      migrationTimeoutSeconds: 1,
    };
    await (await h.startReady()).stop();
    const kv = await bucketOf(h);
    await kv.purge(IDENTITY_KEY);
    await kv.put(pair, encodeMessage(legacy));

    const { bus } = await h.startReady({ kubernetes: { kubeconfigPath }, periodMs: 3_600_000 });
    const record = await h.client.request(endpoints.attachGet, { volumeId: pair });
    assert.deepEqual(
      record.nodes.map((n) => n.nodeId),
      ['node-a', 'node-b'],
    );
    assert.equal(record.migrationTimeoutSeconds, 1, "the record's timeout");
    assert.ok(record.migrationDeadline, 'the adopted pair has a migration deadline');
    const passesBefore = await metricValue(bus, 'rdscsi_reconciler_passes_total');
    await waitFor(async () => (await metricValue(bus, 'rdscsi_reconciler_migrations_overdue')) === 1, {
      message: 'overdue gauge set when the deadline passed',
    });
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_passes_total'),
      passesBefore,
      'no pass ran meanwhile',
    );
    const report = await h.client.request(endpoints.reconcileTrigger, {});
    assert.ok(report.skipped.some((s) => s.volumeId === pair && /overdue/.test(s.why)));
    await h.unpublish(pair, 'node-b');
    await waitFor(async () => (await metricValue(bus, 'rdscsi_reconciler_migrations_overdue')) === 0, {
      message: 'a pair back to one node is no longer overdue',
    });
  });
});
