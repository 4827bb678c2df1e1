/**
 * The node plugin's safety rules on a real data path: never format what blkid cannot prove empty, recover stale
 * mounts of a renumbered device, never disconnect a device in use or an NQN outside the managed prefix, refuse bad
 * input before touching anything, bound hung commands, and stop hammering a broken volume.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { RdsCsiError } from '@rds-csi/contracts';
import { waitFor } from '@rds-csi/testkit';
import {
  createCommandRunner,
  createNodeService,
  nodeConfig,
  type CommandRunner,
} from '../../src/node/index.js';
import {
  MIB,
  NQN_BASE,
  NodeHarness,
  blockCapability,
  grpcCode,
  loopBackingFile,
  mountCapability,
  mountCount,
  mountTable,
  unmountUnder,
  type TestVolume,
} from './harness.js';

const blkidType = (device: string): string => {
  try {
    return execFileSync('blkid', ['-p', '-o', 'value', '-s', 'TYPE', device], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

/** major:minor of a block device node, as mountinfo prints it. */
function majorMinor(path: string): string {
  const [major, minor] = execFileSync('stat', ['-L', '-c', '%t %T', path], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .map((hex) => parseInt(hex, 16));
  return `${major}:${minor}`;
}

const mountDevice = (path: string): string | undefined => {
  const mount = mountTable()
    .filter((m) => m.mountPoint === path)
    .at(-1);
  return mount ? `${mount.device.major}:${mount.device.minor}` : undefined;
};

describe('formatting only what is provably empty', () => {
  let h: NodeHarness;
  const ran: string[] = [];
  let blkidFailure: 'none' | 'error' | 'hang' = 'none';
  before(async () => {
    const real = createCommandRunner({ defaultTimeoutMs: 20_000 });
    // The real runner, except that blkid can be made to fail the way a flaky device or a hung probe would.
    const runner: CommandRunner = {
      async run(command, args, options) {
        ran.push(command);
        if (command === 'blkid' && blkidFailure === 'error') {
          return {
            command,
            args,
            exitCode: 4,
            signal: null,
            stdout: '',
            stderr: 'blkid: error: Input/output error',
            durationMs: 1,
          };
        }
        if (command === 'blkid' && blkidFailure === 'hang')
          throw new RdsCsiError('DEADLINE_EXCEEDED', 'blkid timed out and was killed');
        return real.run(command, args, options);
      },
    };
    h = await NodeHarness.start({ deps: { runner } });
  });
  after(async () => {
    await h?.close();
  });
  afterEach(() => {
    blkidFailure = 'none';
    ran.length = 0;
  });

  for (const failure of ['error', 'hang'] as const) {
    it(`refuses to stage when blkid keeps failing (${failure}), and never runs mkfs`, async () => {
      const volume = await h.createVolume(64 * MIB);
      blkidFailure = failure;
      assert.equal(await grpcCode(h.stage(volume, mountCapability('ext4'))), 'INTERNAL');
      assert.equal(ran.filter((c) => c === 'blkid').length, 3, 'retried before giving up');
      assert.deepEqual(
        ran.filter((c) => c.startsWith('mkfs')),
        [],
      );
      assert.equal(blkidType(h.fabric.loopDevice(volume.nqn)!), '', 'the device is still unformatted');
      assert.equal(mountCount(volume.stagingPath), 0);
      blkidFailure = 'none';
      await h.unstage(volume);
      assert.equal(
        h.fabric.loopDevice(volume.nqn),
        undefined,
        'the failed stage left nothing connected after unstage',
      );
    });
  }

  it('refuses a device holding something other than a filesystem (swap)', async () => {
    const volume = await h.createVolume(64 * MIB);
    execFileSync('mkswap', [volume.backingFile], { stdio: 'ignore' });
    assert.equal(await grpcCode(h.stage(volume, mountCapability('ext4'))), 'FAILED_PRECONDITION');
    assert.deepEqual(
      ran.filter((c) => c.startsWith('mkfs')),
      [],
    );
    assert.equal(blkidType(h.fabric.loopDevice(volume.nqn)!), 'swap');
    await h.unstage(volume);
  });

  it('never reformats an existing filesystem of another type, and mounts it when no type is requested', async () => {
    const volume = await h.createVolume(64 * MIB);
    execFileSync('mkfs.ext3', ['-q', '-F', volume.backingFile], { stdio: 'ignore' });
    assert.equal(await grpcCode(h.stage(volume, mountCapability('ext4'))), 'FAILED_PRECONDITION');
    assert.equal(blkidType(h.fabric.loopDevice(volume.nqn)!), 'ext3');
    await h.stage(volume, mountCapability(''));
    assert.equal(mountTable().find((m) => m.mountPoint === volume.stagingPath)?.fsType, 'ext3');
    assert.deepEqual(
      ran.filter((c) => c.startsWith('mkfs')),
      [],
    );
    await h.unstage(volume);
  });

  it('does not format an empty volume staged for read-only access', async () => {
    const volume = await h.createVolume(64 * MIB);
    assert.equal(
      await grpcCode(h.stage(volume, mountCapability('ext4', 'SINGLE_NODE_READER_ONLY'))),
      'FAILED_PRECONDITION',
    );
    assert.deepEqual(
      ran.filter((c) => c.startsWith('mkfs')),
      [],
    );
    await h.unstage(volume);
  });
});

describe('stale mounts of a renumbered or vanished device', () => {
  let h: NodeHarness;
  before(async () => {
    h = await NodeHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  const released = (loop: string, volume: TestVolume) => () => loopBackingFile(loop) !== volume.backingFile;

  it('filesystem: reports the renumbering and recovers staging and target mounts on the next publish', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    const target = volume.targetPath();
    await h.stage(volume, capability);
    await h.publish(volume, capability);
    await writeFile(join(target, 'kept.txt'), 'survives renumbering');
    execFileSync('sync');

    const { before: old, after: now } = await h.fabric.renumber(volume.nqn);
    assert.notEqual(majorMinor(old), majorMinor(now));
    const stats = await h.stats(volume, target);
    assert.equal(stats.volume_condition?.abnormal, true);
    assert.match(stats.volume_condition?.message ?? '', /renumbered/);

    await h.publish(volume, capability);
    assert.equal(mountDevice(volume.stagingPath), majorMinor(now));
    assert.equal(mountDevice(target), majorMinor(now));
    assert.equal(mountCount(volume.stagingPath), 1);
    assert.equal(mountCount(target), 1);
    assert.equal(await readFile(join(target, 'kept.txt'), 'utf8'), 'survives renumbering');
    await waitFor(released(old, volume), { message: `the stale ${old} is released` });
    assert.equal((await h.stats(volume, target)).volume_condition?.abnormal, false);

    await h.unpublish(volume);
    await h.unstage(volume);
  });

  it('filesystem: a repeated stage recovers the staging mount too', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    await h.stage(volume, capability);
    const { before: old, after: now } = await h.fabric.renumber(volume.nqn);
    await h.stage(volume, capability);
    assert.equal(mountDevice(volume.stagingPath), majorMinor(now));
    assert.equal(mountCount(volume.stagingPath), 1);
    await waitFor(released(old, volume), { message: `the stale ${old} is released` });
    await h.unstage(volume);
  });

  it('block: replaces the device node with one for the new device', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = blockCapability();
    const target = volume.targetPath();
    await h.stage(volume, capability);
    await h.publish(volume, capability);
    const handle = await open(target, 'r+');
    await handle.write(Buffer.from('block data'), 0, 10, 0);
    await handle.sync();
    await handle.close();

    const { after: now } = await h.fabric.renumber(volume.nqn);
    assert.match((await h.stats(volume, target)).volume_condition?.message ?? '', /renumbered/);
    await h.publish(volume, capability);
    assert.equal(majorMinor(target), majorMinor(now));
    assert.equal((await readFile(target)).subarray(0, 10).toString(), 'block data');
    await h.unpublish(volume);
    await h.unstage(volume);
  });

  it('reports a vanished device as abnormal and still unpublishes and unstages', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    const target = volume.targetPath();
    await h.stage(volume, capability);
    await h.publish(volume, capability);
    await h.fabric.removeNamespace(volume.nqn);
    const stats = await h.stats(volume, target);
    assert.equal(stats.volume_condition?.abnormal, true);
    assert.match(stats.volume_condition?.message ?? '', /gone/);
    assert.equal(await grpcCode(h.expand(volume, 0)), 'UNAVAILABLE');
    await h.unpublish(volume);
    await h.unstage(volume);
    assert.equal(mountCount(target) + mountCount(volume.stagingPath), 0);
    assert.ok(!h.fabric.connectedNqns().includes(volume.nqn));
  });

  it('reports a read-only device as abnormal', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    await h.stage(volume, capability);
    await h.publish(volume, capability);
    const loop = h.fabric.loopDevice(volume.nqn)!;
    execFileSync('blockdev', ['--setro', loop]);
    try {
      const stats = await h.stats(volume, volume.targetPath());
      assert.equal(stats.volume_condition?.abnormal, true);
      assert.match(stats.volume_condition?.message ?? '', /read-only/);
    } finally {
      execFileSync('blockdev', ['--setrw', loop]);
    }
    await h.unpublish(volume);
    await h.unstage(volume);
  });
});

