/**
 * RouterOS states the connector must read right, through the real connector and the SSH simulator: foreign disks,
 * disabled and inactive disks, a pool that fills up during a copy's grow, copies that outlive their timeout, disks
 * removed by hand, and narrow terminals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kvm } from '@nats-io/kv';
import { endpoints } from '@rds-csi/contracts';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { BASE, startFixture, type ConnectorFixture } from './support.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const id = (n: number) => `pvc-00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
const snap = (n: number) =>
  `snap-00000000-0000-5000-9000-${String(n).padStart(12, '0')}-at-${String(n).padStart(10, '0')}`;
const DRIVER_NQN = 'nqn.2000-02.com.mikrotik:';

describe('rds-connector: RouterOS semantics', () => {
  let f: ConnectorFixture;
  before(async () => {
    f = await startFixture({ rds: { copyTimeoutMs: 1000 } });
    await waitFor(() => f.connector.connection.isConnected, { message: 'connector connected' });
  });
  after(() => f?.dispose());

  const operator = async (line: string): Promise<void> =>
    assert.equal(await f.sim.runAsOperator(line), '', line);
  const filesNamed = (slot: string) => f.sim.files().filter((file) => file.name.endsWith(`/${slot}.img`));

  it('lists, reports and deletes only its own disks: foreign disks in and outside the base path are untouched', async () => {
    const own = await f.client.request(endpoints.volumeCreate, { id: id(1), sizeBytes: MiB });
    // Named like a volume but outside the base path; in the base path with a foreign NQN; and with a foreign file.
    await operator(
      `/disk add type=file file-path=/storage-pool/other/${id(2)}.img file-size=4M slot=${id(2)} nvme-tcp-export=yes nvme-tcp-server-nqn=${DRIVER_NQN}${id(2)}`,
    );
    await operator(
      `/disk add type=file file-path=${BASE}/${id(3)}.img file-size=4M slot=${id(3)} nvme-tcp-export=yes nvme-tcp-server-nqn=nqn.2014-08.org.example:data`,
    );
    await operator(
      `/disk add type=file file-path=${BASE}/images/boot.img file-size=4M slot=${id(4)} nvme-tcp-export=yes nvme-tcp-server-nqn=${DRIVER_NQN}${id(4)}`,
    );
    const foreign = [id(2), id(3), id(4)];
    const { volumes } = await f.client.request(endpoints.volumeList, {});
    assert.deepEqual(
      volumes.map((v) => v.id),
      [own.id],
    );
    for (const slot of foreign) {
      const got = await rejectionOf(() => f.client.request(endpoints.volumeGet, { id: slot }));
      assert.equal(got.code, 'NOT_FOUND', slot);
      // CSI: deleting an unknown volume is OK; the disk and its file stay exactly as they were.
      assert.deepEqual(await f.client.request(endpoints.volumeDelete, { id: slot }), { deleted: false });
      const create = await rejectionOf(() =>
        f.client.request(endpoints.volumeCreate, { id: slot, sizeBytes: 4 * MiB }),
      );
      assert.equal(create.code, 'ALREADY_EXISTS', slot);
    }
    assert.deepEqual(
      f.sim
        .disks()
        .map((d) => d.slot)
        .filter((slot) => foreign.includes(slot)),
      foreign,
    );
    assert.equal(f.sim.files().filter((file) => /other|images|0003\.img/.test(file.name)).length, 3);
    for (const slot of foreign) await operator(`/disk remove [find slot=${slot}]`);
    await f.client.request(endpoints.volumeDelete, { id: own.id });
  });

  it('reports disabled and inactive disks, and refuses to copy from them with FAILED_PRECONDITION', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(10), sizeBytes: MiB });
    await f.client.request(endpoints.volumeCreate, { id: id(11), sizeBytes: MiB });
    const healthy = await f.client.request(endpoints.volumeGet, { id: id(10) });
    assert.equal(healthy.problem, undefined);
    await operator(`/disk set [find slot=${id(10)}] disabled=yes`);
    await f.sim.loseBackingFile(id(11));
    assert.match((await f.client.request(endpoints.volumeGet, { id: id(10) })).problem ?? '', /disabled/);
    assert.match(
      (await f.client.request(endpoints.volumeGet, { id: id(11) })).problem ?? '',
      /inactive.*backing file .* is missing/,
    );
    const listed = (await f.client.request(endpoints.volumeList, {})).volumes.filter((v) =>
      [id(10), id(11)].includes(v.id),
    );
    assert.equal(listed.filter((v) => v.problem).length, 2);
    const clone = await rejectionOf(() =>
      f.client.request(endpoints.volumeCreate, {
        id: id(12),
        sizeBytes: MiB,
        source: { type: 'volume', id: id(10) },
      }),
    );
    assert.equal(clone.code, 'FAILED_PRECONDITION');
    // A snapshot is not pre-checked: RouterOS's own `copy-from disk is not active` maps to FAILED_PRECONDITION.
    const before = f.sim.commandLog.length;
    const snapshot = await rejectionOf(() =>
      f.client.request(endpoints.snapshotCreate, { id: snap(10), sourceVolumeId: id(10) }),
    );
    assert.equal(snapshot.code, 'FAILED_PRECONDITION', snapshot.message);
    assert.match(f.sim.commandLog.slice(before).join('\n'), /copy-from/, 'RouterOS refused it');
    await operator(`/disk remove [find slot=${id(10)}]; /disk remove [find slot=${id(11)}]`);
    await f.client.request(endpoints.volumeDelete, { id: id(10) });
  });

  it('rolls back a restore whose grow fails on a full pool, so the retry succeeds and nothing leaks', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(20), sizeBytes: 8 * MiB });
    await f.client.request(endpoints.snapshotCreate, { id: snap(20), sourceVolumeId: id(20) });
    const restore = { id: id(21), sizeBytes: GiB, source: { type: 'snapshot' as const, id: snap(20) } };
    f.sim.faults.setFreeBytes(12 * MiB); // room for the 8 MiB copy, not for the grow to 1 GiB
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const err = await rejectionOf(() => f.client.request(endpoints.volumeCreate, restore));
        assert.equal(err.code, 'RESOURCE_EXHAUSTED', `attempt ${attempt}: ${err.message}`);
        assert.equal(f.sim.disks().filter((d) => d.slot === id(21)).length, 0, 'no copy left behind');
        assert.deepEqual(filesNamed(id(21)), [], 'no file left behind');
      }
    } finally {
      f.sim.faults.clear();
    }
    const restored = await f.client.request(endpoints.volumeCreate, restore);
    assert.equal(restored.sizeBytes, GiB);
  });

  it('keeps the lineage of a snapshot whose copy outlived its timeout, and adopts the snapshot on retry', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(30), sizeBytes: MiB });
    f.sim.faults.setLatency(1500); // beyond the 1 s copy timeout, well within the 5 s command timeout
    try {
      const err = await rejectionOf(() =>
        f.client.request(endpoints.snapshotCreate, { id: snap(30), sourceVolumeId: id(30) }),
      );
      assert.equal(err.code, 'UNAVAILABLE');
    } finally {
      f.sim.faults.setLatency(0);
    }
    await waitFor(() => f.sim.disks().some((d) => d.slot === snap(30)), { message: 'RouterOS finished' });
    const adopted = await f.client.request(endpoints.snapshotCreate, {
      id: snap(30),
      sourceVolumeId: id(30),
    });
    assert.equal(adopted.sourceVolumeId, id(30));
    assert.deepEqual(
      (await f.client.request(endpoints.snapshotList, {})).snapshots
        .map((s) => s.id)
        .filter((s) => s === snap(30)),
      [snap(30)],
    );
  });

  it('adopts and grows a copy a timed-out restore left before its grow, instead of ALREADY_EXISTS forever', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(35), sizeBytes: 4 * MiB });
    await f.client.request(endpoints.snapshotCreate, { id: snap(35), sourceVolumeId: id(35) });
    // What the timed-out restore left: the source record the connector writes before the copy, and what RouterOS
    // finished after the connector gave up: the copy, exported, not yet grown.
    const lineage = await new Kvm(f.client.nc).open(f.client.names.snapshotsBucket);
    await lineage.put(id(36), JSON.stringify({ source: { type: 'snapshot', id: snap(35) } }));
    await operator(
      `/disk add type=file file-path=${BASE}/${id(36)}.img copy-from=[find slot=${snap(35)}] slot=${id(36)} nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn=${DRIVER_NQN}${id(36)}`,
    );
    const restore = { id: id(36), sizeBytes: 16 * MiB, source: { type: 'snapshot' as const, id: snap(35) } };
    const adopted = await f.client.request(endpoints.volumeCreate, restore);
    assert.equal(adopted.sizeBytes, 16 * MiB);
    assert.equal(f.sim.disks().filter((d) => d.slot === id(36)).length, 1, 'adopted, not copied again');
    const plain = await rejectionOf(() =>
      f.client.request(endpoints.volumeCreate, { id: id(36), sizeBytes: 16 * MiB }),
    );
    assert.equal(plain.code, 'ALREADY_EXISTS', 'a copy does not answer a create of an empty volume');
  });

  it('removes the file a disk removed by hand left behind, so the same volume can be created again', async () => {
    await f.client.request(endpoints.volumeCreate, {
      id: id(40),
      sizeBytes: MiB,
      volumePath: `${BASE}/fast`,
    });
    await operator(`/disk remove [find slot=${id(40)}]`);
    assert.equal(filesNamed(id(40)).length, 1, 'the operator left the file');
    assert.deepEqual(await f.client.request(endpoints.volumeDelete, { id: id(40) }), { deleted: false });
    assert.deepEqual(filesNamed(id(40)), []);
    const again = await f.client.request(endpoints.volumeCreate, { id: id(40), sizeBytes: MiB });
    assert.equal(again.filePath, `${BASE}/${id(40)}.img`);
  });

  it('reads listings of a narrow terminal that cuts property names', async () => {
    f.sim.setTerminal(40, true);
    try {
      const created = await f.client.request(endpoints.volumeCreate, { id: id(50), sizeBytes: 3 * MiB });
      assert.equal(created.nqn, `${DRIVER_NQN}${id(50)}`);
      assert.equal(created.nvmeTcpPort, 4420);
      assert.ok((await f.client.request(endpoints.volumeList, {})).volumes.some((v) => v.id === id(50)));
      assert.deepEqual(await f.client.request(endpoints.volumeDelete, { id: id(50) }), { deleted: true });
    } finally {
      f.sim.setTerminal(79);
    }
  });

  it('round trips: expand 2, restore and clone 2 at the connector', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(60), sizeBytes: MiB });
    await f.client.request(endpoints.snapshotCreate, { id: snap(60), sourceVolumeId: id(60) });
    const count = async (call: () => Promise<unknown>): Promise<number> => {
      const before = f.sim.commandLog.length;
      await call();
      return f.sim.commandLog.length - before;
    };
    assert.equal(
      await count(() => f.client.request(endpoints.volumeResize, { id: id(60), sizeBytes: 2 * MiB })),
      2,
    );
    const restore = { id: id(61), sizeBytes: 4 * MiB, source: { type: 'snapshot' as const, id: snap(60) } };
    assert.equal(await count(() => f.client.request(endpoints.volumeCreate, restore)), 2);
    const clone = { id: id(62), sizeBytes: 4 * MiB, source: { type: 'volume' as const, id: id(60) } };
    assert.equal(await count(() => f.client.request(endpoints.volumeCreate, clone)), 2);
  });
});
