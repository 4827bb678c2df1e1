import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@rds-csi/testkit';
import { VOLUME, closed, connectClient, createVolumeCommand, execCommand, startHarness } from './helpers.js';

const CREATE = createVolumeCommand(VOLUME, '1M');

describe('faults', () => {
  it('latency: every exec request waits at least the configured time', async (t) => {
    const { simulator, exec } = await startHarness((fn) => t.after(fn), { latencyMs: 150 });
    await exec('/disk print detail where slot=none'); // connection set up outside the measurement
    let started = Date.now();
    await exec('/disk print detail where slot=none');
    assert.ok(Date.now() - started >= 145, 'start-up latency applies');
    simulator.faults.setLatency(300, 50);
    started = Date.now();
    await exec('/disk print detail where slot=none');
    assert.ok(Date.now() - started >= 295, 'run-time latency applies');
  });

  it('failNext: the next N requests print the message and exit code without running', async (t) => {
    const { simulator, exec } = await startHarness((fn) => t.after(fn));
    simulator.faults.failNext(2, 'failure: injected', 1);
    assert.deepEqual(await exec(CREATE), { stdout: 'failure: injected\n', stderr: '', code: 1 });
    assert.deepEqual(await exec('/disk print detail'), {
      stdout: 'failure: injected\n',
      stderr: '',
      code: 1,
    });
    assert.deepEqual(simulator.disks(), []);
    assert.deepEqual(await exec(CREATE), { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(
      simulator.disks().map((disk) => disk.slot),
      [VOLUME],
    );
    assert.deepEqual(simulator.commandLog, [CREATE, '/disk print detail', CREATE]);
  });

  it('hang: requests get no answer until the hang is cleared, then run', async (t) => {
    const { simulator, exec } = await startHarness((fn) => t.after(fn));
    simulator.faults.setHang(true);
    let answered = false;
    const reply = exec(CREATE).then((result) => {
      answered = true;
      return result;
    });
    await waitFor(() => simulator.commandLog.includes(CREATE), {
      message: 'the request reached the simulator',
    });
    // Give a wrong implementation time to answer anyway.
    await sleep(300);
    assert.equal(answered, false);
    assert.equal(simulator.openChannels, 1);
    assert.deepEqual(simulator.disks(), []);
    simulator.faults.setHang(false);
    assert.deepEqual(await reply, { stdout: '', stderr: '', code: 0 });
    assert.equal(simulator.disks().length, 1);
  });

  it('hang: a request whose client gave up while it hung never runs', async (t) => {
    const { simulator, connect, exec } = await startHarness((fn) => t.after(fn));
    simulator.faults.setHang(true);
    const client = await connect();
    execCommand(client, CREATE).catch(() => undefined);
    await waitFor(() => simulator.commandLog.includes(CREATE));
    client.destroy();
    await waitFor(() => simulator.openConnections === 0 && simulator.openChannels === 0);
    simulator.faults.setHang(false);
    assert.equal((await exec('/disk print detail where slot=none')).code, 0);
    assert.deepEqual(simulator.disks(), []);
  });

  it('latency: a request whose client gave up while it waited still runs, like on a real RDS', async (t) => {
    const { simulator, connect } = await startHarness((fn) => t.after(fn), { latencyMs: 300 });
    const client = await connect();
    execCommand(client, CREATE).catch(() => undefined);
    await waitFor(() => simulator.commandLog.includes(CREATE));
    client.destroy();
    await waitFor(() => simulator.disks().length === 1, { message: 'the command ran' });
  });

  it('drop: every open connection is destroyed at once; new connections work', async (t) => {
    const { simulator, connect, exec } = await startHarness((fn) => t.after(fn));
    const clients = await Promise.all([connect(), connect()]);
    assert.equal(simulator.openConnections, 2);
    const gone = Promise.all(clients.map(closed));
    await simulator.faults.dropConnections();
    await gone;
    assert.equal(simulator.openConnections, 0);
    assert.equal((await exec('/disk print detail where slot=none')).code, 0);
  });

  it('refuse: new connections are refused until start() listens again on the same port', async (t) => {
    const { simulator, connect, key } = await startHarness((fn) => t.after(fn));
    const port = simulator.port;
    const existing = await connect();
    simulator.faults.refuseConnections();
    assert.equal(simulator.listening, false);
    await assert.rejects(connectClient(simulator, key.privateKey), /ECONNREFUSED/);
    // Connections made before keep working.
    assert.equal((await execCommand(existing, '/disk print detail where slot=none')).code, 0);
    await simulator.start();
    assert.equal(simulator.port, port);
    const again = await connect();
    assert.equal((await execCommand(again, '/disk print detail where slot=none')).code, 0);
  });

  it('restart: drops connections, then serves the same state on the same port with the same host key', async (t) => {
    const { simulator, connect, exec } = await startHarness((fn) => t.after(fn));
    await exec(CREATE);
    const client = await connect();
    const port = simulator.port;
    const fingerprint = simulator.hostKeyFingerprint;
    const gone = closed(client);
    await simulator.restart();
    await gone;
    assert.equal(simulator.port, port);
    assert.equal(simulator.hostKeyFingerprint, fingerprint);
    const again = await connect(); // pins the fingerprint
    assert.match((await execCommand(again, `/disk print detail where slot=${VOLUME}`)).stdout, /slot="pvc-/);
  });

  it('stop: abandons requests still waiting, which then never run', async (t) => {
    const { simulator, connect } = await startHarness((fn) => t.after(fn), { latencyMs: 60_000 });
    const client = await connect();
    execCommand(client, CREATE).catch(() => undefined);
    await waitFor(() => simulator.commandLog.includes(CREATE));
    await simulator.stop();
    assert.deepEqual(simulator.disks(), []);
    assert.equal(simulator.openConnections, 0);
  });

  it('refuses nonsense fault settings', async (t) => {
    const { simulator } = await startHarness((fn) => t.after(fn));
    assert.throws(() => simulator.faults.setLatency(-1), RangeError);
    assert.throws(() => simulator.faults.failNext(1.5, 'x'), RangeError);
    assert.throws(() => simulator.faults.failNext(1, 'x', 256), RangeError);
    assert.throws(() => simulator.faults.setPoolSize(0), RangeError);
    assert.throws(() => simulator.faults.setFreeBytes(Number.NaN), RangeError);
  });
});
