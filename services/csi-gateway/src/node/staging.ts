import { alreadyExists, failedPrecondition, resourceExhausted } from '@rds-csi/contracts';
import type * as csi from '@rds-csi/csi-spec';
import type { Logger } from '@rds-csi/observability';
import type { VolumeBreakers } from './breaker.js';
import type { FilesystemTools } from './filesystem.js';
import { deviceNumber, livePublishedTargets, staleUnless, type MountPoints } from './mount-points.js';
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
import { ensureDirectory } from './paths.js';
import type { VolumeState, VolumeStateStore } from './state.js';
import type { BlockDevice } from './sysfs.js';
import {
  DEFAULT_FILESYSTEM,
  FILESYSTEMS,
  parseAttachRequest,
  requirePath,
  requireVolumeId,
  type Filesystem,
  type VolumeAccess,
} from './volume-request.js';

export type MountAccess = Extract<VolumeAccess, { kind: 'mount' }>;

export interface StagingParts {
  /** `max_volumes_per_node` (0: no limit) and the NQN prefix of the driver's own volumes. */
  limits: { maxVolumesPerNode: number; managedNqnPrefix: string };
  nvme: NvmeManager;
  filesystems: FilesystemTools;
  mounts: MountPoints;
  states: VolumeStateStore;
  breakers: VolumeBreakers;
  logger: Logger;
}

/** NodeStageVolume and NodeUnstageVolume: connect, format only an empty device, mount at the staging path; undo. */
export class Staging {
  constructor(private readonly parts: StagingParts) {}

  /** Connects the volume and, for filesystem volumes, mounts it at the staging path (formatting only an empty device). */
  async stage(request: csi.NodeStageVolumeRequest): Promise<void> {
    const { nvme, states, breakers } = this.parts;
    const { volumeId, access, target } = parseAttachRequest(request, this.parts.limits.managedNqnPrefix);
    const stagingPath = requirePath(request.staging_target_path, 'staging_target_path');
    await breakers.run(volumeId, async () => {
      const previous = await states.load(volumeId);
      if (previous) checkStagedLike(previous, stagingPath, target.nqn, access);
      else await this.checkRoomForVolume();
      const device = await nvme.connect(target);
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
      await states.save(state);
      if (access.kind === 'block') return;
      const fsType = await this.ensureStagingMount(stagingPath, device, access, previous);
      await states.save({ ...state, fsType });
    });
  }

  /** Unmounts the staging path and disconnects the volume, unless anything still uses the device. */
  async unstage(request: csi.NodeUnstageVolumeRequest): Promise<void> {
    const { nvme, mounts, states, breakers, logger } = this.parts;
    const volumeId = requireVolumeId(request.volume_id);
    const stagingPath = requirePath(request.staging_target_path, 'staging_target_path');
    await breakers.run(volumeId, async () => {
      const state = await states.load(volumeId);
      if (state && state.stagingPath !== stagingPath) {
        logger.warn(
          { volumeId, stagingPath, stagedAt: state.stagingPath },
          'unstage of a path the volume is not staged at',
        );
        return;
      }
      const table = await mounts.mounter.table();
      const stagingMount = mountsAt(table, stagingPath).at(-1);
      const nqn =
        state?.nqn ?? (stagingMount ? await nvme.sysfs.nqnOfDevice(stagingMount.device) : undefined);
      const device = nqn ? await nvme.device(nqn) : undefined;
      await refuseIfInUse(state, table, stagingPath, [device, stagingMount?.device]);
      await mounts.unmountAll(stagingPath, staleUnless(state, device));
      if (device) {
        const holders = await nvme.sysfs.holders(device);
        if (holders.length > 0)
          throw failedPrecondition(`${device.name} is held by ${holders.join(', ')}; not disconnecting`);
      }
      if (nqn) await nvme.disconnect(nqn);
      await states.remove(volumeId);
    });
  }

  /**
   * Makes sure the volume's current device is mounted at the staging path. A mount of another device there is either
   * ours and stale (the device was renumbered or is gone) or someone else's (ALREADY_EXISTS). Returns the mounted
   * filesystem type.
   */
  async ensureStagingMount(
    stagingPath: string,
    device: BlockDevice,
    access: MountAccess,
    state: VolumeState | undefined,
  ): Promise<string> {
    const { filesystems, mounts } = this.parts;
    const mounted = await mounts.current(stagingPath);
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
    await mounts.mounter.mount(device.path, stagingPath, fsType, stagingMountOptions(fsType, access));
    // A volume restored or cloned into a larger size carries its source's filesystem: grow it to the device
    // (Kubernetes relies on this). At full size already, resize2fs and xfs_growfs change nothing.
    if (!access.readOnly) await filesystems.grow(fsType, device.path, stagingPath);
    return fsType;
  }

  /** The limit NodeGetInfo reports is honoured: a new volume beyond it is RESOURCE_EXHAUSTED, not connected. */
  private async checkRoomForVolume(): Promise<void> {
    const max = this.parts.limits.maxVolumesPerNode;
    if (max > 0 && (await this.parts.states.count()) >= max)
      throw resourceExhausted(`this node already has ${max} volumes staged, its max_volumes_per_node`);
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
    this.parts.logger.warn(
      { volumeId: state.volumeId, stale: formatDevice(stale), current: formatDevice(current) },
      'recovering stale mounts (device renumbered or gone)',
    );
    const onStaleDevice = (mount: MountEntry): boolean => sameDevice(mount.device, stale);
    for (const path of [...state.publishedTargets, state.stagingPath])
      await this.parts.mounts.unmountAll(path, () => true, onStaleDevice);
  }

  /** Only a device blkid definitely finds empty is formatted; an existing filesystem must be the one requested. */
  private async prepareFilesystem(device: BlockDevice, access: MountAccess): Promise<Filesystem> {
    const { filesystems, logger } = this.parts;
    const found = await filesystems.probe(device.path);
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
    logger.info({ device: device.path, fsType }, 'formatting an empty volume');
    await filesystems.format(device.path, fsType);
    return fsType;
  }
}

function checkStagedLike(
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

async function refuseIfInUse(
  state: VolumeState | undefined,
  table: readonly MountEntry[],
  stagingPath: string,
  devices: readonly (DeviceNumber | undefined)[],
): Promise<void> {
  const published = state ? await livePublishedTargets(state) : [];
  if (published[0])
    throw failedPrecondition(`volume ${state?.volumeId} is still published at ${published[0]}`);
  for (const device of devices) {
    const elsewhere = device ? mountsOfDevice(table, device).filter((m) => m.mountPoint !== stagingPath) : [];
    if (elsewhere[0])
      throw failedPrecondition(
        `${formatDevice(elsewhere[0].device)} is still mounted at ${elsewhere[0].mountPoint}`,
      );
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
