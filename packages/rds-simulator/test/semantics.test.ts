import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE, MiB, VOLUME, createVolumeCommand, startHarness } from './helpers.js';

const CLONE = 'pvc-clone';

describe('RouterOS states the driver must cope with', () => {
  it('a disabled disk prints flag X and cannot be copied from', async (t) => {
    const { exec, simulator } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '8M'));
    assert.equal(await simulator.runAsOperator(`/disk set [find slot=${VOLUME}] disabled=yes`), '');
    const listing = (await exec(`/disk print detail where slot=${VOLUME}`)).stdout;
    assert.match(listing, /^ *5 XB t slot=/m);
    assert.equal(simulator.disks()[0]?.disabled, true);
    const copy = await exec(
      `/disk add type=file file-path=${BASE}/${CLONE}.img copy-from=[find slot=${VOLUME}] slot=${CLONE}`,
    );
    assert.equal(copy.stdout, 'failure: copy-from disk is not active\n');
    assert.equal(simulator.disks().length, 1, 'no copy made');
  });

  it('a disk whose backing file vanished prints flag I', async (t) => {
    const { exec, simulator } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '8M'));
    await simulator.loseBackingFile(VOLUME);
    assert.match((await exec(`/disk print detail where slot=${VOLUME}`)).stdout, /^ *5 IB t slot=/m);
    assert.deepEqual(simulator.files(), []);
  });

  it('a disk removed by hand leaves its file; foreign disks can be added at the console', async (t) => {
    const { exec, simulator } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '8M'));
    await simulator.runAsOperator(`/disk remove [find slot=${VOLUME}]`);
    assert.deepEqual(simulator.disks(), []);
    assert.deepEqual(
      simulator.files().map((f) => f.name),
      [`storage-pool/metal-csi/${VOLUME}.img`],
    );
    const before = simulator.commandLog.length;
    await simulator.runAsOperator(
      '/disk add type=file file-path=/storage-pool/boot.img file-size=4M slot=boot nvme-tcp-export=yes',
    );
    assert.equal(simulator.commandLog.length, before, 'operator commands are not the driver');
    assert.deepEqual(
      simulator.disks().map((d) => d.slot),
      ['boot'],
    );
  });

  it('a narrow terminal cuts property names; the usual layout never does', async (t) => {
    const { exec, simulator } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, `${MiB}`));
    const names = /^ +[a-z-]*[a-z]$|[" ][a-z][a-z-]*$/m;
    simulator.setTerminal(40);
    assert.doesNotMatch((await exec(`/disk print detail where slot=${VOLUME}`)).stdout, names);
    simulator.setTerminal(40, true);
    const narrow = (await exec(`/disk print detail where slot=${VOLUME}`)).stdout;
    assert.match(narrow, names, narrow);
    assert.ok(narrow.split('\n').every((line) => line.length <= 40 || line.startsWith('Flags:')));
  });
});
