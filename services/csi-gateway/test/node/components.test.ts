import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RdsCsiError } from '@rds-csi/contracts';
import { waitFor } from '@rds-csi/testkit';
import { VolumeBreakers } from '../../src/node/breaker.js';
import { createCommandRunner, missingTools, type CommandOutcome } from '../../src/node/exec.js';
import { NvmeSysfs } from '../../src/node/sysfs.js';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function rejection(promise: Promise<unknown>): Promise<RdsCsiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof RdsCsiError, `expected an RdsCsiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('command runner', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdscsi-exec-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The runner only runs known tools; a tool path pointed at /bin/sh lets these tests run scripts.
  const shellAs = (outcomes: CommandOutcome[] = []) =>
    createCommandRunner({
      paths: { nvme: '/bin/sh' },
      defaultTimeoutMs: 10_000,
      onComplete: (_c, outcome) => outcomes.push(outcome),
    });

  it('captures output and exit code without throwing on a failure exit', async () => {
    const outcomes: CommandOutcome[] = [];
    const result = await shellAs(outcomes).run('nvme', ['-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout.trim(), 'out');
    assert.equal(result.stderr.trim(), 'err');
    assert.deepEqual(outcomes, ['failed']);
  });

  it('passes arguments as an array, never through a shell', async () => {
    const result = await createCommandRunner({ paths: { nvme: '/bin/echo' } }).run('nvme', [
      '$(id)',
      ';',
      'rm -rf /',
    ]);
    assert.equal(result.stdout.trim(), '$(id) ; rm -rf /');
  });

  it('kills a command (and what it started) when its timeout expires, quoting its output', async () => {
    const pidFile = join(dir, 'sleeper.pid');
    const outcomes: CommandOutcome[] = [];
    const err = await rejection(
      shellAs(outcomes).run('nvme', ['-c', `echo started; sleep 60 & echo $! > ${pidFile}; wait`], {
        timeoutMs: 300,
      }),
    );
    assert.equal(err.code, 'DEADLINE_EXCEEDED');
    assert.match(err.message, /timed out after 300 ms.*started/s);
    const sleeper = Number((await readFile(pidFile, 'utf8')).trim());
    await waitFor(() => !isAlive(sleeper), { message: 'the grandchild sleep is killed' });
    assert.deepEqual(outcomes, ['timeout']);
  });

  it('bounds the captured output', async () => {
    const result = await shellAs().run('nvme', ['-c', 'head -c 2000000 /dev/zero | tr "\\0" x']);
    assert.ok(result.stdout.length < 300 * 1024, `kept ${result.stdout.length} chars`);
    assert.match(result.stdout, /output truncated/);
  });

  it('reports a missing tool as UNAVAILABLE', async () => {
    const err = await rejection(
      createCommandRunner({ paths: { nvme: join(dir, 'no-such-nvme') } }).run('nvme', ['list']),
    );
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /not installed/);
  });

  it('finds tools in PATH or at their configured path', async () => {
    assert.deepEqual(await missingTools(['mount', 'blkid']), []);
    assert.deepEqual(await missingTools(['mount', 'nvme'], { nvme: join(dir, 'absent') }), ['nvme']);
    assert.deepEqual(await missingTools(['blkid'], {}, dir), ['blkid']);
  });
});

describe('volume circuit breakers', () => {
  const fail = (code: 'INTERNAL' | 'INVALID_ARGUMENT') => async () => {
    throw new RdsCsiError(code, 'boom');
  };

  it('opens after consecutive failures, fails fast during the cool-down, then lets one trial through', async () => {
    let now = 1_000;
    const trips: string[] = [];
    const breakers = new VolumeBreakers({
      failureThreshold: 3,
      cooldownMs: 30_000,
      now: () => now,
      onTrip: (k) => trips.push(k),
    });
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new RdsCsiError('UNAVAILABLE', 'target down');
    };
    for (let i = 0; i < 3; i++) await assert.rejects(breakers.run('pvc-a', failing), /target down/);
    assert.deepEqual(trips, ['pvc-a']);
    assert.equal(breakers.openCount(), 1);
    const fast = await rejection(breakers.run('pvc-a', failing));
    assert.equal(fast.code, 'UNAVAILABLE');
    assert.match(fast.message, /failing fast/);
    assert.equal(calls, 3, 'the operation did not run while open');
    assert.equal(
      await breakers.run('pvc-b', async () => 'other volumes unaffected'),
      'other volumes unaffected',
    );

    now += 30_000;
    await assert.rejects(breakers.run('pvc-a', failing), /target down/);
    assert.equal(calls, 4, 'one trial after the cool-down');
    await assert.rejects(breakers.run('pvc-a', failing), /failing fast/);
    now += 30_000;
    assert.equal(await breakers.run('pvc-a', async () => 'recovered'), 'recovered');
    assert.equal(breakers.openCount(), 0);
    assert.deepEqual(trips, ['pvc-a'], 'a failed trial re-opens without counting a new trip');
  });

  it('does not count the caller’s own mistakes', async () => {
    const breakers = new VolumeBreakers({ failureThreshold: 2, cooldownMs: 30_000 });
    for (let i = 0; i < 5; i++) await assert.rejects(breakers.run('pvc-a', fail('INVALID_ARGUMENT')));
    assert.equal(breakers.openCount(), 0);
    await assert.rejects(breakers.run('pvc-a', fail('INTERNAL')));
    await assert.rejects(breakers.run('pvc-a', fail('INTERNAL')));
    assert.equal(breakers.openCount(), 1);
  });
});

describe('NVMe sysfs resolver', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rdscsi-sysfs-unit-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writeTree(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }

  it('reads multipath heads, per-controller namespaces, controllers and orphans', async () => {
    const base = 'class/nvme-subsystem';
    await writeTree({
      // native multipath: the head lives in the subsystem, path devices (nvme0c0n1) are ignored
      [`${base}/nvme-subsys0/subsysnqn`]: 'nqn.2000-02.com.mikrotik:pvc-a\n',
      [`${base}/nvme-subsys0/nvme0/state`]: 'live\n',
      [`${base}/nvme-subsys0/nvme0/transport`]: 'tcp\n',
      [`${base}/nvme-subsys0/nvme0/address`]: 'traddr=10.0.0.5,trsvcid=4420\n',
      [`${base}/nvme-subsys0/nvme0/nvme0c0n1/dev`]: '259:9\n',
      [`${base}/nvme-subsys0/nvme0n2/dev`]: '259:4\n',
      [`${base}/nvme-subsys0/nvme0n2/uevent`]: 'MAJOR=259\nMINOR=4\nDEVNAME=nvme0n2\nDEVTYPE=disk\n',
      [`${base}/nvme-subsys0/nvme0n1/dev`]: '259:1\n',
      [`${base}/nvme-subsys0/nvme0n1/size`]: '2097152\n',
      [`${base}/nvme-subsys0/nvme0n1/ro`]: '0\n',
      [`${base}/nvme-subsys0/nvme0n1/uevent`]: 'MAJOR=259\nMINOR=1\nDEVNAME=nvme0n1\n',
      [`${base}/nvme-subsys0/nvme0n1/holders/dm-0`]: '',
      // multipath off: namespaces under the controller
      [`${base}/nvme-subsys1/subsysnqn`]: 'nqn.2000-02.com.mikrotik:pvc-b\n',
      [`${base}/nvme-subsys1/nvme3/state`]: 'connecting\n',
      [`${base}/nvme-subsys1/nvme3/nvme3n1/dev`]: '259:7\n',
      // a controller without a namespace
      [`${base}/nvme-subsys2/subsysnqn`]: 'nqn.2000-02.com.mikrotik:pvc-c\n',
      [`${base}/nvme-subsys2/nvme5/state`]: 'live\n',
      // not a subsystem
      [`${base}/nvme-subsys9/unrelated`]: '',
    });
    const sysfs = new NvmeSysfs(root, '/dev');
    const subsystems = await sysfs.listSubsystems();
    assert.deepEqual(
      subsystems.map((s) => s.nqn),
      ['nqn.2000-02.com.mikrotik:pvc-a', 'nqn.2000-02.com.mikrotik:pvc-b', 'nqn.2000-02.com.mikrotik:pvc-c'],
    );
    const a = subsystems[0]!;
    assert.deepEqual(a.controllers, [
      { name: 'nvme0', state: 'live', transport: 'tcp', address: 'traddr=10.0.0.5,trsvcid=4420' },
    ]);
    assert.deepEqual(
      a.namespaces.map((n) => n.name),
      ['nvme0n1', 'nvme0n2'],
      'lowest namespace first, no path devices',
    );
    const device = await sysfs.resolveDevice('nqn.2000-02.com.mikrotik:pvc-a');
    assert.equal(device?.path, '/dev/nvme0n1');
    assert.deepEqual([device?.major, device?.minor], [259, 1]);
    assert.equal(await sysfs.sizeBytes(device), 1024 * 1024 * 1024);
    assert.equal(await sysfs.isReadOnly(device), false);
    assert.deepEqual(await sysfs.holders(device), ['dm-0']);
    assert.equal((await sysfs.resolveDevice('nqn.2000-02.com.mikrotik:pvc-b'))?.name, 'nvme3n1');
    assert.equal(await sysfs.resolveDevice('nqn.2000-02.com.mikrotik:pvc-c'), undefined);
    assert.equal(await sysfs.nqnOfDevice({ major: 259, minor: 7 }), 'nqn.2000-02.com.mikrotik:pvc-b');
    assert.equal(await sysfs.resolveDevice('nqn.2000-02.com.mikrotik:pvc-x'), undefined);
  });

  it('refuses a device node whose numbers differ from sysfs', async () => {
    const devRoot = join(root, 'dev');
    await mkdir(devRoot, { recursive: true });
    // /dev/loop0 exists on any machine with loop support, attached or not: block device 7:0.
    await symlink('/dev/loop0', join(devRoot, 'nvme0n1'));
    await symlink('/dev/null', join(devRoot, 'nvme1n1'));
    const sysfs = new NvmeSysfs(root, devRoot);
    const fake = { name: 'nvme0n1', path: join(devRoot, 'nvme0n1'), major: 259, minor: 1, sysfsDir: root };
    const err = await rejection(sysfs.verifyDeviceNode(fake));
    assert.equal(err.code, 'FAILED_PRECONDITION');
    assert.match(err.message, /is 7:0, sysfs says 259:1/);
    await sysfs.verifyDeviceNode({ ...fake, major: 7, minor: 0 });
    const notBlock = await rejection(sysfs.verifyDeviceNode({ ...fake, path: join(devRoot, 'nvme1n1') }));
    assert.equal(notBlock.code, 'FAILED_PRECONDITION');
    const missing = await rejection(sysfs.verifyDeviceNode({ ...fake, path: join(devRoot, 'absent') }));
    assert.equal(missing.code, 'FAILED_PRECONDITION');
  });

  it('resolves nothing when there is no NVMe subsystem class at all', async () => {
    const sysfs = new NvmeSysfs(join(root, 'empty'));
    assert.deepEqual(await sysfs.listSubsystems(), []);
  });
});
