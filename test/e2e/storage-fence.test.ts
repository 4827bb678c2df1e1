/**
 * Finding 6 of issue 8, through every service: the fence does not live only in the driver's records. A node cut off
 * from the API server (NotReady past the grace) but still reaching the RDS has its attachment cleared; its host NQN
 * is then revoked at the RDS and its live connection dropped, so it can neither keep writing nor reconnect while the
 * volume is published elsewhere. The simulator enforces the allow-list on its NVMe/TCP side and the loop-device
 * fabric of each node connects as that node's host NQN, the one its node plugin put into the CSI node ID.
 */
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { endpoints } from '@rds-csi/contracts';
import { encodeNodeId, nodeConfig, nodeMode } from '@rds-csi/csi-gateway';
import type { CsiClient } from '@rds-csi/csi-spec';
import { NO_HOST_NQN } from '@rds-csi/routeros';
import { LoopNvmeFabric, waitFor } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { MiB, blockCapability, createVolume } from '../src/volumes.js';

const GRACE_MS = 1_500;

describe('the storage fence at the RDS', () => {
  let stack: E2eStack;
  let controller: CsiClient;
  let nodeA: CsiClient;
  let fabricA: LoopNvmeFabric;
  let fabricB: LoopNvmeFabric;
  let unsubscribe: (() => void) | undefined;

  before(async () => {
    stack = await E2eStack.start({ nodes: ['node-a', 'node-b'], notReadyGraceMs: GRACE_MS });
    controller = await stack.startAll();
    const fabricFor = (node: string) =>
      LoopNvmeFabric.create({
        sysfsRoot: join(stack.dir, `sys-${node}`),
        backingFile: (target, hostNqn) => stack.sim.nvmeConnect(target.nqn, hostNqn),
      });
    fabricA = await fabricFor('a');
    fabricB = await fabricFor('b');
    unsubscribe = stack.sim.onExportStopped(async (nqn) => {
      await fabricA.exportStopped(nqn);
      await fabricB.exportStopped(nqn);
    });
    const hostNqnPath = join(stack.dir, 'hostnqn-a');
    await writeFile(hostNqnPath, `${fabricA.hostNqn}\n`);
    const config = nodeConfig('node-a', {
      hostNqnPath,
      stateDir: join(stack.dir, 'node-a-state'),
      sysfsRoot: fabricA.sysfsRoot,
      connectRetries: 1,
      connectRetryDelayMs: 50,
      blkidRetryDelayMs: 50,
      timeouts: { deviceWaitMs: 1_000 },
    });
    nodeA = await stack.startNodeGateway(nodeMode({ config, deps: { fabric: fabricA } }));
  });

  after(async () => {
    unsubscribe?.();
    await stack?.dispose();
    await fabricA?.cleanup();
    await fabricB?.cleanup();
  });

  const allowList = (volumeId: string) =>
    stack.sim.disks().find((d) => d.slot === volumeId)?.nvmeTcpAllowHostName;

  it('revokes a partitioned node whose attachment was cleared: it cannot keep writing or reconnect', async () => {
    const capability = blockCapability();
    const volume = await createVolume(controller, 64 * MiB, capability);
    const id = volume.volume_id;
    const { node_id: nodeIdA } = await nodeA.node.NodeGetInfo({});
    assert.equal(nodeIdA, `node-a@${fabricA.hostNqn}`, 'the node plugin reports its host NQN in the node ID');
    const publishTo = (nodeId: string) =>
      controller.controller.ControllerPublishVolume({
        volume_id: id,
        node_id: nodeId,
        volume_capability: capability,
        volume_context: volume.volume_context,
      });
    const sent = stack.sim.commandLog.length;
    const { publish_context } = await publishTo(nodeIdA);
    assert.equal(allowList(id), fabricA.hostNqn, 'published: the export admits node-a only');
    assert.deepEqual(
      stack.sim.commandLog.slice(sent).map((line) => line.split(' ').slice(0, 3).join(' ')),
      [`/disk print detail`, `/disk print detail`, `/disk set [find`],
      'a publish costs the volume lookup, the fence lookup and one chained fence command',
    );
    const nqn = publish_context.nvme_nqn!;
    const target = { nqn, address: '127.0.0.1', port: Number(publish_context.nvme_port) };
    await assert.rejects(fabricB.connect(target), /refused/, 'another host is refused by the RDS itself');

    const staging = join(stack.dir, 'kubelet', 'staging', id);
    const targetPath = join(stack.dir, 'kubelet', 'pods', 'pod-a', id);
    await mkdir(staging, { recursive: true });
    await mkdir(join(targetPath, '..'), { recursive: true });
    const stage = () =>
      nodeA.node.NodeStageVolume({
        volume_id: id,
        staging_target_path: staging,
        volume_capability: capability,
        volume_context: volume.volume_context,
        publish_context,
      });
    await stage();
    await nodeA.node.NodePublishVolume({
      volume_id: id,
      staging_target_path: staging,
      target_path: targetPath,
      volume_capability: capability,
      volume_context: volume.volume_context,
      publish_context,
      readonly: false,
    });
    await writeAt(targetPath, 'written by node-a');
    const loopA = fabricA.loopDevice(nqn)!;
    assert.equal(backingFileOf(loopA), stack.sim.backingFileOf(id));

    // node-a loses the API server only: NotReady past the grace, while its NVMe/TCP path to the RDS stays up.
    stack.kube.setReady('node-a', false);
    await waitFor(() => allowList(id) === NO_HOST_NQN, {
      timeoutMs: 30_000,
      message: 'attachment cleared and node-a revoked at the RDS',
    });
    await assert.rejects(stack.client.request(endpoints.attachGet, { volumeId: id }), { code: 'NOT_FOUND' });
    // The allow-list is set first in the chained command; the re-export that drops connections follows it.
    await waitFor(() => fabricA.isRefused(nqn), {
      message: 'the re-export dropped node-a’s live connection',
    });
    // Its block device is gone: the loop device no longer reaches the volume (the kernel fails or queues I/O on a
    // controller that cannot reconnect; a write through the stale device node would race other tests for loop N).
    assert.notEqual(
      backingFileOf(loopA),
      stack.sim.backingFileOf(id),
      'node-a’s device no longer reaches the volume',
    );
    await assert.rejects(fabricA.connect(target), /refused/, 'node-a’s reconnects are refused');

    const nodeIdB = encodeNodeId({ nodeName: 'node-b', hostNqn: fabricB.hostNqn });
    await publishTo(nodeIdB);
    assert.equal(allowList(id), fabricB.hostNqn, 'moved: the export admits node-b only');
    await fabricB.connect(target);
    const deviceB = fabricB.loopDevice(nqn)!;
    assert.equal(
      await readAt(deviceB, 'written by node-a'.length),
      'written by node-a',
      'node-b sees the data',
    );
    await writeAt(deviceB, 'written by node-b');
    await assert.rejects(stage(), 'node-a cannot stage the volume again while node-b holds it');
    await assert.rejects(fabricA.connect(target), /refused/);
    assert.equal(await readAt(deviceB, 'written by node-b'.length), 'written by node-b');
  });

  it('admits both hosts only while an RWX block migration records both, and answers publish only once fenced', async () => {
    const capability = blockCapability('MULTI_NODE_MULTI_WRITER');
    const volume = await createVolume(controller, 64 * MiB, capability);
    const id = volume.volume_id;
    const [nodeIdA, nodeIdB] = [fabricA, fabricB].map((f, i) =>
      encodeNodeId({ nodeName: i === 0 ? 'node-c' : 'node-d', hostNqn: f.hostNqn }),
    );
    const request = (nodeId: string) => ({
      volume_id: id,
      node_id: nodeId,
      volume_capability: capability,
      volume_context: volume.volume_context,
    });
    stack.kube.addNode('node-c');
    stack.kube.addNode('node-d');
    const { publish_context } = await controller.controller.ControllerPublishVolume(request(nodeIdA!));
    const target = { nqn: publish_context.nvme_nqn!, address: '127.0.0.1', port: 4420 };
    await fabricA.connect(target);
    const sourceDevice = fabricA.loopDevice(target.nqn);

    // The RDS is unreachable: the migration target is recorded but publish does not answer OK unfenced.
    await stack.connector?.stop();
    await assert.rejects(controller.controller.ControllerPublishVolume(request(nodeIdB!)), { code: 14 });
    assert.equal(allowList(id), fabricA.hostNqn);
    await stack.startConnector();
    await waitFor(
      () =>
        controller.controller
          .ControllerPublishVolume(request(nodeIdB!))
          .then(() => true)
          .catch(() => false),
      { message: 'publish retried once the RDS is back' },
    );
    assert.equal(
      allowList(id),
      [fabricA.hostNqn, fabricB.hostNqn].sort().join(','),
      'both during the window',
    );
    assert.equal(fabricA.loopDevice(target.nqn), sourceDevice, 'admitting the target dropped nobody');
    await fabricB.connect(target);

    // The migration completes: the source is unpublished, revoked and dropped; the target keeps its device.
    const targetDevice = fabricB.loopDevice(target.nqn);
    const sent = stack.sim.commandLog.length;
    await controller.controller.ControllerUnpublishVolume({ volume_id: id, node_id: nodeIdA! });
    assert.equal(
      stack.sim.commandLog.slice(sent).filter((line) => line.includes(id)).length,
      2,
      'an unpublish costs the fence lookup and one chained command',
    );
    assert.equal(allowList(id), fabricB.hostNqn);
    assert.equal(fabricA.isRefused(target.nqn), true);
    await assert.rejects(fabricA.connect(target), /refused/);
    assert.equal(fabricB.loopDevice(target.nqn), targetDevice, 'the target reconnected to the same device');
    await controller.controller.ControllerUnpublishVolume({ volume_id: id, node_id: nodeIdB! });
    assert.equal(allowList(id), NO_HOST_NQN, 'unpublished everywhere: no host is admitted');
    await fabricA.disconnect(target.nqn);
    await fabricB.disconnect(target.nqn);
  });

  it('retries a revocation that failed while the RDS was unreachable until the cleared host is revoked', async () => {
    const capability = blockCapability();
    const volume = await createVolume(controller, 64 * MiB, capability);
    const hostNqn = 'nqn.2014-08.org.nvmexpress:uuid:eeeeeeee-0000-4000-8000-00000000000e';
    stack.kube.addNode('node-e');
    await controller.controller.ControllerPublishVolume({
      volume_id: volume.volume_id,
      node_id: encodeNodeId({ nodeName: 'node-e', hostNqn }),
      volume_capability: capability,
      volume_context: volume.volume_context,
    });
    assert.equal(allowList(volume.volume_id), hostNqn);
    await stack.connector?.stop();
    stack.kube.deleteNode('node-e');
    await waitFor(
      () =>
        stack.client
          .request(endpoints.attachGet, { volumeId: volume.volume_id })
          .then(() => false)
          .catch((err: { code?: string }) => err.code === 'NOT_FOUND'),
      { message: 'node-e’s attachment cleared while the RDS is unreachable' },
    );
    assert.equal(allowList(volume.volume_id), hostNqn, 'not revoked yet: the RDS could not be reached');
    await stack.startConnector();
    await waitFor(() => allowList(volume.volume_id) === NO_HOST_NQN, {
      timeoutMs: 30_000,
      message: 'the revocation retried once the RDS is back',
    });
  });
});

/** The file a loop device is bound to, or undefined when it is unbound. */
function backingFileOf(loopDevice: string): string | undefined {
  try {
    const out = execFileSync('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE', loopDevice], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function writeAt(path: string, text: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(text, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readAt(path: string, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, 0);
    return buffer.toString();
  } finally {
    await handle.close();
  }
}
