import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  alreadyExists,
  failedPrecondition,
  internalError,
  invalidArgument,
  notFound,
  resourceExhausted,
  unavailable,
} from '@rds-csi/contracts';
import type * as csi from '@rds-csi/csi-spec';
import type { Logger } from '@rds-csi/observability';
import { TOPOLOGY_ZONE_KEY } from '../config.js';
import type { VolumeBreakers } from './breaker.js';
import type { NodeConfig } from './config.js';
import type { FilesystemTools } from './filesystem.js';
import type { Mounter } from './mounter.js';
import {
  formatDevice,
  isReadOnlyMount,
  mountsAt,
  mountsOfDevice,
  sameDevice,
  type DeviceNumber,
  type MountEntry,
} from './mountinfo.js';
import type { NvmeManager } from './nvme.js';
import { publishedVolume } from './published-volume.js';
import { ensureDirectory, inspectPath, removeTarget } from './paths.js';
import type { VolumeState, VolumeStateStore } from './state.js';
import type { BlockDevice } from './sysfs.js';
import {
  DEFAULT_FILESYSTEM,
  FILESYSTEMS,
  parseNvmeTarget,
  parseVolumeAccess,
  requirePath,
  requireVolumeId,
  type Filesystem,
  type NvmeTarget,
  type VolumeAccess,
} from './volume-request.js';

export interface NodeComponents {
  config: NodeConfig;
  nvme: NvmeManager;
  filesystems: FilesystemTools;
  mounter: Mounter;
  states: VolumeStateStore;
  breakers: VolumeBreakers;
  logger: Logger;
}

type MountAccess = Extract<VolumeAccess, { kind: 'mount' }>;

export const NODE_CAPABILITIES: readonly csi.NodeRpcType[] = [
  'STAGE_UNSTAGE_VOLUME',
  'EXPAND_VOLUME',
  'GET_VOLUME_STATS',
  'VOLUME_CONDITION',
  'SINGLE_NODE_MULTI_WRITER',
];

/** Stacked mounts at one path are a bug somewhere; unmounting stops after this many rather than loop forever. */
const MAX_STACKED_MOUNTS = 8;
const SIZE_POLL_MS = 200;

const deviceNumber = (device: DeviceNumber): DeviceNumber => ({ major: device.major, minor: device.minor });
const healthy: csi.VolumeCondition = { abnormal: false, message: '' };
const abnormal = (message: string): csi.VolumeCondition => ({ abnormal: true, message });

/** Recorded publish targets that still exist (the kubelet may have removed a pod directory without unpublishing). */
async function livePublishedTargets(state: VolumeState): Promise<string[]> {
  const live: string[] = [];
  for (const target of state.publishedTargets)
    if ((await inspectPath(target)).kind !== 'missing') live.push(target);
  return live;
}

function parseRequiredBytes(range: csi.CapacityRange | null): number {
  const value = BigInt(range?.required_bytes ?? '0');
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalidArgument('capacity_range.required_bytes is out of range');
  return Number(value);
}

/** The CSI Node service: NVMe/TCP attach, format, mount and block device publishing on this node. */
export class NodeService {
  private readonly config: NodeConfig;
  private readonly nvme: NvmeManager;
  private readonly filesystems: FilesystemTools;
  private readonly mounter: Mounter;
  private readonly states: VolumeStateStore;
  private readonly breakers: VolumeBreakers;
  private readonly logger: Logger;

  constructor(components: NodeComponents) {
    ({
      config: this.config,
      nvme: this.nvme,
      filesystems: this.filesystems,
      mounter: this.mounter,
      states: this.states,
      breakers: this.breakers,
      logger: this.logger,
    } = components);
  }

  getInfo(): csi.Input<csi.NodeGetInfoResponse> {
    return {
      node_id: this.config.nodeId,
      max_volumes_per_node: this.config.maxVolumesPerNode,
      accessible_topology: { segments: { [TOPOLOGY_ZONE_KEY]: this.config.topologyZone } },
    };
  }

  getCapabilities(): csi.NodeGetCapabilitiesResponse {
    return { capabilities: NODE_CAPABILITIES.map((type) => ({ rpc: { type } })) };
  }