describe('disconnecting', () => {
  let h: NodeHarness;
  let elsewhere: string;
  before(async () => {
    h = await NodeHarness.start();
    elsewhere = join(h.dir, 'elsewhere');
    await mkdir(elsewhere);
  });
  after(async () => {
    unmountUnder(elsewhere);
    await h?.close();
  });

  it('refuses while the device is mounted somewhere else', async () => {
    const volume = await h.createVolume(64 * MIB);
    await h.stage(volume, mountCapability('ext4'));
    const loop = h.fabric.loopDevice(volume.nqn)!;
    execFileSync('mount', [loop, elsewhere]);
    assert.equal(await grpcCode(h.unstage(volume)), 'FAILED_PRECONDITION');
    assert.equal(mountCount(volume.stagingPath), 1, 'nothing was unmounted');
    assert.equal(h.fabric.loopDevice(volume.nqn), loop, 'still connected');
    assert.ok(!h.fabric.calls.some((c) => c.op === 'disconnect' && c.nqn === volume.nqn));
    execFileSync('umount', [elsewhere]);
    await h.unstage(volume);
    assert.equal(h.fabric.loopDevice(volume.nqn), undefined);
  });

  it('refuses while the volume is still published (filesystem and block)', async () => {
    for (const capability of [mountCapability('ext4'), blockCapability()]) {
      const volume = await h.createVolume(64 * MIB);
      await h.stage(volume, capability);
      await h.publish(volume, capability);
      assert.equal(await grpcCode(h.unstage(volume)), 'FAILED_PRECONDITION');
      assert.ok(h.fabric.loopDevice(volume.nqn), 'still connected');
      await stat(volume.targetPath());
      await h.unpublish(volume);
      await h.unstage(volume);
      assert.equal(h.fabric.loopDevice(volume.nqn), undefined);
    }
  });
});

