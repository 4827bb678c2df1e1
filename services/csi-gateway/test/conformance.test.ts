import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { endpoints } from '@rds-csi/contracts';
import { MAX_DETAILS_CHARS } from '../src/server/bounded.js';
import { GiB, expectCode, mountCapability, pvName, startHarness } from './support/harness.js';

/** Behaviours the CSI spec and csi-test's sanity suite expect, through the real socket. */

test('ControllerExpandVolume: limit_bytes below the current size is OUT_OF_RANGE; nothing is resized', async (t) => {
  const h = await startHarness(t);
  await h.client.controller.CreateVolume({
    name: pvName(1),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: 2 * GiB },
  });
  await expectCode(
    h.client.controller.ControllerExpandVolume({
      volume_id: pvName(1),
      capacity_range: { required_bytes: GiB, limit_bytes: GiB },
    }),
    status.OUT_OF_RANGE,
  );
  assert.equal(h.connector.volumes.get(pvName(1))?.sizeBytes, 2 * GiB);
  assert.equal(h.connector.rdsRequests().filter((r) => r.endpoint === endpoints.volumeResize.name).length, 0);
});

test('ControllerExpandVolume and CreateVolume: required_bytes 2^53-1 is OUT_OF_RANGE, never sent to the RDS', async (t) => {
  const h = await startHarness(t);
  await h.client.controller.CreateVolume({ name: pvName(1), volume_capabilities: [mountCapability()] });
  const huge = { required_bytes: Number.MAX_SAFE_INTEGER };
  const err = await expectCode(
    h.client.controller.ControllerExpandVolume({ volume_id: pvName(1), capacity_range: huge }),
    status.OUT_OF_RANGE,
  );
  assert.match(err.details, /too large/);
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(2),
      volume_capabilities: [mountCapability()],
      capacity_range: huge,
    }),
    status.OUT_OF_RANGE,
  );
  assert.equal(h.connector.rdsRequests().filter((r) => r.endpoint === endpoints.volumeResize.name).length, 0);
  assert.equal(h.connector.volumes.size, 1);
});

test('errors repeating a 100 KB ID are bounded and keep their code', async (t) => {
  const h = await startHarness(t);
  const longId = 'a'.repeat(100_000);
  const err = await expectCode(
    h.client.controller.ControllerExpandVolume({
      volume_id: longId,
      capacity_range: { required_bytes: GiB },
    }),
    status.NOT_FOUND,
  );
  assert.ok(err.details.length < MAX_DETAILS_CHARS + 64, `details of ${err.details.length} characters`);
  await expectCode(h.client.controller.GetSnapshot({ snapshot_id: longId }), status.NOT_FOUND);
  await expectCode(
    h.client.controller.ValidateVolumeCapabilities({
      volume_id: longId,
      volume_capabilities: [mountCapability()],
    }),
    status.NOT_FOUND,
  );
});

test('a volume ID shaped like a snapshot ID names no volume: NOT_FOUND, nothing reaches the connector', async (t) => {
  const h = await startHarness(t);
  const snapshotShaped = 'snap-00000000-0000-4000-8000-000000000001-at-1700000000';
  await expectCode(
    h.client.controller.ControllerExpandVolume({
      volume_id: snapshotShaped,
      capacity_range: { required_bytes: GiB },
    }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.CreateVolume({
      name: 'clone',
      volume_capabilities: [mountCapability()],
      volume_content_source: { volume: { volume_id: snapshotShaped } },
    }),
    status.NOT_FOUND,
  );
  assert.deepEqual(h.connector.rdsRequests(), []);
});

test('legacy snap-<uuid> IDs of the Go driver: restore finds them, DeleteSnapshot removes them', async (t) => {
  const h = await startHarness(t);
  const legacy = 'snap-7e57da7a-0000-4000-8000-0000000000b0';
  await h.client.controller.CreateVolume({
    name: pvName(1),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: 3 * GiB },
  });
  h.connector.snapshots.set(legacy, {
    id: legacy,
    sourceVolumeId: pvName(1),
    sizeBytes: 3 * GiB,
    createdAt: '2024-01-01T00:00:00.000Z',
    filePath: `/storage-pool/rdscsi/${legacy}.img`,
    readyToUse: true,
  });
  const restored = await h.client.controller.CreateVolume({
    name: pvName(2),
    volume_capabilities: [mountCapability()],
    volume_content_source: { snapshot: { snapshot_id: legacy } },
  });
  assert.equal(
    restored.volume?.capacity_bytes,
    String(3 * GiB),
    'a restore with no size takes the snapshot size',
  );
  assert.equal(
    (await h.client.controller.GetSnapshot({ snapshot_id: legacy })).snapshot?.snapshot_id,
    legacy,
  );
  await h.client.controller.DeleteSnapshot({ snapshot_id: legacy });
  assert.equal(h.connector.snapshots.has(legacy), false, 'the delete reached the connector');
});