  /** Connects the volume and, for filesystem volumes, mounts it at the staging path (formatting only an empty device). */
  async stage(request: csi.NodeStageVolumeRequest): Promise<void> {
    const { volumeId, access, target } = this.attachRequest(request);
    const stagingPath = requirePath(request.staging_target_path, 'staging_target_path');
    await this.breakers.run(volumeId, async () => {
      const previous = await this.states.load(volumeId);
      if (previous) this.checkStagedLike(previous, stagingPath, target.nqn, access);
      else await this.checkRoomForVolume();
      const device = await this.nvme.connect(target);
      // Recorded before anything else, so an unstage after a failure below still knows what to disconnect.
      const state: VolumeState = {
        volumeId,
        nqn: target.nqn,
        stagingPath,
        kind: access.kind,
        readOnly: access.readOnly,
        fsType: previous?.fsType,
        device: deviceNumber(device),
        publishedTargets: previous?.publishedTargets ?? [],
      };
      await this.states.save(state);
      if (access.kind === 'block') return;
      const fsType = await this.ensureStagingMount(stagingPath, device, access, previous);
      await this.states.save({ ...state, fsType });
    });
  }

  async publish(request: csi.NodePublishVolumeRequest): Promise<void> {
    const { volumeId, access, target } = this.attachRequest(request);
    const targetPath = requirePath(request.target_path, 'target_path');
    if (!request.staging_target_path) {
      throw failedPrecondition('staging_target_path is required: this plugin stages volumes');
    }
    const stagingPath = requirePath(request.staging_target_path, 'staging_target_path');
    const readOnly = request.readonly || access.readOnly;
    await this.breakers.run(volumeId, async () => {
      const state = await this.states.load(volumeId);
      if (!state || state.stagingPath !== stagingPath)
        throw failedPrecondition(`volume ${volumeId} is not staged at ${stagingPath}`);
      if (state.nqn !== target.nqn)
        throw failedPrecondition(`volume ${volumeId} was staged from ${state.nqn}, not ${target.nqn}`);
      if (state.kind !== access.kind)
        throw failedPrecondition(`volume ${volumeId} is staged as a ${state.kind} volume`);
      const owned = state.publishedTargets.includes(targetPath);
      await this.checkSingleWriter(state, access, readOnly, targetPath);
      const device = await this.nvme.connect(target);
      if (access.kind === 'mount') {
        state.fsType = await this.ensureStagingMount(stagingPath, device, access, state);
        await this.publishMount(targetPath, stagingPath, device, readOnly, owned);
      } else {
        await this.publishBlock(targetPath, device, readOnly, owned);
      }
      const others = (await livePublishedTargets(state)).filter((t) => t !== targetPath);
      await this.states.save({
        ...state,
        device: deviceNumber(device),
        publishedTargets: [...others, targetPath],
      });
    });
  }

  async unpublish(request: csi.NodeUnpublishVolumeRequest): Promise<void> {
    const volumeId = requireVolumeId(request.volume_id);
    const targetPath = requirePath(request.target_path, 'target_path');
    await this.breakers.run(volumeId, async () => {
      const state = await this.states.load(volumeId);
      const device = state ? await this.nvme.device(state.nqn) : undefined;
      await this.unmountAll(targetPath, this.staleUnless(state, device));
      await removeTarget(targetPath);
      if (state?.publishedTargets.includes(targetPath)) {
        await this.states.save({
          ...state,
          publishedTargets: state.publishedTargets.filter((t) => t !== targetPath),
        });
      }
    });
  }

  /** Unmounts the staging path and disconnects the volume, unless anything still uses the device. */
  async unstage(request: csi.NodeUnstageVolumeRequest): Promise<void> {
    const volumeId = requireVolumeId(request.volume_id);
    const stagingPath = requirePath(request.staging_target_path, 'staging_target_path');
    await this.breakers.run(volumeId, async () => {
      const state = await this.states.load(volumeId);
      if (state && state.stagingPath !== stagingPath) {
        this.logger.warn(
          { volumeId, stagingPath, stagedAt: state.stagingPath },
          'unstage of a path the volume is not staged at',
        );
        return;
      }
      const table = await this.mounter.table();
      const stagingMount = mountsAt(table, stagingPath).at(-1);
      const nqn =
        state?.nqn ?? (stagingMount ? await this.nvme.sysfs.nqnOfDevice(stagingMount.device) : undefined);
      const device = nqn ? await this.nvme.device(nqn) : undefined;
      await this.refuseIfInUse(state, table, stagingPath, [device, stagingMount?.device]);
      await this.unmountAll(stagingPath, this.staleUnless(state, device));
      if (device) {
        const holders = await this.nvme.sysfs.holders(device);
        if (holders.length > 0)
          throw failedPrecondition(`${device.name} is held by ${holders.join(', ')}; not disconnecting`);
      }
      if (nqn) await this.nvme.disconnect(nqn);
      await this.states.remove(volumeId);
    });
  }