describe('NQNs outside the managed prefix', () => {
  let h: NodeHarness;
  before(async () => {
    h = await NodeHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  it('are never connected by a stage', async () => {
    const volume = await h.createVolume(64 * MIB, { nqn: `${NQN_BASE}boot-disk` });
    assert.equal(await grpcCode(h.stage(volume, mountCapability())), 'INVALID_ARGUMENT');
    assert.deepEqual(h.fabric.calls, []);
  });

  it('are never disconnected at start-up; managed orphans without a device are', async () => {
    const target = { address: '10.42.0.1', port: 4420 };
    await h.fabric.addControllerWithoutNamespace({ ...target, nqn: `${NQN_BASE}pvc-orphan` });
    await h.fabric.addControllerWithoutNamespace({ ...target, nqn: `${NQN_BASE}boot-orphan` });
    const healthy = await h.createVolume(64 * MIB);
    await h.stage(healthy, blockCapability());
    const report = await h.plugin.start();
    assert.deepEqual(report, { disconnected: [`${NQN_BASE}pvc-orphan`], failed: [] });
    assert.ok(h.fabric.connectedNqns().includes(`${NQN_BASE}boot-orphan`));
    assert.ok(h.fabric.connectedNqns().includes(healthy.nqn));
    assert.match(
      await h.registry.metrics(),
      /rdscsi_node_orphan_controllers_disconnected_total(\{[^}]*\})? 1/,
    );
    await h.unstage(healthy);
    await h.fabric.disconnect(`${NQN_BASE}boot-orphan`);
  });

  it('are never disconnected by an unstage, even when such a device is mounted at the staging path', async () => {
    const foreignNqn = `${NQN_BASE}boot-disk`;
    const foreignFile = join(h.dir, 'boot.img');
    await writeFile(foreignFile, '');
    await truncate(foreignFile, 64 * MIB);
    execFileSync('mkfs.ext4', ['-q', foreignFile]);
    const volume: TestVolume = await h.createVolume(64 * MIB);
    h.volumes.set('boot', { ...volume, nqn: foreignNqn, backingFile: foreignFile });
    await h.fabric.connect({ nqn: foreignNqn, address: '10.42.0.1', port: 4420 });
    execFileSync('mount', [h.fabric.loopDevice(foreignNqn)!, volume.stagingPath]);
    await h.unstage(volume);
    assert.ok(h.fabric.connectedNqns().includes(foreignNqn), 'the foreign NQN is still connected');
    assert.ok(!h.fabric.calls.some((c) => c.op === 'disconnect' && c.nqn === foreignNqn));
    await h.fabric.disconnect(foreignNqn);
  });
});

describe('bad requests', () => {
  let h: NodeHarness;
  let volume: TestVolume;
  before(async () => {
    h = await NodeHarness.start();
    volume = await h.createVolume(64 * MIB);
  });
  after(async () => {
    await h?.close();
  });

  const stageWith = (change: Record<string, unknown>) =>
    h.client.node.NodeStageVolume({
      volume_id: volume.volumeId,
      staging_target_path: volume.stagingPath,
      volume_capability: mountCapability(),
      volume_context: volume.volumeContext,
      ...change,
    });

  const context = (change: Record<string, string>) => () => ({
    volume_context: { ...volume.volumeContext, ...change },
  });
  for (const [name, change] of [
    ['no volume_id', () => ({ volume_id: '' })],
    ['a volume_id that is not ours', () => ({ volume_id: 'Vol/../../etc' })],
    ['no staging path', () => ({ staging_target_path: '' })],
    ['a relative staging path', () => ({ staging_target_path: 'staging/x' })],
    ['no capability', () => ({ volume_capability: null })],
    ['an unsupported filesystem', () => ({ volume_capability: mountCapability('btrfs') })],
    [
      'a filesystem shared by several nodes',
      () => ({ volume_capability: mountCapability('ext4', 'MULTI_NODE_MULTI_WRITER') }),
    ],
    [
      'a forbidden mount flag',
      () => ({ volume_capability: mountCapability('ext4', 'SINGLE_NODE_WRITER', ['bind']) }),
    ],
    ['an address with shell syntax', context({ nvmeAddress: '$(reboot)' })],
    ['a non-numeric port', context({ nvmePort: '44x' })],
    ['a non-numeric ctrlLossTmo', context({ ctrlLossTmo: 'never' })],
    ['no NQN', context({ nqn: '' })],
    ['conflicting NQNs', () => ({ publish_context: { nvme_nqn: `${NQN_BASE}pvc-other` } })],
  ] as const) {
    it(`NodeStageVolume with ${name} is INVALID_ARGUMENT and touches nothing`, async () => {
      assert.equal(await grpcCode(stageWith(change())), 'INVALID_ARGUMENT');
      assert.deepEqual(h.fabric.calls, []);
    });
  }

  it('publish, unpublish, unstage, stats and expand validate their arguments', async () => {
    const publish = (change: Record<string, unknown>) =>
      h.client.node.NodePublishVolume({
        volume_id: volume.volumeId,
        staging_target_path: volume.stagingPath,
        target_path: volume.targetPath(),
        volume_capability: mountCapability(),
        volume_context: volume.volumeContext,
        ...change,
      });
    assert.equal(await grpcCode(publish({ target_path: '' })), 'INVALID_ARGUMENT');
    assert.equal(await grpcCode(publish({ volume_capability: null })), 'INVALID_ARGUMENT');
    assert.equal(await grpcCode(publish({ staging_target_path: '' })), 'FAILED_PRECONDITION');
    assert.equal(
      await grpcCode(h.client.node.NodeUnpublishVolume({ volume_id: volume.volumeId, target_path: '' })),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      await grpcCode(
        h.client.node.NodeUnstageVolume({ volume_id: '', staging_target_path: volume.stagingPath }),
      ),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      await grpcCode(h.client.node.NodeGetVolumeStats({ volume_id: volume.volumeId, volume_path: '' })),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      await grpcCode(
        h.client.node.NodeExpandVolume({
          volume_id: volume.volumeId,
          volume_path: volume.targetPath(),
          capacity_range: { required_bytes: -1 },
        }),
      ),
      'INVALID_ARGUMENT',
    );
    assert.deepEqual(h.fabric.calls, []);
  });
});

describe('hung and failing nvme-cli', () => {
  let h: NodeHarness;
  let fakeDir: string;
  const fakeMode = () => join(fakeDir, 'mode');
  const invocations = async () =>
    (await readFile(join(fakeDir, 'pids'), 'utf8').catch(() => '')).split('\n').filter(Boolean);

  before(async () => {
    fakeDir = await mkdtemp(join(tmpdir(), 'rdscsi-fake-nvme-'));
    const script = join(fakeDir, 'nvme');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        `echo $$ >> ${join(fakeDir, 'pids')}`,
        `case "$(cat ${fakeMode()})" in`,
        '  hang) exec sleep 60 ;;',
        '  refuse) echo "Failed to write to /dev/nvme-fabrics: Connection refused" >&2; exit 1 ;;',
        'esac',
      ].join('\n') + '\n',
    );
    await chmod(script, 0o755);
    h = await NodeHarness.start({
      nvmeCli: true,
      deps: { toolPaths: { nvme: script } },
      config: { connectRetries: 2, timeouts: { connectMs: 500 } },
    });
  });
  after(async () => {
    await h?.close();
    await rm(fakeDir, { recursive: true, force: true });
  });

  it('kills a hung nvme connect at its timeout and answers DEADLINE_EXCEEDED without retrying it', async () => {
    await writeFile(fakeMode(), 'hang');
    await rm(join(fakeDir, 'pids'), { force: true });
    const volume = await h.createVolume(64 * MIB);
    assert.equal(await grpcCode(h.stage(volume, mountCapability())), 'DEADLINE_EXCEEDED');
    const pids = await invocations();
    assert.equal(pids.length, 1, 'a timed-out connect is not retried');
    await waitFor(
      () => {
        try {
          process.kill(Number(pids[0]), 0);
          return false;
        } catch {
          return true;
        }
      },
      { message: 'the hung nvme is killed' },
    );
  });

  it('retries a refused connect with backoff, then answers UNAVAILABLE with nvme-cli’s message', async () => {
    await writeFile(fakeMode(), 'refuse');
    await rm(join(fakeDir, 'pids'), { force: true });
    const volume = await h.createVolume(64 * MIB);
    const err = await h.stage(volume, mountCapability()).catch((e: Error & { code: number }) => e);
    assert.ok(err instanceof Error);
    assert.equal(err.code, 14);
    assert.match(err.message, /Connection refused/);
    assert.equal((await invocations()).length, 3, 'one attempt plus two retries');
  });
});

