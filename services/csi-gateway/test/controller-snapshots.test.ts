import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { endpoints } from '@rds-csi/contracts';
import { waitFor } from '@rds-csi/testkit';
import { uuidV5 } from '../src/controller/ids.js';
import {
  GiB,
  MiB,
  expectCode,
  mountCapability,
  pvName,
  startHarness,
  type Harness,
} from './support/harness.js';

async function volume(h: Harness, n: number, bytes = GiB): Promise<string> {
  await h.client.controller.CreateVolume({
    name: pvName(n),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: bytes },
  });
  return pvName(n);
}

test('CreateSnapshot: the ID derives from the name as the Go driver did; repeats are idempotent', async (t) => {
  const h = await startHarness(t);
  const source = await volume(h, 1);
  const name = 'snapshot-9f1c0b5e-2c55-4d5b-a8a5-6b2f1e0c9d11';
  const uuid = uuidV5(name);
  const first = await h.client.controller.CreateSnapshot({
    source_volume_id: source,
    name,
    parameters: { 'csi.storage.k8s.io/volumesnapshot/name': 'snap' },
  });
  assert.equal(first.snapshot?.snapshot_id, `snap-${uuid}-at-${uuid.replace(/-/g, '').slice(0, 10)}`);
  assert.equal(first.snapshot?.source_volume_id, source);
  assert.equal(first.snapshot?.size_bytes, String(GiB));
  assert.equal(first.snapshot?.ready_to_use, true);
  assert.ok(Number(first.snapshot?.creation_time?.seconds) > 1_700_000_000);
  for (let i = 0; i < 3; i++)
    assert.deepEqual(await h.client.controller.CreateSnapshot({ source_volume_id: source, name }), first);
  assert.equal(h.connector.snapshots.size, 1, 'repeats answered with the same snapshot');

  const other = await volume(h, 2);
  await expectCode(
    h.client.controller.CreateSnapshot({ source_volume_id: other, name }),
    status.ALREADY_EXISTS,
  );
});

