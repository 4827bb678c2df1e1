import { alreadyExists, failedPrecondition } from '@rds-csi/contracts';
import type * as csi from '@rds-csi/csi-spec';
import type { Logger } from '@rds-csi/observability';
import { dirname } from 'node:path';
import type { VolumeBreakers } from './breaker.js';
import { deviceNumber, livePublishedTargets, staleUnless, type MountPoints } from './mount-points.js';
import { formatDevice, isReadOnlyMount, sameDevice } from './mountinfo.js';
import type { NvmeManager } from './nvme.js';
import { ensureDirectory, inspectPath, removeTarget } from './paths.js';
import type { Staging } from './staging.js';
import type { VolumeState, VolumeStateStore } from './state.js';
import type { BlockDevice } from './sysfs.js';
import { parseAttachRequest, requirePath, requireVolumeId, type VolumeAccess } from './volume-request.js';

export interface PublishingParts {
  managedNqnPrefix: string;
  nvme: NvmeManager;
  mounts: MountPoints;
  states: VolumeStateStore;
  breakers: VolumeBreakers;
  logger: Logger;
  /** Publish re-establishes a stale staging mount before binding it. */
  staging: Pick<Staging, 'ensureStagingMount'>;
}

/** NodePublishVolume and NodeUnpublishVolume: bind the staging mount, or make a device node, at a pod's target. */
export class Publishing {
  constructor(private readonly parts: PublishingParts) {}

  async publish(request: csi.NodePublishVolumeRequest): Promise<void> {
    const { nvme, states, breakers, staging } = this.parts;
    const { volumeId, access, target } = parseAttachRequest(request, this.parts.managedNqnPrefix);
    const targetPath = requirePath(request.target_path, 'target_path');
    if (!request.staging_target_path) {
      throw failedPrecondition('staging_target_path is required: this plugin stages volumes');
    }
    const stagingPath = requirePath(request.staging_target_path, 'staging_target_path');
    const readOnly = request.readonly || access.readOnly;
    await breakers.run(volumeId, async () => {
      const state = await states.load(volumeId);
      if (!state || state.stagingPath !== stagingPath)
        throw failedPrecondition(`volume ${volumeId} is not staged at ${stagingPath}`);
      if (state.nqn !== target.nqn)
        throw failedPrecondition(`volume ${volumeId} was staged from ${state.nqn}, not ${target.nqn}`);
      if (state.kind !== access.kind)
        throw failedPrecondition(`volume ${volumeId} is staged as a ${state.kind} volume`);
      const owned = state.publishedTargets.includes(targetPath);
      await checkSingleWriter(state, access, readOnly, targetPath);
      const device = await nvme.connect(target);
      if (access.kind === 'mount') {
        state.fsType = await staging.ensureStagingMount(stagingPath, device, access, state);
        await this.publishMount(targetPath, stagingPath, device, readOnly, owned);
      } else {
        await this.publishBlock(targetPath, device, readOnly, owned);
      }
      const others = (await livePublishedTargets(state)).filter((t) => t !== targetPath);
      await states.save({
        ...state,
        device: deviceNumber(device),
        publishedTargets: [...others, targetPath],
      });
    });
  }

  async unpublish(request: csi.NodeUnpublishVolumeRequest): Promise<void> {
    const { nvme, mounts, states, breakers } = this.parts;
    const volumeId = requireVolumeId(request.volume_id);
    const targetPath = requirePath(request.target_path, 'target_path');
    await breakers.run(volumeId, async () => {
      const state = await states.load(volumeId);
      const device = state ? await nvme.device(state.nqn) : undefined;
      await mounts.unmountAll(targetPath, staleUnless(state, device));
      await removeTarget(targetPath);
      if (state?.publishedTargets.includes(targetPath)) {
        await states.save({
          ...state,
          publishedTargets: state.publishedTargets.filter((t) => t !== targetPath),
        });
      }
    });
  }

  private async publishMount(
    targetPath: string,
    stagingPath: string,
    device: BlockDevice,
    readOnly: boolean,
    owned: boolean,
  ): Promise<void> {
    const { mounts, logger } = this.parts;
    const mounted = await mounts.current(targetPath);
    if (mounted && sameDevice(mounted.device, device)) {
      if (isReadOnlyMount(mounted) !== readOnly) {
        throw alreadyExists(`${targetPath} is already published ${readOnly ? 'read-write' : 'read-only'}`);
      }
      return;
    }
    if (mounted) {
      if (!owned)
        throw alreadyExists(`${targetPath} has another device (${formatDevice(mounted.device)}) mounted`);
      logger.warn(
        { targetPath, stale: formatDevice(mounted.device), current: formatDevice(device) },
        'recovering a stale publish mount',
      );
      await mounts.unmountAll(targetPath, () => true);
    }
    await ensureDirectory(targetPath);
    await mounts.mounter.bind(stagingPath, targetPath, readOnly);
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
    const { mounts } = this.parts;
    if (await mounts.current(targetPath)) {
      if (!owned) throw alreadyExists(`something is mounted at ${targetPath}`);
      await mounts.unmountAll(targetPath, () => true);
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
    await mounts.mounter.makeBlockNode(targetPath, device, readOnly);
  }
}

async function checkSingleWriter(
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
