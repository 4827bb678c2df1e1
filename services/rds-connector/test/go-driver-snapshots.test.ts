import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { Kvm } from '@nats-io/kv';
import { endpoints } from '@rds-csi/contracts';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { startFixture, type ConnectorFixture } from './support.js';

const MiB = 1024 ** 2;
const SOURCE_UUID = '0a1b2c3d-0000-4000-8000-00000000000a';
const SOURCE = `pvc-${SOURCE_UUID}`;
/** The Go driver's older format: the source volume's uuid and a decimal unix time (2023-11-14T22:13:20Z). */
const OLDER_ID = `snap-${SOURCE_UUID}-at-1700000000`;
/** The Go driver's legacy format, accepted by its validator: no source, no time. */
const LEGACY_ID = 'snap-7e57da7a-0000-4000-8000-0000000000b0';

/**
 * Snapshots as the Go driver leaves them: a copy of the volume's file under the base path, without NVMe/TCP export,
 * and no lineage record. Made here through the connector, then their lineage records are removed.
 */
describe('rds-connector with snapshots the Go driver made', () => {
  let f: ConnectorFixture;
  before(async () => {
    f = await startFixture();
    await waitFor(() => f.connector.connection.isConnected, { message: 'connector connected' });
    await f.client.request(endpoints.volumeCreate, { id: SOURCE, sizeBytes: 8 * MiB });
    await writeFile(f.sim.backingFileOf(SOURCE), 'written under the Go driver');
    const kv = await new Kvm(f.client.nc).open(f.client.names.snapshotsBucket);
    for (const id of [OLDER_ID, LEGACY_ID]) {
      await f.client.request(endpoints.snapshotCreate, { id, sourceVolumeId: SOURCE });
      await kv.purge(id);
    }
  });
  after(() => f?.dispose());

  it('lists and gets a snapshot of the older ID format from the lineage its ID embeds', async () => {
    const expected = {
      id: OLDER_ID,
      sourceVolumeId: SOURCE,
      sizeBytes: 8 * MiB,
      createdAt: '2023-11-14T22:13:20.000Z',
    };
    const got = await f.client.request(endpoints.snapshotGet, { id: OLDER_ID });
    assert.deepEqual(
      { id: got.id, sourceVolumeId: got.sourceVolumeId, sizeBytes: got.sizeBytes, createdAt: got.createdAt },
      expected,
    );
    const { snapshots } = await f.client.request(endpoints.snapshotList, {});
    assert.deepEqual(
      snapshots.map((s) => s.id),
      [OLDER_ID],
    );
  });

  it('adopts lineage for a snapshot without a record and keeps the records it has', async () => {
    const legacyLineage = { id: LEGACY_ID, sourceVolumeId: SOURCE, createdAt: '2024-01-02T03:04:05.000Z' };
    const reply = await f.client.request(endpoints.snapshotAdopt, {
      snapshots: [legacyLineage, { ...legacyLineage, id: OLDER_ID, createdAt: '2020-01-01T00:00:00.000Z' }],
    });
    assert.equal(reply.adopted, 2, 'neither had a record (the older ID lineage is derived, not stored)');
    const again = await f.client.request(endpoints.snapshotAdopt, {
      snapshots: [{ ...legacyLineage, createdAt: '1999-01-01T00:00:00.000Z' }],
    });
    assert.equal(again.adopted, 0);
    const got = await f.client.request(endpoints.snapshotGet, { id: LEGACY_ID });
    assert.deepEqual([got.sourceVolumeId, got.createdAt], [SOURCE, legacyLineage.createdAt]);
    const { snapshots } = await f.client.request(endpoints.snapshotList, {});
    assert.deepEqual(snapshots.map((s) => s.id).sort(), [LEGACY_ID, OLDER_ID].sort());
    const kv = await new Kvm(f.client.nc).open(f.client.names.snapshotsBucket);
    await kv.purge(LEGACY_ID);
    await kv.purge(OLDER_ID);
  });

  it('restores from a legacy snap-<uuid> and deletes its disk and file', async () => {
    const restored = await f.client.request(endpoints.volumeCreate, {
      id: 'pvc-0a1b2c3d-0000-4000-8000-0000000000c0',
      sizeBytes: 8 * MiB,
      source: { type: 'snapshot', id: LEGACY_ID },
    });
    assert.match(await readFile(f.sim.backingFileOf(restored.id), 'utf8'), /^written under the Go driver/);
    assert.equal((await f.client.request(endpoints.snapshotDelete, { id: LEGACY_ID })).deleted, true);
    assert.equal(f.sim.disks().filter((d) => d.slot === LEGACY_ID).length, 0, 'disk removed');
    assert.equal(f.sim.files().filter((file) => file.name.includes(LEGACY_ID)).length, 0, 'file removed');
  });

  it('refuses a volume ID shaped like a snapshot ID before anything reaches the RDS', async () => {
    const before = f.sim.commandLog.length;
    for (const id of [OLDER_ID, 'snap-x']) {
      const err = await rejectionOf(() => f.client.request(endpoints.volumeCreate, { id, sizeBytes: MiB }));
      assert.equal(err.code, 'INVALID_ARGUMENT', id);
    }
    assert.deepEqual(f.sim.commandLog.slice(before), [], 'no command reached the RDS');
  });
});
