/**
 * The loop connector from @rds-csi/testkit, read by the production sysfs resolver: the tree it writes must look like
 * the kernel's, renumbering must really move the NQN to another device, and cleanup must leave no loop device behind.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LoopNvmeFabric } from '@rds-csi/testkit';
import { NvmeSysfs } from '../../src/node/sysfs.js';
import { MIB, NQN_BASE, loopBackingFile } from './harness.js';

const backsOurFile = (loop: string): boolean => [...files.values()].includes(loopBackingFile(loop) ?? '');

const files = new Map<string, string>();

describe('loop NVMe connector', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdscsi-nvme-loop-'));
    for (const name of ['pvc-a', 'pvc-b']) {
      const file = join(dir, `${name}.img`);
      await writeFile(file, '');
      await truncate(file, 16 * MIB);
      files.set(`${NQN_BASE}${name}`, file);
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('connects, renumbers, rescans and cleans up every loop device it made', async () => {
    const fabric = await LoopNvmeFabric.create({ backingFile: (target) => files.get(target.nqn) });
    const sysfs = new NvmeSysfs(fabric.sysfsRoot);
    const made: string[] = [];
    try {
      const target = { nqn: `${NQN_BASE}pvc-a`, address: '10.0.0.1', port: 4420 };
      await fabric.connect(target);
      await fabric.connect(target); // already connected: no second loop device
      await fabric.connect({ ...target, nqn: `${NQN_BASE}pvc-b` });
      assert.equal(fabric.connectedNqns().length, 2);

      const device = (await sysfs.resolveDevice(target.nqn))!;
      const loop = fabric.loopDevice(target.nqn)!;
      made.push(loop, fabric.loopDevice(`${NQN_BASE}pvc-b`)!);
      assert.equal(device.path, loop, 'the namespace resolves to the loop device through uevent');
      await sysfs.verifyDeviceNode(device);
      assert.equal(await sysfs.sizeBytes(device), 16 * MIB);
      const subsystem = (await sysfs.findSubsystem(target.nqn))!;
      assert.deepEqual(
        subsystem.controllers.map((c) => [c.state, c.transport, c.address]),
        [['live', 'tcp', 'traddr=10.0.0.1,trsvcid=4420']],
      );

      await truncate(files.get(target.nqn)!, 32 * MIB);
      await fabric.rescan(target.nqn);
      assert.equal(await sysfs.sizeBytes((await sysfs.resolveDevice(target.nqn))!), 32 * MIB);

      const { before: old, after: now } = await fabric.renumber(target.nqn);
      made.push(now);
      const renumbered = (await sysfs.resolveDevice(target.nqn))!;
      assert.equal(renumbered.path, now);
      assert.notEqual(`${renumbered.major}:${renumbered.minor}`, `${device.major}:${device.minor}`);
      assert.notEqual(
        (await sysfs.findSubsystem(target.nqn))!.name,
        subsystem.name,
        'a new subsystem instance',
      );
      assert.ok(!backsOurFile(old), 'an unused old loop is detached at once');

      await fabric.disconnect(`${NQN_BASE}pvc-b`);
      assert.equal(await sysfs.resolveDevice(`${NQN_BASE}pvc-b`), undefined);
      await assert.rejects(fabric.connect({ ...target, nqn: `${NQN_BASE}pvc-unknown` }), /no such subsystem/);
    } finally {
      await fabric.cleanup();
    }
    for (const loop of made) assert.ok(!backsOurFile(loop), `${loop} is detached`);
    assert.ok(!existsSync(fabric.sysfsRoot), 'its own temporary tree is removed');
    await fabric.cleanup(); // twice is harmless
  });

  it('refuses a host the target does not admit, and cuts a revoked host when the export stops', async () => {
    const admitted = new Set<string>();
    const options = {
      backingFile: (target: { nqn: string }, hostNqn: string) =>
        admitted.has(hostNqn) ? files.get(target.nqn) : undefined,
    };
    const stays = await LoopNvmeFabric.create(options);
    const revoked = await LoopNvmeFabric.create(options);
    assert.notEqual(stays.hostNqn, revoked.hostNqn, 'each fabric is its own host');
    const target = { nqn: `${NQN_BASE}pvc-a`, address: '10.0.0.1', port: 4420 };
    try {
      await assert.rejects(revoked.connect(target), /refused/);
      admitted.add(stays.hostNqn).add(revoked.hostNqn);
      await stays.connect(target);
      await revoked.connect(target);
      const kept = stays.loopDevice(target.nqn)!;
      const cut = revoked.loopDevice(target.nqn)!;

      admitted.delete(revoked.hostNqn);
      await stays.exportStopped(target.nqn);
      await revoked.exportStopped(target.nqn);
      assert.equal(stays.loopDevice(target.nqn), kept, 'an admitted host reconnects to the same device');
      assert.equal(revoked.isRefused(target.nqn), true);
      assert.equal(revoked.loopDevice(target.nqn), undefined);
      assert.ok(!backsOurFile(cut), 'the revoked host lost its loop device');
      const sysfs = new NvmeSysfs(revoked.sysfsRoot);
      assert.equal(await sysfs.resolveDevice(target.nqn), undefined, 'no namespace on the revoked host');
      assert.deepEqual(
        (await sysfs.findSubsystem(target.nqn))!.controllers.map((c) => c.state),
        ['connecting'],
      );
      await assert.rejects(revoked.connect(target), /refused/, 'reconnects are refused');
      admitted.add(revoked.hostNqn);
      await revoked.connect(target);
      assert.ok(revoked.loopDevice(target.nqn), 'admitted again: the reconnect succeeds');
    } finally {
      await stays.cleanup();
      await revoked.cleanup();
    }
  });
});
