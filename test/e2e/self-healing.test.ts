/**
 * The incident this driver exists for, end to end through every service: stale attachments are cleared without a
 * human after node loss, and never from wrong information (an empty cache, a short NotReady blip).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { endpoints } from '@rds-csi/contracts';
import type { CsiClient } from '@rds-csi/csi-spec';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { GRPC, GiB, blockCapability, createVolume, grpcCode, publish, unpublish } from '../src/volumes.js';

/** Long enough that no step of a test outlasts it on a loaded machine; a longer NotReady is set by its timestamp. */
const GRACE_MS = 120_000;

describe('self-healing attachments across the services', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start({
      nodes: ['node-a', 'node-b', 'node-c', 'node-d'],
      notReadyGraceMs: GRACE_MS,
    });
    csi = await stack.startAll();
  });
  after(() => stack?.dispose());

  const attachedNodes = async (volumeId: string) =>
    (await stack.client.request(endpoints.attachGet, { volumeId }).catch(() => ({ nodes: [] }))).nodes.map(
      (n) => n.nodeId,
    );

  it('fences RWO and lets a volume move once its node is deleted', async () => {
    const volume = await createVolume(csi, GiB);
    await publish(csi, volume, 'node-a');
    assert.equal(await grpcCode(publish(csi, volume, 'node-b')), GRPC.FAILED_PRECONDITION);
    stack.kube.deleteNode('node-a');
    await waitFor(async () => (await grpcCode(publish(csi, volume, 'node-b'))) === undefined, {
      message: 'publish to node-b after node-a deleted',
    });
    assert.deepEqual(await attachedNodes(volume.volume_id), ['node-b']);
    const event = await waitFor(
      () => stack.kube.events().find((e) => JSON.stringify(e).includes(volume.volume_id)),
      {
        message: 'Kubernetes Event on the PV',
      },
    );
    assert.match(JSON.stringify(event), /node-deleted/);
    await unpublish(csi, volume, 'node-b');
    stack.kube.addNode('node-a');
  });

  it('keeps attachments through a NotReady blip shorter than the grace and clears them after a longer one', async () => {
    const volume = await createVolume(csi, GiB);
    await publish(csi, volume, 'node-c');
    const pendingRecheck = () => stack.reconciler?.service.pendingNotReady().includes('node-c') ?? false;
    stack.kube.setReady('node-c', false);
    await waitFor(pendingRecheck, { message: 'NotReady seen: re-check at the end of the grace scheduled' });
    stack.kube.setReady('node-c', true);
    await waitFor(async () => (await stack.client.request(endpoints.nodesGet, { name: 'node-c' })).ready, {
      message: 'Ready seen by the node-watcher',
    });
    assert.ok(pendingRecheck(), 'a Ready event cancels no re-check (it will find the node Ready)');
    assert.deepEqual(await attachedNodes(volume.volume_id), ['node-c'], 'a kubelet restart clears nothing');

    // Time is driven through the node's condition: NotReady since longer ago than the grace.
    stack.kube.setReady('node-c', false, { at: new Date(Date.now() - 2 * GRACE_MS) });
    await waitFor(async () => (await attachedNodes(volume.volume_id)).length === 0, {
      message: 'cleared after the grace',
    });
    assert.equal(await grpcCode(publish(csi, volume, 'node-d')), undefined);
    await unpublish(csi, volume, 'node-d');
    stack.kube.setReady('node-c', true);
  });

  it('clears at once on the out-of-service taint', async () => {
    const volume = await createVolume(csi, GiB, blockCapability());
    await publish(csi, volume, 'node-d', blockCapability());
    stack.kube.addTaint('node-d', {
      key: 'node.kubernetes.io/out-of-service',
      value: 'nodeshutdown',
      effect: 'NoExecute',
    });
    await waitFor(async () => (await attachedNodes(volume.volume_id)).length === 0, {
      message: 'cleared on out-of-service',
    });
    stack.kube.removeTaint('node-d', 'node.kubernetes.io/out-of-service');
  });

  it('clears what changed while the reconciler was down, without losing the events sent meanwhile', async () => {
    const first = await createVolume(csi, GiB);
    const second = await createVolume(csi, GiB);
    await publish(csi, first, 'node-a');
    await publish(csi, second, 'node-b');
    await stack.stopReconciler();
    assert.equal(
      await grpcCode(publish(csi, first, 'node-c')),
      GRPC.UNAVAILABLE,
      'no reconciler: UNAVAILABLE, never a guess',
    );
    stack.kube.deleteNode('node-a');
    stack.kube.addTaint('node-b', {
      key: 'node.kubernetes.io/out-of-service',
      value: 'x',
      effect: 'NoExecute',
    });
    await sleep(500);
    await stack.startReconciler();
    await stack.reconciler?.service.whenReady();
    await waitFor(
      async () =>
        (await attachedNodes(first.volume_id)).length === 0 &&
        (await attachedNodes(second.volume_id)).length === 0,
      {
        message: 'both stale attachments cleared after restart',
      },
    );
    assert.equal(await grpcCode(publish(csi, first, 'node-c')), undefined);
    await unpublish(csi, first, 'node-c');
    stack.kube.addNode('node-a');
    stack.kube.removeTaint('node-b', 'node.kubernetes.io/out-of-service');
  });

  it('never clears from an empty cache when the node-watcher restarts', async () => {
    const volume = await createVolume(csi, GiB);
    await publish(csi, volume, 'node-c');
    await stack.nodeWatcher?.stop();
    try {
      const refused = await rejectionOf(() => stack.client.request(endpoints.reconcileTrigger, {}));
      assert.equal(refused.code, 'UNAVAILABLE', 'no node list: the pass refuses to run');
      assert.deepEqual(await attachedNodes(volume.volume_id), ['node-c']);
    } finally {
      await stack.startNodeWatcher();
    }
    await waitFor(() => stack.nodeWatcher?.isSynced());
    const after = await stack.client.request(endpoints.reconcileTrigger, {});
    assert.equal(after.cleared.length, 0);
    assert.deepEqual(await attachedNodes(volume.volume_id), ['node-c']);
    await unpublish(csi, volume, 'node-c');
  });

  it('keeps working after NATS restarts mid-run', async () => {
    const volume = await createVolume(csi, GiB);
    await publish(csi, volume, 'node-c');
    await stack.nats.restart();
    stack.kube.deleteNode('node-c');
    await waitFor(async () => (await attachedNodes(volume.volume_id)).length === 0, {
      timeoutMs: 40_000,
      message: 'cleared after NATS restart',
    });
    await waitFor(async () => (await grpcCode(publish(csi, volume, 'node-d'))) === undefined, {
      message: 'publish after NATS restart',
    });
  });

  it('answers a manual dry-run trigger with a report and clears nothing', async () => {
    const volume = await createVolume(csi, GiB);
    await publish(csi, volume, 'node-b');
    stack.kube.deleteNode('node-b');
    const report = await stack.client.request(endpoints.reconcileTrigger, { dryRun: true });
    assert.equal(report.dryRun, true);
    assert.equal(report.trigger, 'manual');
    assert.ok(report.checked >= 1);
    await waitFor(async () => (await attachedNodes(volume.volume_id)).length === 0, {
      message: 'real clearance by the event',
    });
  });
});