  async stats(request: csi.NodeGetVolumeStatsRequest): Promise<csi.Input<csi.NodeGetVolumeStatsResponse>> {
    const volumeId = request.volume_id;
    const volumePath = request.volume_path;
    const state = await publishedVolume(this.states, volumeId, volumePath, 'volume_path');
    const at = await inspectPath(volumePath);
    const device = await this.nvme.device(state.nqn);
    if (at.kind === 'block') {
      const usage: csi.Input<csi.VolumeUsage>[] = device
        ? [{ unit: 'BYTES', total: await this.nvme.sysfs.sizeBytes(device) }]
        : [];
      return { usage, volume_condition: await this.condition(state, device, at.device, false) };
    }
    if (at.kind !== 'directory') throw notFound(`volume ${volumeId} is not at ${volumePath}`);
    const mounted = await this.currentMount(volumePath);
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
    const { volume_id: volumeId, volume_path: volumePath } = request;
    const requiredBytes = parseRequiredBytes(request.capacity_range);
    return this.breakers.run(volumeId, async () => {
      const state = await publishedVolume(this.states, volumeId, volumePath, 'volume_path');
      if ((await inspectPath(volumePath)).kind === 'missing') throw notFound(`${volumePath} does not exist`);
      if (!(await this.nvme.device(state.nqn))) throw unavailable(`the NVMe device of ${state.nqn} is gone`);
      await this.nvme.rescan(state.nqn);
      const { device, size } = await this.waitForSize(state.nqn, requiredBytes);
      if (state.kind === 'mount') {
        const mounted = await this.currentMount(state.stagingPath);
        if (!mounted || !sameDevice(mounted.device, device)) {
          throw failedPrecondition(
            `the staging mount of ${volumeId} is missing or stale; publish the volume again first`,
          );
        }
        await this.filesystems.grow(mounted.fsType, device.path, state.stagingPath);
      }
      return size;
    });
  }

  // ---------------------------------------------------------------- staging

  /** The limit NodeGetInfo reports is honoured: a new volume beyond it is RESOURCE_EXHAUSTED, not connected. */
  private async checkRoomForVolume(): Promise<void> {
    const max = this.config.maxVolumesPerNode;
    if (max > 0 && (await this.states.count()) >= max)
      throw resourceExhausted(`this node already has ${max} volumes staged, its max_volumes_per_node`);
  }

  /** What stage and publish both validate: the volume, how it is accessed and where its NVMe/TCP target is. */
  private attachRequest(request: csi.NodeStageVolumeRequest | csi.NodePublishVolumeRequest): {
    volumeId: string;
    access: VolumeAccess;
    target: NvmeTarget;
  } {
    const { volume_capability: capability, volume_context: context, publish_context: published } = request;
    return {
      volumeId: requireVolumeId(request.volume_id),
      access: parseVolumeAccess(capability, context, published),
      target: parseNvmeTarget(context, published, this.config.managedNqnPrefix),
    };
  }

  private checkStagedLike(
    previous: VolumeState,
    stagingPath: string,
    nqn: string,
    access: VolumeAccess,
  ): void {
    if (previous.stagingPath !== stagingPath) {
      throw failedPrecondition(`volume ${previous.volumeId} is already staged at ${previous.stagingPath}`);
    }
    if (previous.nqn !== nqn)
      throw failedPrecondition(`volume ${previous.volumeId} is staged from ${previous.nqn}, not ${nqn}`);
    if (previous.kind !== access.kind || previous.readOnly !== access.readOnly) {
      throw alreadyExists(
        `volume ${previous.volumeId} is staged with a different capability (${previous.kind}${previous.readOnly ? ', read-only' : ''})`,
      );
    }
  }

