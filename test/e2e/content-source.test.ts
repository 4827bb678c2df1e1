/**
 * Issue 11 item 4: a repeated CreateVolume must name the volume's own content source, and the answer reports the
 * volume's real source, never the request's. Through CSI socket -> csi-gateway -> NATS -> rds-connector -> SSH.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CsiClient, Input, VolumeContentSource } from '@rds-csi/csi-spec';
import { BASE_PATH, E2eStack } from '../src/stack.js';
import { GRPC, MiB, fsCapability, grpcCode } from '../src/volumes.js';

type Source = Input<VolumeContentSource> | undefined;

describe('CreateVolume compares and reports the content source', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  const plain = `pvc-${randomUUID()}`;
  const restored = `pvc-${randomUUID()}`;
  const cloned = `pvc-${randomUUID()}`;
  let snapshotId: string;

  const create = (name: string, source: Source) =>
    csi.controller.CreateVolume({
      name,
      capacity_range: { required_bytes: 8 * MiB },
      volume_capabilities: [fsCapability()],
      ...(source ? { volume_content_source: source } : {}),
    });
  /** The reported source as `type:id`, or `none`. */
  const reported = async (name: string, source: Source): Promise<string> => {
    const { volume } = await create(name, source);
    const content = volume?.content_source;
    if (content?.snapshot) return `snapshot:${content.snapshot.snapshot_id}`;
    if (content?.volume) return `volume:${content.volume.volume_id}`;
    return 'none';
  };
  const fromSnapshot = (): Source => ({ snapshot: { snapshot_id: snapshotId } });
  const fromVolume = (id: string): Source => ({ volume: { volume_id: id } });

  before(async () => {
    stack = await E2eStack.start();
    csi = await stack.startAll();
    await create(plain, undefined);
    const { snapshot } = await csi.controller.CreateSnapshot({
      name: `snapshot-${randomUUID()}`,
      source_volume_id: plain,
    });
    snapshotId = snapshot?.snapshot_id ?? '';
  });
  after(() => stack?.dispose());

  it('a new restore or clone reports its own source', async () => {
    assert.equal(await reported(restored, fromSnapshot()), `snapshot:${snapshotId}`);
    assert.equal(await reported(cloned, fromVolume(plain)), `volume:${plain}`);
  });

  it('a repeat with the same source is OK and reports the real source; a plain volume reports none', async () => {
    assert.equal(await reported(plain, undefined), 'none');
    assert.equal(await reported(restored, fromSnapshot()), `snapshot:${snapshotId}`);
    assert.equal(await reported(cloned, fromVolume(plain)), `volume:${plain}`);
  });

  it('a repeat with a different or missing source is ALREADY_EXISTS, and nothing changes on the RDS', async () => {
    const disksBefore = stack.sim.disks().length;
    const mismatches: [string, Source][] = [
      [plain, fromVolume(cloned)],
      [plain, fromSnapshot()],
      [restored, undefined],
      [restored, fromVolume(plain)],
      [cloned, undefined],
      [cloned, fromSnapshot()],
      [cloned, fromVolume(restored)],
    ];
    for (const [name, source] of mismatches) {
      assert.equal(
        await grpcCode(create(name, source)),
        GRPC.ALREADY_EXISTS,
        `${name} with ${JSON.stringify(source)}`,
      );
    }
    assert.equal(stack.sim.disks().length, disksBefore);
  });

  it('a volume the Go driver made has no record: it counts as empty, consistently', async () => {
    const legacy = `pvc-${randomUUID()}`;
    await stack.sim.runAsOperator(
      `/disk add type=file file-path=${BASE_PATH}/${legacy}.img file-size=8M slot=${legacy} nvme-tcp-export=yes ` +
        `nvme-tcp-server-port=4420 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:${legacy}`,
    );
    assert.equal(await reported(legacy, undefined), 'none');
    assert.equal(await grpcCode(create(legacy, fromVolume(plain))), GRPC.ALREADY_EXISTS);
  });

  it('after a delete, the name is free again for an empty volume (the source record goes with the volume)', async () => {
    await csi.controller.DeleteVolume({ volume_id: cloned });
    assert.equal(await reported(cloned, undefined), 'none');
  });
});
