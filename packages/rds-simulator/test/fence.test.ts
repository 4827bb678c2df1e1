/** The simulated RDS models the storage fence: the allow-list property, its NVMe/TCP enforcement, re-exports. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VOLUME, createVolumeCommand, execCommand, startHarness } from './helpers.js';

const NQN = `nqn.2000-02.com.mikrotik:${VOLUME}`;
const A = 'nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-4000-8000-000000000001';
const B = 'nqn.2014-08.org.nvmexpress:uuid:bbbbbbbb-0000-4000-8000-000000000002';
const SET = `/disk set [find slot=${VOLUME}]`;

describe('simulated storage fence', () => {
  it('prints the allow-list, sets and clears it, and admits only listed hosts (empty = any)', async (t) => {
    const { exec, simulator } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '1G'));
    const print = async () =>
      (await exec(`/disk print detail where slot=${VOLUME}`)).stdout.replace(/\s+/g, '');
    assert.match(await print(), /nvme-tcp-server-allow-host-name=""/);
    assert.ok(simulator.nvmeConnect(NQN, A), 'any host while the list is empty');

    assert.equal((await exec(`${SET} nvme-tcp-server-allow-host-name="${A},${B}"`)).stdout, '');
    assert.ok((await print()).includes(`nvme-tcp-server-allow-host-name="${A},${B}"`));
    assert.equal(simulator.disks()[0]?.nvmeTcpAllowHostName, `${A},${B}`);
    assert.ok(simulator.nvmeConnect(NQN, B));

    await exec(`${SET} nvme-tcp-server-allow-host-name="${A}"`);
    assert.ok(simulator.nvmeConnect(NQN, A));
    assert.equal(simulator.nvmeConnect(NQN, B), undefined, 'a host off the list is refused');
    assert.equal(simulator.nvmeConnect('nqn.2000-02.com.mikrotik:pvc-none', A), undefined);

    await exec(`${SET} nvme-tcp-server-allow-host-name=""`);
    assert.ok(simulator.nvmeConnect(NQN, B), 'cleared: any host again');
  });

  it('tells the NVMe side when an export stops, before the command line answers, and survives a restart', async (t) => {
    const { exec, connect, simulator } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '1G'));
    const stopped: string[] = [];
    const unsubscribe = simulator.onExportStopped(async (nqn) => {
      await new Promise((resolve) => setImmediate(resolve));
      stopped.push(nqn);
    });
    await exec(`${SET} nvme-tcp-server-allow-host-name="${A}"`);
    assert.deepEqual(stopped, [], 'changing the list alone drops nobody');
    await exec(`${SET} nvme-tcp-export=no; ${SET} nvme-tcp-export=yes`);
    assert.deepEqual(stopped, [NQN]);
    assert.equal(simulator.nvmeConnect(NQN, B), undefined, 'the list survives the re-export');
    unsubscribe();
    await simulator.restart();
    assert.equal(simulator.disks()[0]?.nvmeTcpAllowHostName, A, 'kept across a restart');
    const fresh = await connect();
    await execCommand(fresh, `/disk remove [find slot=${VOLUME}]`);
    assert.equal(simulator.disks().length, 0);
    assert.deepEqual(stopped, [NQN], 'unsubscribed');
  });
});
