/**
 * ControllerPublishVolume to a node the cluster does not have is NOT_FOUND (CSI spec; csi-test's sanity suite sends a
 * made-up node ID), through the real chain: CSI socket -> csi-gateway -> NATS -> reconciler (fake Kubernetes API
 * with nodes node-a and node-b) and rds-connector -> SSH simulator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CsiClient } from '@rds-csi/csi-spec';
import { E2eStack } from '../src/stack.js';
import { GRPC, GiB, createVolume, grpcCode, publish } from '../src/volumes.js';

describe('publish to a node that does not exist', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start();
    csi = await stack.startAll();
  });
  after(() => stack?.dispose());

  it('is NOT_FOUND and attaches nothing', async () => {
    const volume = await createVolume(csi, GiB);
    assert.equal(await grpcCode(publish(csi, volume, 'no-such-node')), GRPC.NOT_FOUND);
    const got = await csi.controller.ControllerGetVolume({ volume_id: volume.volume_id });
    assert.deepEqual(got.status?.published_node_ids ?? [], []);
    assert.equal(await grpcCode(publish(csi, volume, 'node-a')), undefined, 'a known node still works');
  });
});
