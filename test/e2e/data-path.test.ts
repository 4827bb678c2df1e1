/**
 * A volume's whole life through every service and a real data path: CreateVolume on the simulated RDS ->
 * ControllerPublish (reconciler) -> NodeStage/NodePublish on the gateway in node mode, whose NVMe "connect" attaches
 * the simulator's backing file as a loop device -> data written -> unpublish, unstage, stage again -> data still
 * there -> expand -> stats -> teardown and delete. Runs real blkid, mkfs, mount and resize tools as root.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { endpoints } from '@rds-csi/contracts';
import { nodeConfig, nodeMode } from '@rds-csi/csi-gateway';
import type { CsiClient, Input, VolumeCapability } from '@rds-csi/csi-spec';
import { LoopNvmeFabric } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { MiB, blockCapability, createVolume, fsCapability, publish } from '../src/volumes.js';

const NODE = 'node-a';

/** Growing a mounted ext4 needs CAP_SYS_RESOURCE, which some sandboxes withhold even from root. */
const CAP_SYS_RESOURCE = 24;
const canResizeMountedExt4 = (): boolean => {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^CapEff:\s*([0-9a-f]+)/m)?.[1] ?? '0';
  return (BigInt(`0x${line}`) >> BigInt(CAP_SYS_RESOURCE)) % 2n === 1n;
};

describe('a volume from the RDS to a pod and back', () => {
  let stack: E2eStack;
  let controller: CsiClient;
  let node: CsiClient;
  let fabric: LoopNvmeFabric;

  before(async () => {
    stack = await E2eStack.start({ nodes: [NODE] });
    controller = await stack.startAll();
    fabric = await LoopNvmeFabric.create({
      sysfsRoot: join(stack.dir, 'sys'),
      backingFile: (target) => {
        const volumeId = target.nqn.split(':')[1] ?? '';
        return stack.sim.disks().some((d) => d.slot === volumeId)
          ? stack.sim.backingFileOf(volumeId)
          : undefined;
      },
    });
    const config = nodeConfig(NODE, {
      stateDir: join(stack.dir, 'node-state'),
      sysfsRoot: fabric.sysfsRoot,
      connectRetryDelayMs: 50,
      blkidRetryDelayMs: 50,
    });
    node = await stack.startNodeGateway(nodeMode({ config, deps: { fabric } }));
  });

  after(async () => {
    await stack?.dispose();
    await fabric?.cleanup();
  });

  async function lifecycle(capability: Input<VolumeCapability>, sizeMiB: number, expandMiB: number) {
    const isBlock = 'block' in capability;
    const fsType = 'mount' in capability ? capability.mount?.fs_type : undefined;
    const volume = await createVolume(controller, sizeMiB * MiB, capability);
    const { publish_context } = await publish(controller, volume, NODE, capability);
    const id = volume.volume_id;
    const staging = join(stack.dir, 'kubelet', 'staging', id);
    const target = join(stack.dir, 'kubelet', 'pods', 'pod-1', id);
    await mkdir(staging, { recursive: true });
    await mkdir(join(target, '..'), { recursive: true });
    const stage = () =>
      node.node.NodeStageVolume({
        volume_id: id,
        staging_target_path: staging,
        volume_capability: capability,
        volume_context: volume.volume_context,
        publish_context,
      });
    const nodePublish = () =>
      node.node.NodePublishVolume({
        volume_id: id,
        staging_target_path: staging,
        target_path: target,
        volume_capability: capability,
        volume_context: volume.volume_context,
        publish_context,
        readonly: false,
      });
    const teardown = async () => {
      await node.node.NodeUnpublishVolume({ volume_id: id, target_path: target });
      await node.node.NodeUnstageVolume({ volume_id: id, staging_target_path: staging });
    };

    await stage();
    await nodePublish();
    const payload = `written through ${id}`;
    if (isBlock) {
      const device = await open(target, 'r+');
      await device.write(payload, 0);
      await device.close();
    } else {
      await writeFile(join(target, 'data.txt'), payload);
    }
    await teardown();
    assert.deepEqual(fabric.connectedNqns(), [], 'disconnected after unstage');

    await stage();
    await nodePublish();
    if (isBlock) {
      const device = await open(target, 'r');
      const { buffer } = await device.read(Buffer.alloc(payload.length), 0, payload.length, 0);
      await device.close();
      assert.equal(buffer.toString(), payload);
    } else {
      assert.equal(await readFile(join(target, 'data.txt'), 'utf8'), payload, 'data survived unstage/stage');
    }

    const expanded = await controller.controller.ControllerExpandVolume({
      volume_id: id,
      capacity_range: { required_bytes: expandMiB * MiB },
      volume_capability: capability,
    });
    assert.equal(Number(expanded.capacity_bytes), expandMiB * MiB);
    assert.equal(expanded.node_expansion_required, !isBlock);
    const nodeExpand = node.node.NodeExpandVolume({
      volume_id: id,
      volume_path: target,
      staging_target_path: staging,
      capacity_range: { required_bytes: expandMiB * MiB },
      volume_capability: capability,
    });
    const grows = !(fsType === 'ext4' && !canResizeMountedExt4());
    if (!grows) {
      // The kernel refuses online ext4 growth here; the error must say so instead of pretending.
      await assert.rejects(
        nodeExpand,
        (err: { code?: number; details?: string }) => err.code === 13 && /resize2fs/.test(err.details ?? ''),
      );
    } else {
      const nodeExpanded = await nodeExpand;
      assert.ok(Number(nodeExpanded.capacity_bytes) >= expandMiB * MiB * 0.9, `grown to ~${expandMiB} MiB`);
    }

    const stats = await node.node.NodeGetVolumeStats({
      volume_id: id,
      volume_path: target,
      staging_target_path: staging,
    });
    const bytes = stats.usage.find((u) => u.unit === 'BYTES');
    // A filesystem spends some of its device on metadata; once grown, it is larger than the device was.
    assert.ok(
      Number(bytes?.total) > (grows ? sizeMiB * MiB : (sizeMiB * MiB) / 2),
      `stats report the size: ${bytes?.total}`,
    );
    assert.equal(stats.volume_condition?.abnormal, false);

    await teardown();
    await controller.controller.ControllerUnpublishVolume({ volume_id: id, node_id: NODE });
    await assert.rejects(stack.client.request(endpoints.attachGet, { volumeId: id }), { code: 'NOT_FOUND' });
    await controller.controller.DeleteVolume({ volume_id: id });
    assert.equal(
      stack.sim.disks().some((d) => d.slot === id),
      false,
    );
  }

  it('ext4', () => lifecycle(fsCapability('ext4'), 64, 96));
  it('xfs', () => lifecycle(fsCapability('xfs'), 320, 400));
  it('raw block', () => lifecycle(blockCapability(), 64, 96));
});
