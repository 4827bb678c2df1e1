/**
 * What the CSI spec and csi-test's sanity suite expect of the node service, over the gRPC socket on real loop
 * devices: NOT_FOUND for unknown volumes and unpublished paths, max_volumes_per_node reported and honoured, and
 * filesystems grown to the device at staging (a restore or clone into a larger size).
 */
import assert from 'node:assert/strict';
import { statfs, truncate, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MAX_VOLUMES_PER_NODE } from '../../src/node/config.js';
import { MIB, NodeHarness, grpcCode, hasCapSysResource, mountCapability } from './harness.js';

const UNKNOWN_VOLUME = 'pvc-00000000-0000-4000-8000-00000000dead';

describe('node service against the spec', () => {
  let h: NodeHarness;
  before(async () => {
    h = await NodeHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  it('NodeGetVolumeStats and NodeExpandVolume: unknown volumes and unpublished paths are NOT_FOUND', async () => {
    const volume = await h.createVolume(64 * MIB);
    const other = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    await h.stage(volume, capability);
    await h.publish(volume, capability);
    const stats = (volumeId: string, path: string) =>
      grpcCode(h.client.node.NodeGetVolumeStats({ volume_id: volumeId, volume_path: path }));
    const expand = (volumeId: string, path: string) =>
      grpcCode(
        h.client.node.NodeExpandVolume({
          volume_id: volumeId,
          volume_path: path,
          capacity_range: { required_bytes: 64 * MIB },
        }),
      );
    // Existence before path syntax, as csi-test's sanity suite sends it.
    assert.equal(await stats(UNKNOWN_VOLUME, 'some/relative/path'), 'NOT_FOUND');
    assert.equal(await expand(UNKNOWN_VOLUME, 'some/relative/path'), 'NOT_FOUND');
    assert.equal(await stats('not a volume id', volume.targetPath()), 'NOT_FOUND');
    // An unknown volume on a real mount point must not answer with that mount's numbers.
    assert.equal(await stats(UNKNOWN_VOLUME, volume.targetPath()), 'NOT_FOUND');
    assert.equal(await expand(UNKNOWN_VOLUME, volume.targetPath()), 'NOT_FOUND');
    // A known volume asked about at a path where it is not published.
    assert.equal(await stats(volume.volumeId, other.stagingPath), 'NOT_FOUND');
    assert.equal(await expand(volume.volumeId, other.stagingPath), 'NOT_FOUND');
    // Syntax still matters for a volume that exists; required fields first of all.
    assert.equal(await stats(volume.volumeId, 'relative'), 'INVALID_ARGUMENT');
    assert.equal(await stats('', volume.targetPath()), 'INVALID_ARGUMENT');
    assert.equal(await stats(UNKNOWN_VOLUME, ''), 'INVALID_ARGUMENT');
    assert.equal(await stats(volume.volumeId, volume.targetPath()), 'OK');
    assert.equal(await stats(volume.volumeId, volume.stagingPath), 'OK');
    await h.unpublish(volume);
    await h.unstage(volume);
  });

  it('NodeGetInfo reports the default max_volumes_per_node', async () => {
    const info = await h.client.node.NodeGetInfo({});
    assert.equal(info.max_volumes_per_node, String(DEFAULT_MAX_VOLUMES_PER_NODE));
    assert.ok(DEFAULT_MAX_VOLUMES_PER_NODE > 0);
  });

  for (const [fsType, sizeBytes] of [
    ['xfs', 320 * MIB],
    ['ext4', 64 * MIB],
  ] as const) {
    it(`${fsType}: NodeStageVolume grows a filesystem smaller than its device (restore into a larger size)`, async (t) => {
      if (fsType === 'ext4' && !hasCapSysResource()) {
        t.skip('no CAP_SYS_RESOURCE here: the kernel refuses online ext4 growth (see docs/node-plugin.md)');
        return;
      }
      const volume = await h.createVolume(sizeBytes);
      const capability = mountCapability(fsType);
      await h.stage(volume, capability);
      await writeFile(join(volume.stagingPath, 'data'), 'from the snapshot');
      const before = await statfs(volume.stagingPath);
      await h.unstage(volume);
      // The restored copy of the source's file, made larger than the source by the controller.
      await truncate(volume.backingFile, sizeBytes * 2);
      await h.stage(volume, capability);
      const after = await statfs(volume.stagingPath);
      assert.ok(
        after.blocks * after.bsize > before.blocks * before.bsize * 1.5,
        `grew from ${before.blocks * before.bsize} to ${after.blocks * after.bsize} bytes`,
      );
      assert.equal(await readFile(join(volume.stagingPath, 'data'), 'utf8'), 'from the snapshot');
      await h.unstage(volume);
    });
  }
});

describe('node service with max_volumes_per_node 1', () => {
  let h: NodeHarness;
  before(async () => {
    h = await NodeHarness.start({ config: { maxVolumesPerNode: 1 } });
  });
  after(async () => {
    await h?.close();
  });

  it('reports the limit and refuses staging a volume beyond it with RESOURCE_EXHAUSTED', async () => {
    assert.equal((await h.client.node.NodeGetInfo({})).max_volumes_per_node, '1');
    const first = await h.createVolume(64 * MIB);
    const second = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    await h.stage(first, capability);
    assert.equal(await grpcCode(h.stage(first, capability)), 'OK', 'a repeat of a staged volume still fits');
    assert.equal(await grpcCode(h.stage(second, capability)), 'RESOURCE_EXHAUSTED');
    assert.ok(!h.fabric.connectedNqns().includes(second.nqn), 'nothing was connected for it');
    await h.unstage(first);
    assert.equal(await grpcCode(h.stage(second, capability)), 'OK', 'room again after an unstage');
    await h.unstage(second);
  });
});
