/**
 * Issue 11 item 9: snapshots the Go driver made, seeded on the simulator and in the fake API as it leaves them (a
 * copy of the volume's file, no export, no lineage record; a VolumeSnapshotContent per snapshot), are listed, found
 * and restored without a size once the services start. Through CSI socket -> csi-gateway -> NATS -> rds-connector.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CsiClient } from '@rds-csi/csi-spec';
import { waitFor } from '@rds-csi/testkit';
import { BASE_PATH, E2eStack } from '../src/stack.js';
import { GiB, fsCapability } from '../src/volumes.js';

const VOLUME = `pvc-${randomUUID()}`;
/** The Go driver's ID of a snapshot named `go-backup`: `snap-<uuid v5 of the name>-at-<its first 10 hex digits>`. */
const CURRENT = 'snap-7d3b3e4e-2a4f-5b6c-8d9e-0f1a2b3c4d5e-at-7d3b3e4e2a';
/** The Go driver's legacy format (no source, no time), with a VolumeSnapshotContent. */
const LEGACY = `snap-${randomUUID()}`;
/** A legacy snapshot whose VolumeSnapshotContent is gone: nothing tells its source. */
const ORPHAN = `snap-${randomUUID()}`;
/** Made by another driver: its content must be ignored. */
const FOREIGN = `snap-${randomUUID()}`;
const CUT_AT = new Date('2024-05-06T07:08:09.123Z');
const SIZE = 2 * GiB;

/** What the Go driver ran on the RDS: a volume, then file copies of it without an NVMe/TCP export. */
async function seedRds(stack: E2eStack): Promise<void> {
  await stack.sim.runAsOperator(
    `/disk add type=file file-path=${BASE_PATH}/${VOLUME}.img file-size=2G slot=${VOLUME} nvme-tcp-export=yes ` +
      `nvme-tcp-server-port=4420 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:${VOLUME}`,
  );
  for (const slot of [CURRENT, LEGACY, ORPHAN, FOREIGN]) {
    await stack.sim.runAsOperator(
      `/disk add type=file file-path=${BASE_PATH}/${slot}.img copy-from=[find slot=${VOLUME}] slot=${slot}`,
    );
  }
}

/** What the external-snapshotter left in the cluster for those snapshots. */
function seedKube(stack: E2eStack): void {
  const content = (snapshotHandle: string, extra: { driver?: string; volumeHandle?: string } = {}) =>
    stack.kube.addVolumeSnapshotContent(`snapcontent-${randomUUID()}`, {
      snapshotHandle,
      volumeHandle: VOLUME,
      createdAt: CUT_AT,
      restoreSizeBytes: SIZE,
      ...extra,
    });
  content(CURRENT);
  content(LEGACY);
  content(FOREIGN, { driver: 'other.csi.example.com' });
  // Pre-provisioned: names the snapshot, no source volume.
  stack.kube.addVolumeSnapshotContent(`snapcontent-${randomUUID()}`, { snapshotHandle: ORPHAN });
}

describe("the Go driver's snapshots, adopted from the cluster's VolumeSnapshotContents", () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start();
    seedKube(stack);
    await seedRds(stack);
    csi = await stack.startAll();
  });
  after(() => stack?.dispose());

  const listedIds = async (filter: { snapshot_id?: string; source_volume_id?: string } = {}) =>
    (await csi.controller.ListSnapshots(filter)).entries.map((e) => e.snapshot?.snapshot_id).sort();

  it('ListSnapshots lists them with the source and creation time their contents record', async () => {
    await waitFor(async () => (await listedIds()).length === 2, { message: 'lineage adopted' });
    assert.deepEqual(await listedIds(), [CURRENT, LEGACY].sort());
    const { entries } = await csi.controller.ListSnapshots({ source_volume_id: VOLUME });
    for (const { snapshot } of entries) {
      assert.equal(snapshot?.source_volume_id, VOLUME);
      assert.equal(snapshot?.size_bytes, String(SIZE));
      assert.equal(snapshot?.ready_to_use, true);
      assert.deepEqual(
        { seconds: snapshot?.creation_time?.seconds, nanos: snapshot?.creation_time?.nanos },
        { seconds: String(Math.floor(CUT_AT.getTime() / 1000)), nanos: 123_000_000 },
      );
    }
  });

  it('ListSnapshots by ID and GetSnapshot find them; the orphan and the foreign one stay unknown', async () => {
    for (const id of [CURRENT, LEGACY]) {
      assert.deepEqual(await listedIds({ snapshot_id: id }), [id]);
      assert.equal(
        (await csi.controller.GetSnapshot({ snapshot_id: id })).snapshot?.source_volume_id,
        VOLUME,
      );
    }
    assert.deepEqual(await listedIds({ snapshot_id: ORPHAN }), []);
    assert.deepEqual(await listedIds({ snapshot_id: FOREIGN }), []);
  });

  it('a restore with no size takes the snapshot size, with or without lineage (legacy snap-<uuid>)', async () => {
    for (const snapshot_id of [CURRENT, ORPHAN]) {
      const { volume } = await csi.controller.CreateVolume({
        name: `pvc-${randomUUID()}`,
        volume_capabilities: [fsCapability()],
        volume_content_source: { snapshot: { snapshot_id } },
      });
      assert.equal(volume?.capacity_bytes, String(SIZE), snapshot_id);
      assert.equal(volume?.content_source?.snapshot?.snapshot_id, snapshot_id);
    }
  });
});
