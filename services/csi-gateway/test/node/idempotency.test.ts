/**
 * Every node RPC repeated: the same answer each time and never a second (stacked) mount. Plus the spec's answers to
 * incompatible repeats (ALREADY_EXISTS), concurrent calls (ABORTED), read-only publishing and single-writer volumes.
 */
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeHarness, MIB, blockCapability, grpcCode, mountCapability, mountCount } from './harness.js';

const REPEATS = 3;

async function repeat<T>(call: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < REPEATS; i++) results.push(await call());
  return results;
}

describe('node RPC idempotency', () => {
  let h: NodeHarness;
  before(async () => {
    h = await NodeHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  it('filesystem volume: every RPC repeated gives one mount and the same answer', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    const target = volume.targetPath();

    await repeat(() => h.stage(volume, capability));
    assert.equal(mountCount(volume.stagingPath), 1);
    assert.equal(
      h.fabric.calls.filter((c) => c.op === 'connect').length,
      1,
      'connected once; later stages find it connected',
    );

    await repeat(() => h.publish(volume, capability));
    assert.equal(mountCount(target), 1);
    assert.equal(mountCount(volume.stagingPath), 1);
    await writeFile(join(target, 'f'), 'x');

    const stats = await repeat(() => h.stats(volume, target));
    assert.ok(stats.every((s) => s.usage.length === 2 && !s.volume_condition?.abnormal));

    const expanded = await repeat(() => h.expand(volume, 0));
    assert.deepEqual(new Set(expanded.map((e) => e.capacity_bytes)), new Set([String(64 * MIB)]));

    // A second pod publishing the same volume (SINGLE_NODE_WRITER allows it on one node).
    await repeat(() => h.publish(volume, capability, { pod: 1 }));
    assert.equal(mountCount(volume.targetPath(1)), 1);
    await repeat(() => h.unpublish(volume, 1));

    await repeat(() => h.unpublish(volume));
    assert.equal(mountCount(target), 0);
    await repeat(() => h.unstage(volume));
    assert.equal(mountCount(volume.stagingPath), 0);
    assert.equal(h.fabric.loopDevice(volume.nqn), undefined);
    assert.equal(h.fabric.calls.filter((c) => c.op === 'disconnect' && c.nqn === volume.nqn).length, 1);
  });

  it('block volume: every RPC repeated gives one device node and no mounts', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = blockCapability();
    const target = volume.targetPath();
    await repeat(() => h.stage(volume, capability));
    await repeat(() => h.publish(volume, capability));
    assert.ok((await stat(target)).isBlockDevice());
    assert.equal(mountCount(target), 0);
    await repeat(() => h.stats(volume, target));
    await repeat(() => h.unpublish(volume));
    await assert.rejects(stat(target), { code: 'ENOENT' });
    await repeat(() => h.unstage(volume));
    assert.equal(h.fabric.loopDevice(volume.nqn), undefined);
  });

  it('info and capabilities are stable', async () => {
    const infos = await repeat(() => h.client.node.NodeGetInfo({}));
    assert.ok(infos.every((i) => JSON.stringify(i) === JSON.stringify(infos[0])));
    const capabilities = await repeat(() => h.client.node.NodeGetCapabilities({}));
    assert.ok(capabilities.every((c) => JSON.stringify(c) === JSON.stringify(capabilities[0])));
  });

  it('honours read-only publishing and answers an incompatible repeat with ALREADY_EXISTS', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    const target = volume.targetPath();
    await h.stage(volume, capability);
    await repeat(() => h.publish(volume, capability, { readonly: true }));
    assert.equal(mountCount(target), 1);
    await assert.rejects(writeFile(join(target, 'nope'), 'x'), { code: 'EROFS' });
    assert.equal(await grpcCode(h.publish(volume, capability, { readonly: false })), 'ALREADY_EXISTS');
    assert.equal(mountCount(target), 1, 'the refused publish left no mount behind');

    assert.equal(
      await grpcCode(h.stage(volume, mountCapability('xfs'))),
      'ALREADY_EXISTS',
      'staged as ext4, xfs requested',
    );
    assert.equal(
      await grpcCode(h.stage(volume, blockCapability())),
      'ALREADY_EXISTS',
      'staged as filesystem, block requested',
    );
    assert.equal(mountCount(volume.stagingPath), 1);

    await h.unpublish(volume);
    await h.unstage(volume);
  });

  it('publishes a single-writer volume to one target at a time', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4', 'SINGLE_NODE_SINGLE_WRITER');
    await h.stage(volume, capability);
    await h.publish(volume, capability);
    assert.equal(await grpcCode(h.publish(volume, capability, { pod: 1 })), 'FAILED_PRECONDITION');
    assert.equal(mountCount(volume.targetPath(1)), 0);
    await h.unpublish(volume);
    await h.publish(volume, capability, { pod: 1 });
    await h.unpublish(volume, 1);
    await h.unstage(volume);
  });

  it('answers a concurrent second operation on the same volume with ABORTED, and mounts once', async () => {
    const volume = await h.createVolume(64 * MIB);
    const capability = mountCapability('ext4');
    const codes = await Promise.all([
      grpcCode(h.stage(volume, capability)),
      grpcCode(h.stage(volume, capability)),
    ]);
    assert.ok(codes.includes('OK'));
    assert.ok(
      codes.every((code) => code === 'OK' || code === 'ABORTED'),
      codes.join(),
    );
    await h.stage(volume, capability);
    assert.equal(mountCount(volume.stagingPath), 1);
    await h.unstage(volume);
  });

  it('unpublishes and unstages volumes it never saw', async () => {
    const volume = await h.createVolume(64 * MIB);
    assert.equal(await grpcCode(h.unpublish(volume)), 'OK');
    assert.equal(await grpcCode(h.unstage(volume)), 'OK');
    assert.equal(
      await grpcCode(h.publish(volume, mountCapability())),
      'FAILED_PRECONDITION',
      'publish before stage',
    );
    assert.equal(await grpcCode(h.stats(volume, volume.targetPath())), 'NOT_FOUND');
    assert.equal(await grpcCode(h.expand(volume, 0)), 'NOT_FOUND');
  });
});
