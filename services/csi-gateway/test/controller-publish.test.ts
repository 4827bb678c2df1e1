import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import {
  GiB,
  blockCapability,
  expectCode,
  mountCapability,
  pvName,
  startHarness,
} from './support/harness.js';

test('without a reconciler, publish and unpublish are UNAVAILABLE rather than pretended', async (t) => {
  const h = await startHarness(t, { reconciler: false });
  await h.client.controller.CreateVolume({ name: pvName(1), volume_capabilities: [mountCapability()] });
  await expectCode(
    h.client.controller.ControllerPublishVolume({
      volume_id: pvName(1),
      node_id: 'node-a',
      volume_capability: mountCapability(),
    }),
    status.UNAVAILABLE,
  );
  await expectCode(
    h.client.controller.ControllerUnpublishVolume({ volume_id: pvName(1), node_id: 'node-a' }),
    status.UNAVAILABLE,
  );
  await expectCode(h.client.controller.ListVolumes({}), status.UNAVAILABLE);
});

test('ControllerPublishVolume forwards the decision and returns the NVMe/TCP publish context', async (t) => {
  const h = await startHarness(t, { reconciler: true, gateway: { controller: { rdsAddress: '10.0.0.5' } } });
  const created = await h.client.controller.CreateVolume({
    name: pvName(1),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: GiB },
    parameters: { nvmeAddress: '10.9.9.9', nvmePort: '4430' },
  });
  const context = created.volume!.volume_context;
  const request = {
    volume_id: pvName(1),
    node_id: 'worker-1.example',
    volume_capability: mountCapability('SINGLE_NODE_WRITER', 'xfs'),
    volume_context: context,
  };
  const published = await h.client.controller.ControllerPublishVolume(request);
  assert.deepEqual(published.publish_context, {
    nvme_address: '10.9.9.9',
    nvme_port: '4430',
    nvme_nqn: `nqn.2000-02.com.mikrotik:${pvName(1)}`,
    fs_type: 'xfs',
  });
  for (let i = 0; i < 3; i++)
    assert.deepEqual(await h.client.controller.ControllerPublishVolume(request), published);
  assert.deepEqual(h.reconciler!.published[0], {
    volumeId: pvName(1),
    nodeId: 'worker-1.example',
    readonly: false,
    access: 'single-node',
    volumeMode: 'filesystem',
  });

  // RWO fencing is the reconciler's answer, passed through with its code.
  const err = await expectCode(
    h.client.controller.ControllerPublishVolume({ ...request, node_id: 'worker-2' }),
    status.FAILED_PRECONDITION,
  );
  assert.match(err.details, /worker-1\.example/);
  // The same node with other access is ALREADY_EXISTS, as the CSI spec says (the fake decides with the real rules).
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...request, readonly: true }),
    status.ALREADY_EXISTS,
  );

  for (let i = 0; i < 3; i++)
    assert.deepEqual(
      await h.client.controller.ControllerUnpublishVolume({
        volume_id: pvName(1),
        node_id: 'worker-1.example',
      }),
      {},
    );
  assert.equal(h.reconciler!.attachments.size, 0);
  assert.ok(await h.client.controller.ControllerPublishVolume({ ...request, node_id: 'worker-2' }));
});

test('block multi-writer publishes as multi-node with the migration timeout of the volume context', async (t) => {
  const h = await startHarness(t, { reconciler: true, gateway: { controller: { rdsAddress: '10.0.0.5' } } });
  const created = await h.client.controller.CreateVolume({
    name: pvName(2),
    volume_capabilities: [blockCapability('MULTI_NODE_MULTI_WRITER')],
    parameters: { migrationTimeoutSeconds: '99999' },
  });
  const context = created.volume!.volume_context;
  assert.equal(context.migrationTimeoutSeconds, '3600', 'clamped to 30..3600');
  const request = {
    volume_id: pvName(2),
    volume_capability: blockCapability('MULTI_NODE_MULTI_WRITER'),
    volume_context: context,
  };
  const published = await h.client.controller.ControllerPublishVolume({ ...request, node_id: 'node-a' });
  assert.deepEqual(published.publish_context, {
    nvme_address: '10.0.0.5',
    nvme_port: '4420',
    nvme_nqn: `nqn.2000-02.com.mikrotik:${pvName(2)}`,
  });
  await h.client.controller.ControllerPublishVolume({ ...request, node_id: 'node-b' });
  assert.deepEqual(h.reconciler!.published.at(-1), {
    volumeId: pvName(2),
    nodeId: 'node-b',
    readonly: false,
    access: 'multi-node',
    volumeMode: 'block',
    migrationTimeoutSeconds: 3600,
  });
  // Unpublishing without a node clears every node.
  await h.client.controller.ControllerUnpublishVolume({ volume_id: pvName(2) });
  assert.equal(h.reconciler!.attachments.size, 0);
});

