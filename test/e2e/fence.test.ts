/**
 * The fence's edge cases through the CSI socket and every real service: publishes to nodes that do not exist, and
 * the still-published check of DeleteVolume while the attachment store is not served.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kvm } from '@nats-io/kv';
import { endpoints } from '@rds-csi/contracts';
import type { CsiClient } from '@rds-csi/csi-spec';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { GRPC, GiB, createVolume, grpcCode, publish, unpublish } from '../src/volumes.js';

describe('the fence at its edges', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start({ nodes: ['node-a', 'node-b'] });
    csi = await stack.startAll();
  });
  after(() => stack?.dispose());

  it('answers NOT_FOUND to a publish to a node that does not exist, and records nothing (finding 4)', async () => {
    const volume = await createVolume(csi, GiB);
    assert.equal(await grpcCode(publish(csi, volume, 'node-ghost')), GRPC.NOT_FOUND);
    const lookup = await rejectionOf(() =>
      stack.client.request(endpoints.attachGet, { volumeId: volume.volume_id }),
    );
    assert.equal(lookup.code, 'NOT_FOUND', 'no record fences the volume');
    const got = await csi.controller.ControllerGetVolume({ volume_id: volume.volume_id });
    assert.deepEqual(got.status?.published_node_ids ?? [], [], 'CSI reports no published node either');
    assert.equal(await grpcCode(publish(csi, volume, 'node-a')), undefined, 'the real node gets it at once');
    const record = await stack.client.request(endpoints.attachGet, { volumeId: volume.volume_id });
    assert.equal(
      record.nodes[0]?.nodeUid,
      stack.kube.getNode('node-a')?.metadata.uid,
      'the node uid is recorded',
    );
    await unpublish(csi, volume, 'node-a');
    await csi.controller.DeleteVolume({ volume_id: volume.volume_id });
  });

  it('refuses DeleteVolume while the store is not served, after the store was lost (finding 5)', async () => {
    const volume = await createVolume(csi, GiB);
    await publish(csi, volume, 'node-b');
    stack.kube.addPersistentVolume(volume.volume_id);
    stack.kube.addVolumeAttachment(`csi-${volume.volume_id}`, {
      nodeName: 'node-b',
      persistentVolumeName: volume.volume_id,
    });

    // The store is lost while the reconciler is down, and it comes back without a node list to finish start-up.
    await stack.stopReconciler();
    await stack.nodeWatcher?.stop();
    await (await new Kvm(stack.client.nc).open(stack.client.names.attachmentsBucket)).destroy();
    await stack.startReconciler();
    try {
      assert.equal(
        await grpcCode(csi.controller.DeleteVolume({ volume_id: volume.volume_id })),
        GRPC.UNAVAILABLE,
        'an unadopted store cannot say the volume is unpublished',
      );
    } finally {
      await stack.startNodeWatcher();
    }
    await stack.reconciler?.service.whenReady();
    assert.equal(
      await grpcCode(csi.controller.DeleteVolume({ volume_id: volume.volume_id })),
      GRPC.FAILED_PRECONDITION,
      'adopted from the VolumeAttachment: still published',
    );
    assert.equal(
      await grpcCode(publish(csi, volume, 'node-a')),
      GRPC.FAILED_PRECONDITION,
      'RWO fence intact',
    );
    await waitFor(async () => (await grpcCode(unpublish(csi, volume, 'node-b'))) === undefined);
    await csi.controller.DeleteVolume({ volume_id: volume.volume_id });
  });
});
