import { statfs } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { failedPrecondition, invalidArgument, notFound, unavailable } from '@rds-csi/contracts';
import type * as csi from '@rds-csi/csi-spec';
import type { VolumeBreakers } from './breaker.js';
import type { FilesystemTools } from './filesystem.js';
import type { MountPoints } from './mount-points.js';
import { formatDevice, sameDevice, type DeviceNumber } from './mountinfo.js';
import type { NvmeManager } from './nvme.js';
import { inspectPath } from './paths.js';
import { publishedVolume } from './published-volume.js';
import type { VolumeState, VolumeStateStore } from './state.js';
import type { BlockDevice } from './sysfs.js';

const SIZE_POLL_MS = 200;

const healthy: csi.VolumeCondition = { abnormal: false, message: '' };
const abnormal = (message: string): csi.VolumeCondition => ({ abnormal: true, message });

export interface VolumeStatsParts {
  /** How long a rescanned device may take to show its new size. */
  deviceWaitMs: number;
  nvme: NvmeManager;
  filesystems: FilesystemTools;
  mounts: MountPoints;
  states: VolumeStateStore;
  breakers: VolumeBreakers;
}

/** NodeGetVolumeStats and NodeExpandVolume: what a published volume holds and how healthy it is; growing it. */
export class VolumeStats {
  constructor(private readonly parts: VolumeStatsParts) {}

  async stats(request: csi.NodeGetVolumeStatsRequest): Promise<csi.Input<csi.NodeGetVolumeStatsResponse>> {
    const { nvme, mounts, states } = this.parts;
    const volumeId = request.volume_id;
    const volumePath = request.volume_path;
    const state = await publishedVolume(states, volumeId, volumePath, 'volume_path');
    const at = await inspectPath(volumePath);
    const device = await nvme.device(state.nqn);
    if (at.kind === 'block') {
      const usage: csi.Input<csi.VolumeUsage>[] = device
        ? [{ unit: 'BYTES', total: await nvme.sysfs.sizeBytes(device) }]
        : [];
      return { usage, volume_condition: await this.condition(state, device, at.device, false) };
    }
    if (at.kind !== 'directory') throw notFound(`volume ${volumeId} is not at ${volumePath}`);
    const mounted = await mounts.current(volumePath);
    if (!mounted) return { usage: [], volume_condition: abnormal(`nothing is mounted at ${volumePath}`) };
    const fs = await statfs(volumePath, { bigint: true });
    const usage: csi.VolumeUsage[] = [
      {
        unit: 'BYTES',
        total: `${fs.blocks * fs.bsize}`,
        available: `${fs.bavail * fs.bsize}`,
        used: `${(fs.blocks - fs.bfree) * fs.bsize}`,
      },
      { unit: 'INODES', total: `${fs.files}`, available: `${fs.ffree}`, used: `${fs.files - fs.ffree}` },
    ];
    const condition = await this.condition(
      state,
      device,
      mounted.device,
      mounted.superOptions.includes('ro'),
    );
    return { usage, volume_condition: condition };
  }

  /** Rescans the device and grows the filesystem to it; returns the device size in bytes. */
  async expand(request: csi.NodeExpandVolumeRequest): Promise<number> {
    const { nvme, filesystems, mounts, states, breakers } = this.parts;
    const { volume_id: volumeId, volume_path: volumePath } = request;
    const requiredBytes = parseRequiredBytes(request.capacity_range);
    return breakers.run(volumeId, async () => {
      const state = await publishedVolume(states, volumeId, volumePath, 'volume_path');
      if ((await inspectPath(volumePath)).kind === 'missing') throw notFound(`${volumePath} does not exist`);
      if (!(await nvme.device(state.nqn))) throw unavailable(`the NVMe device of ${state.nqn} is gone`);
      await nvme.rescan(state.nqn);
      const { device, size } = await this.waitForSize(state.nqn, requiredBytes);
      if (state.kind === 'mount') {
        const mounted = await mounts.current(state.stagingPath);
        if (!mounted || !sameDevice(mounted.device, device)) {
          throw failedPrecondition(
            `the staging mount of ${volumeId} is missing or stale; publish the volume again first`,
          );
        }
        await filesystems.grow(mounted.fsType, device.path, state.stagingPath);
      }
      return size;
    });
  }

  private async condition(
    state: VolumeState,
    device: BlockDevice | undefined,
    inUse: DeviceNumber,
    filesystemReadOnly: boolean,
  ): Promise<csi.VolumeCondition> {
    if (!device) return abnormal(`the NVMe device of ${state.nqn} is gone`);
    if (!sameDevice(inUse, device)) {
      return abnormal(
        `the volume uses device ${formatDevice(inUse)}, but ${state.nqn} is now ${device.name} (${formatDevice(device)}): renumbered`,
      );
    }
    if (await this.parts.nvme.sysfs.isReadOnly(device)) return abnormal(`${device.name} is read-only`);
    if (filesystemReadOnly && !state.readOnly)
      return abnormal('the filesystem is read-only (remounted after errors?)');
    return healthy;
  }

  private async waitForSize(
    nqn: string,
    requiredBytes: number,
  ): Promise<{ device: BlockDevice; size: number }> {
    const { nvme } = this.parts;
    const deadline = Date.now() + this.parts.deviceWaitMs;
    for (;;) {
      const device = await nvme.device(nqn);
      if (!device) throw unavailable(`the NVMe device of ${nqn} is gone`);
      const size = await nvme.sysfs.sizeBytes(device);
      if (size >= requiredBytes) return { device, size };
      if (Date.now() >= deadline)
        throw unavailable(
          `${device.name} is ${size} bytes after a rescan, expected at least ${requiredBytes}`,
        );
      await sleep(SIZE_POLL_MS);
    }
  }
}

function parseRequiredBytes(range: csi.CapacityRange | null): number {
  const value = BigInt(range?.required_bytes ?? '0');
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalidArgument('capacity_range.required_bytes is out of range');
  return Number(value);
}
