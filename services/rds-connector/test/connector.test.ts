import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints, RdsCsiError } from '@rds-csi/contracts';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { startFixture, type ConnectorFixture } from './support.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const id = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const snap = (n: number) =>
  `snap-00000000-0000-5000-8000-${String(n).padStart(12, '0')}-at-${String(n).padStart(10, '0')}`;

describe('rds-connector against the RouterOS simulator', () => {
  let f: ConnectorFixture;
  before(async () => {
    f = await startFixture();
    await waitFor(() => f.connector.connection.isConnected, { message: 'connector connected' });
  });
  after(() => f?.dispose());

  it('creates, reads back, lists, resizes and deletes a volume in 3 round trips for create+delete', async () => {
    const before = f.sim.commandLog.length;
    const created = await f.client.request(endpoints.volumeCreate, { id: id(1), sizeBytes: GiB });
    assert.equal(created.sizeBytes, GiB);
    assert.equal(created.filePath, `/storage-pool/metal-csi/${id(1)}.img`);
    assert.equal(created.nqn, `nqn.2000-02.com.mikrotik:${id(1)}`);
    assert.equal(created.nvmeTcpPort, 4420);
    assert.deepEqual(await f.client.request(endpoints.volumeGet, { id: id(1) }), created);
    const { volumes } = await f.client.request(endpoints.volumeList, {});
    assert.deepEqual(
      volumes.map((v) => v.id),
      [id(1)],
    );
    const deleted = await f.client.request(endpoints.volumeDelete, { id: id(1) });
    assert.equal(deleted.deleted, true);
    assert.equal(f.sim.commandLog.length - before, 1 + 1 + 1 + 2, f.sim.commandLog.slice(before).join('\n'));
    assert.equal(f.sim.disks().length, 0);
    assert.equal(f.sim.files().filter((x) => x.name.includes(id(1))).length, 0, 'backing file removed');
  });

  it('rounds sizes up to a whole MiB and reports the size read back', async () => {
    const v = await f.client.request(endpoints.volumeCreate, { id: id(2), sizeBytes: 10 * MiB + 1 });
    assert.equal(v.sizeBytes, 11 * MiB);
    const grown = await f.client.request(endpoints.volumeResize, { id: id(2), sizeBytes: 20 * MiB });
    assert.equal(grown.sizeBytes, 20 * MiB);
    assert.equal(f.sim.disks().find((d) => d.slot === id(2))?.sizeBytes, 20 * MiB);
    const same = await f.client.request(endpoints.volumeResize, { id: id(2), sizeBytes: 5 * MiB });
    assert.equal(same.sizeBytes, 20 * MiB, 'never shrinks');
  });

  it('is idempotent: same size returns the volume, another size is ALREADY_EXISTS, missing delete succeeds', async () => {
    const a = await f.client.request(endpoints.volumeCreate, { id: id(3), sizeBytes: 64 * MiB });
    const b = await f.client.request(endpoints.volumeCreate, { id: id(3), sizeBytes: 64 * MiB });
    assert.deepEqual(a, b);
    const err = await rejectionOf(() =>
      f.client.request(endpoints.volumeCreate, { id: id(3), sizeBytes: 128 * MiB }),
    );
    assert.equal(err.code, 'ALREADY_EXISTS');
    assert.equal((await f.client.request(endpoints.volumeDelete, { id: id(99) })).deleted, false);
    assert.equal(
      (await rejectionOf(() => f.client.request(endpoints.volumeGet, { id: id(99) }))).code,
      'NOT_FOUND',
    );
  });

  it('honours volumePath under the base path and refuses anything else before it reaches the RDS', async () => {
    const v = await f.client.request(endpoints.volumeCreate, {
      id: id(4),
      sizeBytes: MiB,
      volumePath: '/storage-pool/metal-csi/fast',
    });
    assert.equal(v.filePath, `/storage-pool/metal-csi/fast/${id(4)}.img`);
    const before = f.sim.commandLog.length;
    const attempts: unknown[] = [
      { id: id(5), sizeBytes: MiB, volumePath: '/storage-pool/metal-csi2' },
      { id: id(5), sizeBytes: MiB, volumePath: '/storage-pool/metal-csi/../etc' },
      { id: id(5), sizeBytes: MiB, volumePath: '/storage-pool/metal-csi/a b' },
      { id: id(5), sizeBytes: MiB, volumePath: '/storage-pool/metal-csi/x"; /system reboot' },
      { id: 'pvc-x; /system reboot', sizeBytes: MiB },
      { id: 'pvc-$(reboot)', sizeBytes: MiB },
      { id: 'pvc-[find]', sizeBytes: MiB },
      { id: id(5), sizeBytes: 0 },
      { id: id(5) },
      { id: id(5), sizeBytes: 2 ** 60 },
    ];
    for (const body of attempts) {
      const err = await rejectionOf(() =>
        f.client.request(endpoints.volumeCreate, body as { id: string; sizeBytes: number }),
      );
      assert.ok(
        err.code === 'INVALID_ARGUMENT' || err.code === 'OUT_OF_RANGE',
        `${JSON.stringify(body)} -> ${String(err.code)}`,
      );
    }
    assert.deepEqual(f.sim.commandLog.slice(before), [], 'no command reached the RDS');
  });

  it('snapshots keep their lineage; restore and clone copy the data', async () => {
    const source = await f.client.request(endpoints.volumeCreate, { id: id(6), sizeBytes: 8 * MiB });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(f.sim.backingFileOf(id(6)), 'hello from the source volume');
    const s = await f.client.request(endpoints.snapshotCreate, { id: snap(1), sourceVolumeId: source.id });
    assert.equal(s.sourceVolumeId, source.id);
    assert.equal(s.sizeBytes, 8 * MiB);
    const again = await f.client.request(endpoints.snapshotCreate, {
      id: snap(1),
      sourceVolumeId: source.id,
    });
    assert.equal(again.createdAt, s.createdAt);
    const conflict = await rejectionOf(() =>
      f.client.request(endpoints.snapshotCreate, { id: snap(1), sourceVolumeId: id(4) }),
    );
    assert.equal(conflict.code, 'ALREADY_EXISTS');
    const listed = await f.client.request(endpoints.snapshotList, {});
    assert.deepEqual(
      listed.snapshots.map((x) => [x.id, x.sourceVolumeId]),
      [[snap(1), source.id]],
    );
    const restored = await f.client.request(endpoints.volumeCreate, {
      id: id(7),
      sizeBytes: 16 * MiB,
      source: { type: 'snapshot', id: snap(1) },
    });
    assert.equal(restored.sizeBytes, 16 * MiB);
    const { readFile } = await import('node:fs/promises');
    assert.match(await readFile(f.sim.backingFileOf(id(7)), 'utf8'), /^hello from the source volume/);
    const clone = await f.client.request(endpoints.volumeCreate, {
      id: id(8),
      sizeBytes: 8 * MiB,
      source: { type: 'volume', id: id(6) },
    });
    assert.match(await readFile(f.sim.backingFileOf(clone.id), 'utf8'), /^hello from the source volume/);
    const overLimit = await rejectionOf(() =>
      f.client.request(endpoints.volumeCreate, {
        id: id(9),
        sizeBytes: MiB,
        limitBytes: 4 * MiB,
        source: { type: 'snapshot', id: snap(1) },
      }),
    );
    assert.equal(overLimit.code, 'OUT_OF_RANGE', 'the snapshot is larger than the limit');
    assert.equal(f.sim.disks().filter((d) => d.slot === id(9)).length, 0, 'nothing was copied');
    const missing = await rejectionOf(() =>
      f.client.request(endpoints.volumeCreate, {
        id: id(9),
        sizeBytes: MiB,
        source: { type: 'snapshot', id: snap(2) },
      }),
    );
    assert.equal(missing.code, 'NOT_FOUND');
    assert.equal((await f.client.request(endpoints.snapshotDelete, { id: snap(1) })).deleted, true);
    assert.equal((await f.client.request(endpoints.snapshotDelete, { id: snap(1) })).deleted, false);
    assert.equal(
      (await rejectionOf(() => f.client.request(endpoints.snapshotGet, { id: snap(1) }))).code,
      'NOT_FOUND',
    );
  });

  it('reports pool capacity', async () => {
    const cap = await f.client.request(endpoints.capacity, {});
    const sim = f.sim.capacity();
    assert.equal(cap.totalBytes, sim.poolSizeBytes);
    assert.equal(cap.freeBytes, sim.freeBytes);
  });

  it('maps a full disk to RESOURCE_EXHAUSTED', async () => {
    f.sim.faults.setFreeBytes(4 * MiB);
    try {
      const err = await rejectionOf(() =>
        f.client.request(endpoints.volumeCreate, { id: id(10), sizeBytes: GiB }),
      );
      assert.equal(err.code, 'RESOURCE_EXHAUSTED');
    } finally {
      f.sim.faults.clear();
    }
  });

  it('maps RouterOS failures printed on stdout with exit 0 to their codes', async () => {
    f.sim.faults.failNext(1, 'bad command name add (line 1 column 7)', 0);
    const err = await rejectionOf(() => f.client.request(endpoints.volumeGet, { id: id(2) }));
    assert.equal(err.code, 'INTERNAL');
  });

  it('runs 50 concurrent creates without leaking channels', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => id(100 + i));
    const results = await Promise.all(
      ids.map((v) => f.client.request(endpoints.volumeCreate, { id: v, sizeBytes: MiB })),
    );
    assert.equal(results.length, 50);
    assert.ok(ids.every((v) => f.sim.disks().some((d) => d.slot === v)));
    await waitFor(() => f.connector.connection.openChannels === 0 && f.sim.openChannels === 0, {
      message: 'channels closed',
    });
    const metrics = await f.connector.registry.getSingleMetricAsString('rdscsi_rds_ssh_open_channels');
    assert.match(metrics, /rdscsi_rds_ssh_open_channels\{service="rds-connector"\} 0/);
    await Promise.all(ids.map((v) => f.client.request(endpoints.volumeDelete, { id: v })));
  });

  it('fails a hung command by its deadline with UNAVAILABLE', async () => {
    f.sim.faults.setHang(true);
    try {
      const err = await rejectionOf(() =>
        f.client.request(endpoints.volumeGet, { id: id(2) }, { deadline: Date.now() + 1500 }),
      );
      assert.equal(err.code, 'UNAVAILABLE');
      assert.match(err.message, /timed out/);
      assert.equal(f.sim.faults.hanging, true, 'answered while the RDS still hangs: bounded by the deadline');
    } finally {
      f.sim.faults.setHang(false);
    }
    await waitFor(async () => (await f.client.request(endpoints.volumeGet, { id: id(2) })).id, {
      message: 'recovered from hang',
    });
  });

  it('fails a command whose connection drops mid-flight with UNAVAILABLE, then reconnects', async () => {
    f.sim.faults.setLatency(1000);
    const pending = rejectionOf(() => f.client.request(endpoints.volumeGet, { id: id(2) }));
    await waitFor(() => f.sim.openChannels > 0, { message: 'command in flight' });
    await f.sim.faults.dropConnections();
    f.sim.faults.setLatency(0);
    const err = await pending;
    assert.ok(err instanceof RdsCsiError);
    assert.equal(err.code, 'UNAVAILABLE');
    await waitFor(() => f.connector.connection.isConnected, { message: 'reconnected after drop' });
  });

  it('fails fast while the RDS is down, broadcasts the states, and reconnects after a restart', async () => {
    f.sim.faults.refuseConnections();
    await f.sim.faults.dropConnections();
    await waitFor(() => f.states.at(-1)?.state === 'connecting' && (f.states.at(-1)?.attempt ?? 0) >= 2, {
      message: 'connecting broadcast with attempts',
    });
    const err = await rejectionOf(() => f.client.request(endpoints.volumeList, {}));
    assert.equal(err.code, 'UNAVAILABLE');
    // Refused by the connection state, not by a timeout: the request never waited for the reconnect.
    assert.match(err.message, /RDS is not connected/);
    const current = await f.client.request(endpoints.connectionGet, {});
    assert.notEqual(current.state, 'connected');
    await f.sim.restart();
    await waitFor(() => f.states.at(-1)?.state === 'connected', {
      message: 'connected broadcast after restart',
    });
    const seen = f.states.map((s) => s.state);
    const lost = seen.lastIndexOf('disconnected');
    assert.ok(lost >= 0 && seen.slice(lost).includes('connecting'), seen.join(','));
    assert.ok(
      (await f.client.request(endpoints.volumeList, {})).volumes.length > 0,
      'state survived the restart',
    );
  });
});

describe('rds-connector host key pinning', () => {
  it('refuses an RDS whose host key does not match the pin, with a clear error', async () => {
    const f = await startFixture({ rds: { hostKey: 'SHA256:' + 'A'.repeat(43) } });
    try {
      const state = await waitFor(() => f.states.find((s) => s.lastError?.includes('host key mismatch')), {
        message: 'host key mismatch reported',
      });
      assert.match(state.lastError ?? '', /pinned/);
      assert.equal(f.connector.connection.isConnected, false);
      assert.equal(f.sim.commandLog.length, 0, 'nothing sent to an impostor');
    } finally {
      await f.dispose();
    }
  });
});
