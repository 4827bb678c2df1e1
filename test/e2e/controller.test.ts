/**
 * The controller side through the real chain: CSI socket -> csi-gateway -> NATS -> rds-connector -> SSH -> RouterOS
 * simulator. What the sidecars do to a volume in its life, and what they see while the RDS is down.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import type { CsiClient } from '@rds-csi/csi-spec';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { GRPC, GiB, MiB, createVolume, fsCapability, grpcCode } from '../src/volumes.js';

/** The first bytes of a (large, sparse) backing file. */
async function head(path: string, bytes = 7): Promise<string> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

describe('controller through the real rds-connector and SSH simulator', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start();
    csi = await stack.startAll();
  });
  after(() => stack?.dispose());

  it('creates, snapshots, restores, clones, expands and deletes', async () => {
    const volume = await createVolume(csi, GiB + 1);
    assert.equal(Number(volume.capacity_bytes), GiB + MiB, 'rounded up to a whole MiB');
    assert.equal(volume.volume_context.nqn, `nqn.2000-02.com.mikrotik:${volume.volume_id}`);
    assert.equal(volume.volume_context.volumePath, `/storage-pool/metal-csi/${volume.volume_id}.img`);
    await writeFile(stack.sim.backingFileOf(volume.volume_id), 'payload');

    const snapName = `snapshot-${randomUUID()}`;
    const { snapshot } = await csi.controller.CreateSnapshot({
      name: snapName,
      source_volume_id: volume.volume_id,
    });
    assert.ok(snapshot?.snapshot_id.startsWith('snap-'));
    assert.equal(snapshot?.source_volume_id, volume.volume_id);
    const again = await csi.controller.CreateSnapshot({ name: snapName, source_volume_id: volume.volume_id });
    assert.equal(again.snapshot?.snapshot_id, snapshot?.snapshot_id, 'idempotent by name');

    const listed = await csi.controller.ListSnapshots({ source_volume_id: volume.volume_id });
    assert.deepEqual(
      listed.entries.map((e) => e.snapshot?.snapshot_id),
      [snapshot?.snapshot_id],
    );

    const { volume: restored } = await csi.controller.CreateVolume({
      name: `pvc-${randomUUID()}`,
      capacity_range: { required_bytes: 2 * GiB },
      volume_capabilities: [fsCapability()],
      volume_content_source: { snapshot: { snapshot_id: snapshot?.snapshot_id ?? '' } },
    });
    assert.equal(Number(restored?.capacity_bytes), 2 * GiB);
    assert.equal(await head(stack.sim.backingFileOf(restored?.volume_id ?? '')), 'payload');

    const { volume: clone } = await csi.controller.CreateVolume({
      name: `pvc-${randomUUID()}`,
      capacity_range: { required_bytes: 2 * GiB },
      volume_capabilities: [fsCapability()],
      volume_content_source: { volume: { volume_id: volume.volume_id } },
    });
    assert.equal(await head(stack.sim.backingFileOf(clone?.volume_id ?? '')), 'payload');

    const expanded = await csi.controller.ControllerExpandVolume({
      volume_id: volume.volume_id,
      capacity_range: { required_bytes: 3 * GiB },
      volume_capability: fsCapability(),
    });
    assert.equal(Number(expanded.capacity_bytes), 3 * GiB);
    assert.equal(expanded.node_expansion_required, true);
    assert.equal(stack.sim.disks().find((d) => d.slot === volume.volume_id)?.sizeBytes, 3 * GiB);

    const capacity = await csi.controller.GetCapacity({ volume_capabilities: [fsCapability()] });
    assert.equal(Number(capacity.available_capacity), stack.sim.capacity().freeBytes);

    for (const id of [restored?.volume_id, clone?.volume_id, volume.volume_id]) {
      await csi.controller.DeleteVolume({ volume_id: id ?? '' });
      await csi.controller.DeleteVolume({ volume_id: id ?? '' });
    }
    await csi.controller.DeleteSnapshot({ snapshot_id: snapshot?.snapshot_id ?? '' });
    assert.deepEqual(
      stack.sim.disks().map((d) => d.slot),
      [],
    );
  });

  it('pages through ListVolumes', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createVolume(csi, MiB)).volume_id);
    const seen: string[] = [];
    let token = '';
    do {
      const page = await csi.controller.ListVolumes({ max_entries: 2, starting_token: token });
      assert.ok(page.entries.length <= 2);
      seen.push(...page.entries.map((e) => e.volume?.volume_id ?? ''));
      token = page.next_token;
    } while (token);
    assert.deepEqual(new Set(seen), ids);
    assert.equal(await grpcCode(csi.controller.ListVolumes({ starting_token: 'garbage' })), GRPC.ABORTED);
  });

  it('refuses malformed StorageClass parameters before anything reaches the RDS', async () => {
    const before = stack.sim.commandLog.length;
    const cases: Record<string, string>[] = [
      { volumePath: '/etc' },
      { volumePath: '/storage-pool/metal-csi/../../x' },
      { nvmePort: 'not-a-port' },
      { ctrlLossTmo: '1; reboot' },
      { migrationTimeoutSeconds: 'soon' },
      { surprise: 'x' },
    ];
    for (const parameters of cases) {
      assert.equal(
        await grpcCode(createVolume(csi, MiB, fsCapability(), parameters)),
        GRPC.INVALID_ARGUMENT,
        JSON.stringify(parameters),
      );
      assert.deepEqual(stack.sim.commandLog.slice(before), [], JSON.stringify(parameters));
    }
  });

  it('reports RESOURCE_EXHAUSTED when the RDS is full', async () => {
    stack.sim.faults.setFreeBytes(MiB);
    try {
      assert.equal(await grpcCode(createVolume(csi, GiB)), 8);
    } finally {
      stack.sim.faults.clear();
    }
  });

  it('tells the truth while the RDS is down: Probe not ready, RPCs UNAVAILABLE at once; ready again after', async () => {
    stack.sim.faults.refuseConnections();
    await stack.sim.faults.dropConnections();
    await waitFor(async () => (await csi.identity.Probe({})).ready?.value === false, {
      message: 'Probe not ready',
    });
    const failure = (await rejectionOf(() => createVolume(csi, MiB))) as { code?: number; details?: string };
    assert.equal(failure.code, GRPC.UNAVAILABLE);
    // Refused by the connection state, not by a timeout: the call never waited for the reconnect.
    assert.match(failure.details ?? '', /not connected/);
    await stack.sim.start();
    await waitFor(async () => (await csi.identity.Probe({})).ready?.value === true, {
      message: 'Probe ready again',
    });
    assert.ok((await createVolume(csi, MiB)).volume_id);
  });
});
