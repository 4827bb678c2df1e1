/**
 * Two reconciler replicas and a lost attachment store (issue 8 finding 1), through the CSI socket and every real
 * service: the bucket is deleted while replica 1 serves, replica 2 creates a new one, and RWO volumes that
 * Kubernetes records as attached are published to a second node before the new store is adopted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { connectTestBus } from '@rds-csi/bus/testing';
import { endpoints } from '@rds-csi/contracts';
import type { CsiClient } from '@rds-csi/csi-spec';
import { startReconciler, type Reconciler } from '@rds-csi/reconciler';
import { waitFor } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { GRPC, GiB, createVolume, grpcCode, publish } from '../src/volumes.js';

const VOLUMES = 24;

describe('two reconciler replicas and a lost attachment store', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  const replicas: { reconciler: Reconciler; close(): Promise<void> }[] = [];
  before(async () => {
    stack = await E2eStack.start({ nodes: ['node-a', 'node-b'] });
    csi = await stack.startAll();
  });
  after(async () => {
    for (const replica of replicas) await replica.close();
    await stack?.dispose();
  });

  async function startReplica(name: string, storeCheckIntervalMs: number): Promise<Reconciler> {
    const bus = await connectTestBus(stack.nats.url, name);
    const reconciler = await startReconciler(
      {
        retryMinMs: 100,
        retryMaxMs: 1_000,
        nodeSnapshotTimeoutMs: 2_000,
        storeCheckIntervalMs,
        kubernetes: {
          kubeconfigPath: await stack.kube.writeKubeconfig(join(stack.dir, `${name}.kubeconfig`)),
        },
      },
      { bus },
    );
    replicas.push({
      reconciler,
      close: async () => {
        await reconciler.stop();
        await bus.close();
      },
    });
    return reconciler;
  }

  it('publishes none of the attached RWO volumes to a second node, and the re-adopted store equals Kubernetes (finding 1)', async () => {
    const volumes = [];
    for (let i = 0; i < VOLUMES; i++) {
      const volume = await createVolume(csi, GiB);
      assert.equal(await grpcCode(publish(csi, volume, 'node-a')), undefined);
      stack.kube.addPersistentVolume(volume.volume_id);
      stack.kube.addVolumeAttachment(`csi-${volume.volume_id}`, {
        nodeName: 'node-a',
        persistentVolumeName: volume.volume_id,
      });
      volumes.push(volume);
    }
    // Replica 1 checks the store identity only after its own reads and writes, never on a timer.
    await stack.stopReconciler();
    const first = await startReplica('reconciler-1', 3_600_000);
    await first.whenReady();

    // The store is lost; replica 2 creates a new bucket while its adoption cannot reach Kubernetes.
    stack.kube.failNextLists(1_000_000);
    const kvm = new Kvm(stack.client.nc);
    await (await kvm.open(stack.client.names.attachmentsBucket)).destroy();
    const second = await startReplica('reconciler-2', 200);
    await waitFor(() => kvm.open(stack.client.names.attachmentsBucket).then(() => true), {
      message: 'replica 2 created a new bucket',
    });
    const codes = await Promise.all(volumes.map((v) => grpcCode(publish(csi, v, 'node-b'))));
    assert.equal(codes.filter((c) => c === undefined).length, 0, 'no volume is published to a second node');
    assert.deepEqual([...new Set(codes)], [GRPC.UNAVAILABLE], 'refused as not served, for the CO to retry');

    stack.kube.failNextLists(0);
    await waitFor(() => first.readiness().ready && second.readiness().ready, {
      message: 'both replicas serve the re-adopted store',
    });
    const { attachments } = await stack.client.request(endpoints.attachList, {});
    assert.deepEqual(
      attachments.map((a) => [a.volumeId, a.nodes.map((n) => n.nodeId)]).sort(),
      volumes.map((v) => [v.volume_id, ['node-a']]).sort(),
      'the store equals the VolumeAttachments',
    );
    const again = await Promise.all(volumes.map((v) => grpcCode(publish(csi, v, 'node-b'))));
    assert.deepEqual([...new Set(again)], [GRPC.FAILED_PRECONDITION], 'fenced by the re-adopted store');
  });
});