describe('circuit breaker per volume', () => {
  let h: NodeHarness;
  let now = 1_000_000;
  before(async () => {
    h = await NodeHarness.start({
      config: { connectRetries: 0, breakerFailureThreshold: 2, breakerCooldownMs: 30_000 },
      deps: { now: () => now },
    });
  });
  after(async () => {
    await h?.close();
  });

  it('fails a broken volume fast after consecutive failures, and tries again after the cool-down', async () => {
    const broken = await h.createVolume(64 * MIB);
    const healthy = await h.createVolume(64 * MIB);
    h.volumes.delete(broken.volumeId); // the target no longer exports it
    const connects = () => h.fabric.calls.filter((c) => c.nqn === broken.nqn && c.op === 'connect').length;

    assert.equal(await grpcCode(h.stage(broken, mountCapability())), 'UNAVAILABLE');
    assert.equal(await grpcCode(h.stage(broken, mountCapability())), 'UNAVAILABLE');
    assert.equal(connects(), 2);
    for (let i = 0; i < 3; i++)
      assert.equal(await grpcCode(h.stage(broken, mountCapability())), 'UNAVAILABLE');
    assert.equal(connects(), 2, 'failing fast: no connect attempted while the breaker is open');
    const metrics = await h.registry.metrics();
    assert.match(metrics, /rdscsi_node_volume_breakers_open(\{[^}]*\})? 1/);
    assert.match(metrics, /rdscsi_node_volume_breaker_trips_total(\{[^}]*\})? 1/);

    await h.stage(healthy, mountCapability());
    await h.unstage(healthy);

    now += 30_000;
    h.volumes.set(broken.volumeId, broken);
    await h.stage(broken, mountCapability());
    assert.equal(connects(), 3);
    await h.unstage(broken);
    assert.match(await h.registry.metrics(), /rdscsi_node_volume_breakers_open(\{[^}]*\})? 0/);
  });
});

describe('node probe', () => {
  it('is ready when the required tools are installed, and names what is missing', async () => {
    assert.deepEqual(await createNodeService(nodeConfig('node-a')).probe(), { ready: true, missing: [] });
    const broken = createNodeService(nodeConfig('node-a'), {
      toolPaths: { nvme: '/nonexistent/nvme', blkid: '/nonexistent/blkid' },
    });
    assert.deepEqual(await broken.probe(), { ready: false, missing: ['nvme', 'blkid'] });
  });
});

describe('metrics', () => {
  it('time every external command by command and outcome', async () => {
    const h = await NodeHarness.start();
    try {
      const volume = await h.createVolume(64 * MIB);
      await h.stage(volume, mountCapability());
      await h.unstage(volume);
      const metrics = await h.registry.metrics();
      for (const command of ['blkid', 'mkfs.ext4', 'mount', 'umount']) {
        assert.match(
          metrics,
          new RegExp(
            `rdscsi_node_command_duration_seconds_count\\{[^}]*command="${command.replace('.', '\\.')}"[^}]*\\} 1`,
          ),
        );
      }
    } finally {
      await h.close();
    }
  });
});