  /**
   * Makes sure the volume's current device is mounted at the staging path. A mount of another device there is either
   * ours and stale (the device was renumbered or is gone) or someone else's (ALREADY_EXISTS). Returns the mounted
   * filesystem type.
   */
  private async ensureStagingMount(
    stagingPath: string,
    device: BlockDevice,
    access: MountAccess,
    state: VolumeState | undefined,
  ): Promise<string> {
    const mounted = await this.currentMount(stagingPath);
    if (mounted && sameDevice(mounted.device, device)) {
      if (access.fsType && mounted.fsType !== access.fsType) {
        throw alreadyExists(`${stagingPath} has ${mounted.fsType} mounted, ${access.fsType} was requested`);
      }
      if (isReadOnlyMount(mounted) !== access.readOnly)
        throw alreadyExists(`${stagingPath} is mounted with other access`);
      return mounted.fsType;
    }
    if (mounted) {
      if (!state)
        throw alreadyExists(`${stagingPath} has another device (${formatDevice(mounted.device)}) mounted`);
      await this.releaseStaleMounts(state, mounted.device, device);
    }
    await ensureDirectory(stagingPath);
    const fsType = await this.prepareFilesystem(device, access);
    await this.mounter.mount(device.path, stagingPath, fsType, stagingMountOptions(fsType, access));
    // A volume restored or cloned into a larger size carries its source's filesystem: grow it to the device
    // (Kubernetes relies on this). At full size already, resize2fs and xfs_growfs change nothing.
    if (!access.readOnly) await this.filesystems.grow(fsType, device.path, stagingPath);
    return fsType;
  }

  /**
   * Detaches every mount of the volume (its publish targets, then its staging path) that is still on the stale
   * device, lazily so nothing waits on a dead device. All of them go before the new device is mounted, so one
   * filesystem is never live on two devices at once. Pods still running on a stale mount keep their own (dead) copy
   * until they restart; their next NodePublish then binds the recovered staging mount.
   */
  private async releaseStaleMounts(
    state: VolumeState,
    stale: DeviceNumber,
    current: DeviceNumber,
  ): Promise<void> {
    this.logger.warn(
      { volumeId: state.volumeId, stale: formatDevice(stale), current: formatDevice(current) },
      'recovering stale mounts (device renumbered or gone)',
    );
    const onStaleDevice = (mount: MountEntry): boolean => sameDevice(mount.device, stale);
    for (const path of [...state.publishedTargets, state.stagingPath])
      await this.unmountAll(path, () => true, onStaleDevice);
  }

  /** Only a device blkid definitely finds empty is formatted; an existing filesystem must be the one requested. */
  private async prepareFilesystem(device: BlockDevice, access: MountAccess): Promise<Filesystem> {
    const found = await this.filesystems.probe(device.path);
    if (found.kind === 'filesystem') {
      const existing = FILESYSTEMS.find((fs) => fs === found.type);
      if (!existing) throw failedPrecondition(`${device.path} holds an unsupported ${found.type} filesystem`);
      if (access.fsType && existing !== access.fsType) {
        throw failedPrecondition(
          `${device.path} holds ${existing}, ${access.fsType} was requested; it is not reformatted`,
        );
      }
      return existing;
    }
    if (access.readOnly)
      throw failedPrecondition(`${device.path} has no filesystem and the volume is read-only`);
    const fsType = access.fsType ?? DEFAULT_FILESYSTEM;
    this.logger.info({ device: device.path, fsType }, 'formatting an empty volume');
    await this.filesystems.format(device.path, fsType);
    return fsType;
  }

  // ---------------------------------------------------------------- publishing

  private async checkSingleWriter(
    state: VolumeState,
    access: VolumeAccess,
    readOnly: boolean,
    targetPath: string,
  ): Promise<void> {
    if (access.mode !== 'SINGLE_NODE_SINGLE_WRITER' || readOnly) return;
    const other = (await livePublishedTargets(state)).find((target) => target !== targetPath);
    if (other)
      throw failedPrecondition(`volume ${state.volumeId} is single-writer and already published at ${other}`);
  }

  private async publishMount(
    targetPath: string,
    stagingPath: string,
    device: BlockDevice,
    readOnly: boolean,
    owned: boolean,
  ): Promise<void> {
    const mounted = await this.currentMount(targetPath);
    if (mounted && sameDevice(mounted.device, device)) {
      if (isReadOnlyMount(mounted) !== readOnly) {
        throw alreadyExists(`${targetPath} is already published ${readOnly ? 'read-write' : 'read-only'}`);
      }
      return;
    }
    if (mounted) {
      if (!owned)
        throw alreadyExists(`${targetPath} has another device (${formatDevice(mounted.device)}) mounted`);
      this.logger.warn(
        { targetPath, stale: formatDevice(mounted.device), current: formatDevice(device) },
        'recovering a stale publish mount',
      );
      await this.unmountAll(targetPath, () => true);
    }
    await ensureDirectory(targetPath);
    await this.mounter.bind(stagingPath, targetPath, readOnly);
  }

