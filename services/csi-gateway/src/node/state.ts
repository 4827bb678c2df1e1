import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@rds-csi/observability';
import type { DeviceNumber } from './mountinfo.js';
import { isRecord, thrownCode } from '@rds-csi/contracts';

/**
 * What the node plugin remembers about a staged volume, one JSON file per volume on the host. NodeUnstage gets
 * only the volume ID and the staging path, and block volumes have no mount to look at, so the NQN to disconnect,
 * the device that was staged (to tell a renumbered device from a foreign mount) and the published targets (a block
 * device node in use is invisible in the mount table) must be kept somewhere that survives a plugin restart.
 */
export interface VolumeState {
  volumeId: string;
  nqn: string;
  stagingPath: string;
  kind: 'block' | 'mount';
  /** Staged for read-only access (a read-only access mode). */
  readOnly: boolean;
  /** The filesystem mounted at the staging path (mount volumes). */
  fsType?: string;
  /** The device as of the last stage or recovery. */
  device: DeviceNumber;
  publishedTargets: string[];
}

function isDeviceNumber(value: unknown): value is DeviceNumber {
  return isRecord(value) && Number.isInteger(value.major) && Number.isInteger(value.minor);
}

function isVolumeState(value: unknown): value is VolumeState {
  if (!isRecord(value)) return false;
  const v = value;
  return (
    typeof v.volumeId === 'string' &&
    typeof v.nqn === 'string' &&
    typeof v.stagingPath === 'string' &&
    (v.kind === 'block' || v.kind === 'mount') &&
    typeof v.readOnly === 'boolean' &&
    (v.fsType === undefined || typeof v.fsType === 'string') &&
    isDeviceNumber(v.device) &&
    Array.isArray(v.publishedTargets) &&
    v.publishedTargets.every((t) => typeof t === 'string')
  );
}

export class VolumeStateStore {
  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  private file(volumeId: string): string {
    // Volume IDs are validated DNS labels before they get here, so they are safe file names.
    return join(this.dir, `${volumeId}.json`);
  }

  /** The volume's state, or undefined when it is not staged here (an unreadable file is logged and ignored). */
  async load(volumeId: string): Promise<VolumeState | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(volumeId), 'utf8');
    } catch (err) {
      if (thrownCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (isVolumeState(parsed) && parsed.volumeId === volumeId) return parsed;
    } catch {
      // fall through
    }
    this.logger.warn(
      { volumeId, file: this.file(volumeId) },
      'ignoring an unreadable node volume state file',
    );
    return undefined;
  }

  /** Writes atomically (temp file + rename), so a crash never leaves half a file. */
  async save(state: VolumeState): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(state.volumeId);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
    await rename(temp, file);
  }

  async remove(volumeId: string): Promise<void> {
    await rm(this.file(volumeId), { force: true });
  }

  /** How many volumes are staged here (one state file each; temp files of an interrupted save do not count). */
  async count(): Promise<number> {
    try {
      return (await readdir(this.dir)).filter((name) => name.endsWith('.json')).length;
    } catch (err) {
      if (thrownCode(err) === 'ENOENT') return 0;
      throw err;
    }
  }
}
