/**
 * Which disks are the driver's own. The RDS holds other exported disks too (boot images, other tools' volumes, an
 * operator's test disk inside the base path); the driver lists, reports and touches only disks that carry its
 * naming on every count: slot, NQN and a backing file `<dir>/<slot>.img` under the base path by whole components.
 */
import { SNAPSHOT_ID_PATTERN, VOLUME_ID_PATTERN } from '@rds-csi/contracts';
import type { DiskEntry } from './disks.js';
import { nqnFor } from './ids.js';
import { validateImageFile } from './paths.js';

function isOwnImageFile(disk: DiskEntry, basePath: string): boolean {
  if (disk.filePath === undefined) return false;
  try {
    validateImageFile(disk.filePath, basePath, disk.slot);
    return true;
  } catch {
    return false;
  }
}

/** A volume the driver created: slot a volume ID, exported as `nqnFor(slot)`, file `<dir>/<slot>.img` in the base. */
export function isDriverVolume(disk: DiskEntry, basePath: string): boolean {
  return (
    disk.type === 'file' &&
    VOLUME_ID_PATTERN.test(disk.slot) &&
    !SNAPSHOT_ID_PATTERN.test(disk.slot) &&
    disk.nvmeTcpExport &&
    disk.nvmeTcpNqn === nqnFor(disk.slot) &&
    isOwnImageFile(disk, basePath)
  );
}

/** A snapshot the driver created: slot a snapshot ID, not exported, file `<dir>/<slot>.img` in the base. */
export function isDriverSnapshot(disk: DiskEntry, basePath: string): boolean {
  return (
    disk.type === 'file' &&
    SNAPSHOT_ID_PATTERN.test(disk.slot) &&
    !disk.nvmeTcpExport &&
    isOwnImageFile(disk, basePath)
  );
}

/** Why a disk cannot serve I/O (RouterOS flags `X` disabled, `I` inactive), or undefined when it can. */
export function diskProblem(disk: DiskEntry): string | undefined {
  if (disk.disabled) return `disk ${disk.slot} is disabled on the RDS`;
  if (disk.inactive)
    return `disk ${disk.slot} is inactive on the RDS: its backing file ${disk.filePath ?? ''} is missing`;
  return undefined;
}
