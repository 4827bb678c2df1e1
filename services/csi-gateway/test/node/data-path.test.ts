/**
 * The node data path end to end over the gRPC socket, on real loop devices: stage → publish → write → unpublish →
 * unstage → stage again → data still there → expand → stats → unstage, for ext4, xfs and raw block volumes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  MIB,
  NodeHarness,
  blockCapability,
  hasCapSysResource,
  mountCapability,
  mountCount,
  mountTable,
  type TestVolume,
} from './harness.js';

function blkidType(device: string): string {
  try {
    return execFileSync('blkid', ['-p', '-o', 'value', '-s', 'TYPE', device], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const rdevOf = async (path: string): Promise<string> => {
  const info = await stat(path);
  return `${Math.floor(info.rdev / 256)}:${info.rdev % 256}`;
};

describe('node data path on loop devices', () => {
  let h: NodeHarness;
  before(async () => {
    h = await NodeHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  async function expectDisconnected(volume: TestVolume): Promise<void> {
    assert.equal(h.fabric.loopDevice(volume.nqn), undefined, 'the loop device is detached');
    assert.ok(!h.fabric.connectedNqns().includes(volume.nqn));
  }

  for (const [fsType, sizeBytes] of [
    ['ext4', 64 * MIB],
    ['ext3', 64 * MIB],
    ['xfs', 320 * MIB],
  ] as const) {
    it(`${fsType}: formats once, keeps data across unstage/stage, expands and reports stats`, async (t) => {
      const volume = await h.createVolume(sizeBytes);
      const capability = mountCapability(fsType);
      const target = volume.targetPath();

      await h.stage(volume, capability);
      const device = h.fabric.loopDevice(volume.nqn)!;
      assert.equal(blkidType(device), fsType);
      assert.equal(mountCount(volume.stagingPath), 1);
      const stagingMount = mountTable().find((m) => m.mountPoint === volume.stagingPath)!;
      assert.equal(stagingMount.fsType, fsType);
      assert.equal(stagingMount.source, device);

      await h.publish(volume, capability);
      assert.equal(mountCount(target), 1);
      await writeFile(join(target, 'hello.txt'), `written through ${fsType}`);

      await h.unpublish(volume);
      assert.equal(mountCount(target), 0);
      await assert.rejects(stat(target), { code: 'ENOENT' }, 'the target directory is removed');
      await h.unstage(volume);
      assert.equal(mountCount(volume.stagingPath), 0);
      await expectDisconnected(volume);

      await h.stage(volume, capability);
      await h.publish(volume, capability);
      assert.equal(
        await readFile(join(target, 'hello.txt'), 'utf8'),
        `written through ${fsType}`,
        'not reformatted',
      );

      await truncate(volume.backingFile, sizeBytes * 2);
      const canGrow = fsType === 'xfs' || hasCapSysResource();
      if (canGrow) {
        const expanded = await h.expand(volume, sizeBytes * 2);
        assert.equal(Number(expanded.capacity_bytes), sizeBytes * 2);
      } else {
        t.diagnostic(
          'no CAP_SYS_RESOURCE here: ext3/ext4 online growth is refused by the kernel, checking the error instead',
        );
        await assert.rejects(h.expand(volume, sizeBytes * 2), (err: Error & { code?: number }) => {
          assert.equal(err.code, 13);
          assert.match(err.message, /resize2fs \/dev\/loop\d+ failed .*Permission denied/s);
          return true;
        });
      }

      const stats = await h.stats(volume, target);
      const bytes = stats.usage.find((u) => u.unit === 'BYTES')!;
      const inodes = stats.usage.find((u) => u.unit === 'INODES')!;
      if (canGrow)
        assert.ok(Number(bytes.total) > sizeBytes * 1.5, `the filesystem grew (total ${bytes.total})`);
      assert.ok(Number(bytes.used) > 0 && Number(bytes.available) > 0);
      assert.ok(Number(bytes.used) + Number(bytes.available) <= Number(bytes.total));
      assert.ok(Number(inodes.total) > 0 && Number(inodes.used) > 0);
      assert.deepEqual(stats.volume_condition, { abnormal: false, message: '' });
      assert.equal(await readFile(join(target, 'hello.txt'), 'utf8'), `written through ${fsType}`);

      await h.unpublish(volume);
      await h.unstage(volume);
      await expectDisconnected(volume);
    });
  }

  it('block: publishes a device node (no mount), keeps data, expands and reports the size', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = blockCapability();
    const target = volume.targetPath();
    const payload = Buffer.from('raw block payload');

    await h.stage(volume, capability);
    assert.equal(mountCount(volume.stagingPath), 0, 'block staging only connects');
    await h.publish(volume, capability);
    const info = await stat(target);
    assert.ok(info.isBlockDevice());
    assert.equal(await rdevOf(target), await rdevOf(h.fabric.loopDevice(volume.nqn)!));
    assert.equal(info.mode & 0o777, 0o660);
    assert.equal(mountCount(target), 0, 'never a bind mount of a devtmpfs node');

    const handle = await open(target, 'r+');
    await handle.write(payload, 0, payload.length, 4 * MIB);
    await handle.sync();
    await handle.close();

    await h.unpublish(volume);
    await assert.rejects(stat(target), { code: 'ENOENT' });
    await h.unstage(volume);
    await expectDisconnected(volume);

    await h.stage(volume, capability);
    await h.publish(volume, capability);
    const reread = Buffer.alloc(payload.length);
    const again = await open(target, 'r');
    await again.read(reread, 0, reread.length, 4 * MIB);
    await again.close();
    assert.deepEqual(reread, payload);

    await truncate(volume.backingFile, 128 * MIB);
    const expanded = await h.expand(volume, 128 * MIB);
    assert.equal(Number(expanded.capacity_bytes), 128 * MIB);
    const stats = await h.stats(volume, target);
    assert.deepEqual(
      stats.usage.map((u) => [u.unit, u.total]),
      [['BYTES', String(128 * MIB)]],
    );
    assert.equal(stats.volume_condition?.abnormal, false);

    await h.unpublish(volume);
    await h.unstage(volume);
    await expectDisconnected(volume);
  });

  it('reports node info and capabilities', async () => {
    const info = await h.client.node.NodeGetInfo({});
    assert.equal(info.node_id, `node-a@${h.fabric.hostNqn}`, 'the host NQN travels in the node ID');
    assert.deepEqual(info.accessible_topology?.segments, { 'topology.rds.csi.srvlab.io/zone': 'default' });
    const capabilities = await h.client.node.NodeGetCapabilities({});
    assert.deepEqual(
      capabilities.capabilities.map((c) => c.rpc?.type),
      [
        'STAGE_UNSTAGE_VOLUME',
        'EXPAND_VOLUME',
        'GET_VOLUME_STATS',
        'VOLUME_CONDITION',
        'SINGLE_NODE_MULTI_WRITER',
      ],
    );
  });
});