test('CreateSnapshot: required arguments, unknown sources, unknown parameters', async (t) => {
  const h = await startHarness(t);
  await expectCode(h.client.controller.CreateSnapshot({ name: 's' }), status.INVALID_ARGUMENT);
  await expectCode(
    h.client.controller.CreateSnapshot({ source_volume_id: pvName(1) }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.CreateSnapshot({
      source_volume_id: pvName(1),
      name: 's',
      parameters: { retain: 'yes' },
    }),
    status.INVALID_ARGUMENT,
  );
  assert.deepEqual(h.connector.rdsRequests(), []);
  await expectCode(
    h.client.controller.CreateSnapshot({ source_volume_id: 'Not A Volume', name: 's' }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.CreateSnapshot({ source_volume_id: pvName(1), name: 's' }),
    status.NOT_FOUND,
  );
});

test('snapshot lineage: listing by source and by ID, and it outlives the source volume', async (t) => {
  const h = await startHarness(t);
  const a = await volume(h, 1);
  const b = await volume(h, 2);
  const snaps = [];
  for (const [source, name] of [
    [a, 'a-1'],
    [a, 'a-2'],
    [b, 'b-1'],
  ] as const) {
    snaps.push((await h.client.controller.CreateSnapshot({ source_volume_id: source, name })).snapshot!);
  }
  const bySource = await h.client.controller.ListSnapshots({ source_volume_id: a });
  assert.deepEqual(
    bySource.entries.map((e) => e.snapshot?.snapshot_id).sort(),
    [snaps[0]!.snapshot_id, snaps[1]!.snapshot_id].sort(),
  );
  const byId = await h.client.controller.ListSnapshots({ snapshot_id: snaps[2]!.snapshot_id });
  assert.deepEqual(
    byId.entries.map((e) => e.snapshot),
    [snaps[2]],
  );
  assert.deepEqual(
    (await h.client.controller.ListSnapshots({ snapshot_id: snaps[2]!.snapshot_id, source_volume_id: a }))
      .entries,
    [],
  );
  assert.deepEqual((await h.client.controller.ListSnapshots({ snapshot_id: 'snap-nope' })).entries, []);
  assert.deepEqual((await h.client.controller.ListSnapshots({ source_volume_id: pvName(9) })).entries, []);

  await h.client.controller.DeleteVolume({ volume_id: a });
  const after = await h.client.controller.GetSnapshot({ snapshot_id: snaps[0]!.snapshot_id });
  assert.deepEqual(after.snapshot, snaps[0], 'source and creation time are kept after the source is gone');
});

test('ListSnapshots pages with real tokens and rejects a bad token with ABORTED', async (t) => {
  const h = await startHarness(t);
  const source = await volume(h, 1);
  for (let i = 0; i < 5; i++)
    await h.client.controller.CreateSnapshot({ source_volume_id: source, name: `s-${i}` });
  const seen: string[] = [];
  let token = '';
  do {
    const page = await h.client.controller.ListSnapshots({ max_entries: 2, starting_token: token });
    assert.ok(page.entries.length <= 2);
    seen.push(...page.entries.map((e) => e.snapshot!.snapshot_id));
    token = page.next_token;
  } while (token);
  assert.equal(seen.length, 5);
  assert.deepEqual(seen, [...seen].sort());
  await expectCode(h.client.controller.ListSnapshots({ starting_token: 'invalid-token' }), status.ABORTED);
  await expectCode(h.client.controller.ListSnapshots({ max_entries: -3 }), status.INVALID_ARGUMENT);
});

test('GetSnapshot and DeleteSnapshot: required IDs, NOT_FOUND for get, idempotent delete', async (t) => {
  const h = await startHarness(t);
  const source = await volume(h, 1);
  const { snapshot } = await h.client.controller.CreateSnapshot({ source_volume_id: source, name: 'x' });
  await expectCode(h.client.controller.GetSnapshot({}), status.INVALID_ARGUMENT);
  await expectCode(h.client.controller.DeleteSnapshot({}), status.INVALID_ARGUMENT);
  for (let i = 0; i < 3; i++)
    assert.deepEqual(await h.client.controller.DeleteSnapshot({ snapshot_id: snapshot!.snapshot_id }), {});
  assert.deepEqual(await h.client.controller.DeleteSnapshot({ snapshot_id: 'whatever' }), {});
  await expectCode(h.client.controller.GetSnapshot({ snapshot_id: snapshot!.snapshot_id }), status.NOT_FOUND);
  await expectCode(h.client.controller.GetSnapshot({ snapshot_id: 'whatever' }), status.NOT_FOUND);
});

test('restore from a snapshot: at least the snapshot size, larger on request, OUT_OF_RANGE under a smaller limit', async (t) => {
  const h = await startHarness(t);
  const source = await volume(h, 1, 2 * GiB);
  const { snapshot } = await h.client.controller.CreateSnapshot({ source_volume_id: source, name: 'backup' });
  const content = { snapshot: { snapshot_id: snapshot!.snapshot_id } };
  const restored = await h.client.controller.CreateVolume({
    name: pvName(2),
    volume_capabilities: [mountCapability()],
    volume_content_source: content,
  });
  assert.equal(restored.volume?.capacity_bytes, String(2 * GiB));
  assert.deepEqual(restored.volume?.content_source, {
    snapshot: { snapshot_id: snapshot!.snapshot_id },
    type: 'snapshot',
  });
  assert.deepEqual(
    h.connector
      .rdsRequests()
      .find((r) => r.endpoint === endpoints.volumeCreate.name && (r.body as { id: string }).id === pvName(2))
      ?.body,
    { id: pvName(2), source: { type: 'snapshot', id: snapshot!.snapshot_id } },
    'no size: the connector takes the snapshot size',
  );
  const bigger = await h.client.controller.CreateVolume({
    name: pvName(3),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: 3 * GiB + 1 },
    volume_content_source: content,
  });
  assert.equal(bigger.volume?.capacity_bytes, String(3 * GiB + MiB));
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(4),
      volume_capabilities: [mountCapability()],
      capacity_range: { limit_bytes: GiB },
      volume_content_source: content,
    }),
    status.OUT_OF_RANGE,
  );
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(5),
      volume_capabilities: [mountCapability()],
      volume_content_source: { snapshot: { snapshot_id: 'missing' } },
    }),
    status.NOT_FOUND,
  );
  const missingButWellFormed = `snap-${uuidV5('gone')}-at-${uuidV5('gone').replace(/-/g, '').slice(0, 10)}`;
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(5),
      volume_capabilities: [mountCapability()],
      volume_content_source: { snapshot: { snapshot_id: missingButWellFormed } },
    }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(5),
      volume_capabilities: [mountCapability()],
      volume_content_source: { snapshot: {} },
    }),
    status.INVALID_ARGUMENT,
  );
});

test('clone a volume: the source size at least; unknown sources are NOT_FOUND', async (t) => {
  const h = await startHarness(t);
  const source = await volume(h, 1, 3 * GiB);
  const clone = await h.client.controller.CreateVolume({
    name: pvName(2),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: GiB },
    volume_content_source: { volume: { volume_id: source } },
  });
  assert.equal(clone.volume?.capacity_bytes, String(3 * GiB));
  assert.deepEqual(clone.volume?.content_source, { volume: { volume_id: source }, type: 'volume' });
  // A repeat finds the clone even after its source is gone.
  await h.client.controller.DeleteVolume({ volume_id: source });
  const again = await h.client.controller.CreateVolume({
    name: pvName(2),
    volume_capabilities: [mountCapability()],
    capacity_range: { required_bytes: GiB },
    volume_content_source: { volume: { volume_id: source } },
  });
  assert.equal(again.volume?.volume_id, pvName(2));
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(3),
      volume_capabilities: [mountCapability()],
      volume_content_source: { volume: { volume_id: source } },
    }),
    status.NOT_FOUND,
  );
});

test('a second operation on a snapshot in flight is ABORTED', async (t) => {
  const h = await startHarness(t);
  const source = await volume(h, 1);
  const release = h.connector.hold(endpoints.snapshotCreate);
  const first = h.client.controller.CreateSnapshot({ source_volume_id: source, name: 'busy' });
  await waitFor(() => h.connector.received.some((r) => r.endpoint === endpoints.snapshotCreate.name));
  await expectCode(
    h.client.controller.CreateSnapshot({ source_volume_id: source, name: 'busy' }),
    status.ABORTED,
  );
  release();
  assert.equal((await first).snapshot?.source_volume_id, source);
});
