import { internalError } from '@rds-csi/contracts';
import type { Mounter } from './mounter.js';
import { mountsAt, sameDevice, type DeviceNumber, type MountEntry } from './mountinfo.js';
import { inspectPath } from './paths.js';
import type { VolumeState } from './state.js';

/** Stacked mounts at one path are a bug somewhere; unmounting stops after this many rather than loop forever. */
const MAX_STACKED_MOUNTS = 8;

/** What the stage, publish and stats parts all ask of the mount table. */
export class MountPoints {
  constructor(readonly mounter: Mounter) {}

  /** The topmost mount at `path`, if any. */
  async current(path: string): Promise<MountEntry | undefined> {
    return mountsAt(await this.mounter.table(), path).at(-1);
  }

  /**
   * Unmounts what is mounted at `path` (one mount at most, unless something stacked more), stopping at a mount that
   * `only` rejects; `lazy` picks the mounts to detach lazily.
   */
  async unmountAll(
    path: string,
    lazy: (mount: MountEntry) => boolean,
    only: (mount: MountEntry) => boolean = () => true,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_STACKED_MOUNTS; attempt++) {
      const mounted = await this.current(path);
      if (!mounted || !only(mounted)) return;
      await this.mounter.unmount(path, lazy(mounted));
    }
    throw internalError(`${path} still has mounts after ${MAX_STACKED_MOUNTS} unmounts`);
  }
}

/**
 * A mount of a known volume is stale when it is not on the volume's current device (renumbered, or gone). Mounts
 * of unknown volumes are never treated as stale: unmounting them lazily could cut off processes still using them.
 */
export function staleUnless(
  state: VolumeState | undefined,
  device: DeviceNumber | undefined,
): (mount: MountEntry) => boolean {
  return (mount) => state !== undefined && (device === undefined || !sameDevice(mount.device, device));
}

/** Recorded publish targets that still exist (the kubelet may have removed a pod directory without unpublishing). */
export async function livePublishedTargets(state: VolumeState): Promise<string[]> {
  const live: string[] = [];
  for (const target of state.publishedTargets)
    if ((await inspectPath(target)).kind !== 'missing') live.push(target);
  return live;
}

/** The numbers alone (a BlockDevice carries more), as the state file records them. */
export const deviceNumber = (device: DeviceNumber): DeviceNumber => ({
  major: device.major,
  minor: device.minor,
});