test('a volume context without a migration timeout sends none: the reconciler applies its fallbacks', async (t) => {
  const h = await startHarness(t, { reconciler: true });
  await h.client.controller.CreateVolume({
    name: pvName(3),
    volume_capabilities: [blockCapability('MULTI_NODE_MULTI_WRITER')],
  });
  // A volume the Go driver made, or one whose context predates the key: no migrationTimeoutSeconds.
  await h.client.controller.ControllerPublishVolume({
    volume_id: pvName(3),
    volume_capability: blockCapability('MULTI_NODE_MULTI_WRITER'),
    volume_context: {},
    node_id: 'node-a',
  });
  const sent = h.reconciler!.published.at(-1) as Record<string, unknown>;
  assert.equal(sent.access, 'multi-node');
  assert.equal('migrationTimeoutSeconds' in sent, false);
});

test('publish: required arguments, capability matrix, unknown volumes and nodes', async (t) => {
  const h = await startHarness(t, { reconciler: true });
  await h.client.controller.CreateVolume({ name: pvName(1), volume_capabilities: [mountCapability()] });
  const base = { volume_id: pvName(1), node_id: 'node-a', volume_capability: mountCapability() };
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...base, volume_id: '' }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...base, node_id: '' }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...base, volume_capability: null }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerPublishVolume({
      ...base,
      volume_capability: mountCapability('MULTI_NODE_MULTI_WRITER'),
    }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...base, volume_id: pvName(7) }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...base, volume_id: 'Bad Volume' }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.ControllerPublishVolume({ ...base, node_id: 'Bad_Node!' }),
    status.NOT_FOUND,
  );
  assert.equal(h.reconciler!.published.length, 0);

  await expectCode(
    h.client.controller.ControllerUnpublishVolume({ node_id: 'node-a' }),
    status.INVALID_ARGUMENT,
  );
  // Volumes and nodes that cannot exist are unpublished already.
  assert.deepEqual(
    await h.client.controller.ControllerUnpublishVolume({ volume_id: 'Bad Volume', node_id: 'node-a' }),
    {},
  );
  assert.deepEqual(
    await h.client.controller.ControllerUnpublishVolume({ volume_id: pvName(1), node_id: 'Bad_Node!' }),
    {},
  );
  assert.deepEqual(
    await h.client.controller.ControllerUnpublishVolume({ volume_id: pvName(8), node_id: 'node-a' }),
    {},
  );
});

test('publish: the host NQN in the node ID reaches the reconciler; unpublish takes the same node ID', async (t) => {
  const h = await startHarness(t, { reconciler: true });
  await h.client.controller.CreateVolume({ name: pvName(3), volume_capabilities: [mountCapability()] });
  const hostNqn = 'nqn.2014-08.org.nvmexpress:uuid:f0cae56f-857b-44f1-9154-ea8621cd7145';
  const nodeId = `node-a@${hostNqn}`;
  await h.client.controller.ControllerPublishVolume({
    volume_id: pvName(3),
    node_id: nodeId,
    volume_capability: mountCapability(),
  });
  assert.deepEqual(h.reconciler!.published.at(-1), {
    volumeId: pvName(3),
    nodeId: 'node-a',
    hostNqn,
    readonly: false,
    access: 'single-node',
    volumeMode: 'filesystem',
  });
  const got = await h.client.controller.ControllerGetVolume({ volume_id: pvName(3) });
  assert.deepEqual(got.status?.published_node_ids, [nodeId], 'node IDs as NodeGetInfo reported them');
  await expectCode(
    h.client.controller.ControllerPublishVolume({
      volume_id: pvName(3),
      node_id: 'node-a@not-an-nqn',
      volume_capability: mountCapability(),
    }),
    status.NOT_FOUND,
  );
  await h.client.controller.ControllerUnpublishVolume({ volume_id: pvName(3), node_id: nodeId });
  assert.equal(h.reconciler!.attachments.has(pvName(3)), false);
});
