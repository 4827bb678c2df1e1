import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB, createVolumeCommand, snapshotCommand, startHarness, type Harness } from './helpers.js';

const POOL = 10 * GiB;

/** `size=` and `free=` of the pool partition, read from the RouterOS output like the driver does. */
async function poolNumbers(harness: Harness): Promise<{ size: number; free: number }> {
  const { stdout } = await harness.exec('/disk print detail where mount-point="storage-pool"');
  const number = (key: string): number => {
    const match = new RegExp(`(?:^|\\s)${key}=(\\d[\\d ]*\\d|\\d)(?:\\s|$)`).exec(
      stdout.replace(/\n\s+/g, ' '),
    );
    assert.ok(match?.[1], `${key}= in ${stdout}`);
    return Number(match[1].replaceAll(' ', ''));
  };
  return { size: number('size'), free: number('free') };
}

const NOT_ENOUGH_SPACE = { stdout: 'failure: not enough space\n', stderr: '', code: 0 };

describe('capacity accounting', () => {
  it('reports the pool size and free space, which file disks and copies use up', async (t) => {
    const harness = await startHarness((fn) => t.after(fn), { poolSizeBytes: POOL });
    assert.deepEqual(await poolNumbers(harness), { size: POOL, free: POOL });
    await harness.exec(createVolumeCommand('pvc-1', '3G'));
    assert.deepEqual(await poolNumbers(harness), { size: POOL, free: 7 * GiB });
    await harness.exec(snapshotCommand('snap-1', 'pvc-1'));
    assert.deepEqual(await poolNumbers(harness), { size: POOL, free: 4 * GiB });
    await harness.exec('/disk set [find slot=pvc-1] file-size=4G');
    assert.deepEqual(await poolNumbers(harness), { size: POOL, free: 3 * GiB });
    assert.deepEqual(harness.simulator.capacity(), {
      poolSizeBytes: POOL,
      usedBytes: 7 * GiB,
      freeBytes: 3 * GiB,
    });
  });

  it('refuses what does not fit with "not enough space" and creates nothing', async (t) => {
    const harness = await startHarness((fn) => t.after(fn), { poolSizeBytes: POOL });
    await harness.exec(createVolumeCommand('pvc-1', '6G'));
    assert.deepEqual(await harness.exec(createVolumeCommand('pvc-2', '5G')), NOT_ENOUGH_SPACE);
    assert.deepEqual(await harness.exec(snapshotCommand('snap-1', 'pvc-1')), NOT_ENOUGH_SPACE);
    assert.deepEqual(await harness.exec('/disk set [find slot=pvc-1] file-size=11G'), NOT_ENOUGH_SPACE);
    assert.deepEqual(
      harness.simulator.disks().map((disk) => [disk.slot, disk.sizeBytes]),
      [['pvc-1', 6 * GiB]],
    );
    assert.deepEqual(
      harness.simulator.files().map((file) => file.name),
      ['storage-pool/metal-csi/pvc-1.img'],
    );
    // Exactly the free space still fits.
    assert.equal((await harness.exec(createVolumeCommand('pvc-2', '4G'))).stdout, '');
    assert.equal((await poolNumbers(harness)).free, 0);
  });

  it('frees space only when the file is removed, not when the disk is', async (t) => {
    const harness = await startHarness((fn) => t.after(fn), { poolSizeBytes: POOL });
    await harness.exec(createVolumeCommand('pvc-1', '8G'));
    await harness.exec('/disk remove [find slot=pvc-1]');
    assert.equal((await poolNumbers(harness)).free, 2 * GiB);
    assert.deepEqual(await harness.exec(createVolumeCommand('pvc-2', '8G')), NOT_ENOUGH_SPACE);
    await harness.exec('/file remove "storage-pool/metal-csi/pvc-1.img"');
    assert.equal((await poolNumbers(harness)).free, POOL);
    assert.equal((await harness.exec(createVolumeCommand('pvc-2', '8G'))).stdout, '');
  });

  it('follows disk-full, free-space and pool-size faults, and recovers when they are cleared', async (t) => {
    const harness = await startHarness((fn) => t.after(fn), { poolSizeBytes: POOL });
    await harness.exec(createVolumeCommand('pvc-1', '1G'));
    harness.simulator.faults.diskFull();
    assert.equal((await poolNumbers(harness)).free, 0);
    assert.deepEqual(await harness.exec(createVolumeCommand('pvc-2', '1M')), NOT_ENOUGH_SPACE);
    harness.simulator.faults.setFreeBytes(GiB);
    assert.equal((await poolNumbers(harness)).free, GiB);
    assert.deepEqual(await harness.exec(createVolumeCommand('pvc-2', '2G')), NOT_ENOUGH_SPACE);
    harness.simulator.faults.setPoolSize(100 * GiB);
    assert.deepEqual(await poolNumbers(harness), { size: 100 * GiB, free: 91 * GiB });
    harness.simulator.faults.clear();
    assert.deepEqual(await poolNumbers(harness), { size: 100 * GiB, free: 99 * GiB });
  });
});