  /**
   * Publishes a block volume as a device node of its own (never a bind mount of the devtmpfs node, which would pin a
   * device that may be renumbered). A node with stale numbers is replaced.
   */
  private async publishBlock(
    targetPath: string,
    device: BlockDevice,
    readOnly: boolean,
    owned: boolean,
  ): Promise<void> {
    if (await this.currentMount(targetPath)) {
      if (!owned) throw alreadyExists(`something is mounted at ${targetPath}`);
      await this.unmountAll(targetPath, () => true);
    }
    const existing = await inspectPath(targetPath);
    if (existing.kind === 'block' && sameDevice(existing.device, device)) {
      const writable = (existing.mode & 0o222) !== 0;
      if (writable === readOnly) throw alreadyExists(`${targetPath} is already published with other access`);
      return;
    }
    if (existing.kind === 'block' && !owned)
      throw alreadyExists(`${targetPath} is another device node (${formatDevice(existing.device)})`);
    if (existing.kind !== 'missing') await removeTarget(targetPath);
    await ensureDirectory(dirname(targetPath));
    await this.mounter.makeBlockNode(targetPath, device, readOnly);
  }

  // ---------------------------------------------------------------- unstaging

  private async refuseIfInUse(
    state: VolumeState | undefined,
    table: readonly MountEntry[],
    stagingPath: string,
    devices: readonly (DeviceNumber | undefined)[],
  ): Promise<void> {
    const published = state ? await livePublishedTargets(state) : [];
    if (published[0])
      throw failedPrecondition(`volume ${state?.volumeId} is still published at ${published[0]}`);
    for (const device of devices) {
      const elsewhere = device
        ? mountsOfDevice(table, device).filter((m) => m.mountPoint !== stagingPath)
        : [];
      if (elsewhere[0])
        throw failedPrecondition(
          `${formatDevice(elsewhere[0].device)} is still mounted at ${elsewhere[0].mountPoint}`,
        );
    }
  }

  // ---------------------------------------------------------------- shared

  private async currentMount(path: string): Promise<MountEntry | undefined> {
    return mountsAt(await this.mounter.table(), path).at(-1);
  }

  /**
   * A mount of a known volume is stale when it is not on the volume's current device (renumbered, or gone). Mounts
   * of unknown volumes are never treated as stale: unmounting them lazily could cut off processes still using them.
   */
  private staleUnless(
    state: VolumeState | undefined,
    device: DeviceNumber | undefined,
  ): (mount: MountEntry) => boolean {
    return (mount) => state !== undefined && (device === undefined || !sameDevice(mount.device, device));
  }

  /**
   * Unmounts what is mounted at `path` (one mount at most, unless something stacked more), stopping at a mount that
   * `only` rejects; `lazy` picks the mounts to detach lazily.
   */
  private async unmountAll(
    path: string,
    lazy: (mount: MountEntry) => boolean,
    only: (mount: MountEntry) => boolean = () => true,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_STACKED_MOUNTS; attempt++) {
      const mounted = await this.currentMount(path);
      if (!mounted || !only(mounted)) return;
      await this.mounter.unmount(path, lazy(mounted));
    }
    throw internalError(`${path} still has mounts after ${MAX_STACKED_MOUNTS} unmounts`);
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
    if (await this.nvme.sysfs.isReadOnly(device)) return abnormal(`${device.name} is read-only`);
    if (filesystemReadOnly && !state.readOnly)
      return abnormal('the filesystem is read-only (remounted after errors?)');
    return healthy;
  }

  private async waitForSize(
    nqn: string,
    requiredBytes: number,
  ): Promise<{ device: BlockDevice; size: number }> {
    const deadline = Date.now() + this.config.timeouts.deviceWaitMs;
    for (;;) {
      const device = await this.nvme.device(nqn);
      if (!device) throw unavailable(`the NVMe device of ${nqn} is gone`);
      const size = await this.nvme.sysfs.sizeBytes(device);
      if (size >= requiredBytes) return { device, size };
      if (Date.now() >= deadline)
        throw unavailable(
          `${device.name} is ${size} bytes after a rescan, expected at least ${requiredBytes}`,
        );
      await sleep(SIZE_POLL_MS);
    }
  }
}

/** The options a staging mount gets: the validated flags, "ro" for read-only access, and for xfs "nouuid" (clones
 * and restored snapshots share their source's UUID, and xfs refuses to mount a second filesystem with the same one). */
export function stagingMountOptions(fsType: Filesystem, access: MountAccess): string[] {
  const options = [...access.mountFlags];
  if (access.readOnly) options.push('ro');
  if (fsType === 'xfs') options.push('nouuid');
  return [...new Set(options)];
}
