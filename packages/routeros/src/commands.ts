/**
 * Builders for every RouterOS command the driver sends. Each builder validates every value it interpolates (even if
 * the caller already did) before it builds the string, so nothing unchecked can reach the RDS.
 */
import { invalidArgument } from '@rds-csi/contracts';
import {
  nqnFor,
  validatePort,
  validateSlot,
  validateSlotPrefix,
  validateSnapshotId,
  validateVolumeId,
} from './ids.js';
import {
  IMAGE_SUFFIX,
  mountPointOf,
  resolveVolumeDir,
  routerOsFileName,
  validateBasePath,
  validateImageFile,
  volumeFilePath,
} from './paths.js';
import { formatSizeArg } from './size.js';

declare const routerOsCommand: unique symbol;
/** A command line produced by a builder here; only these can be chained. */
export type RouterOsCommand = string & { readonly [routerOsCommand]: true };

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- this module is where validated command text becomes the brand.
const asCommand = (text: string): RouterOsCommand => text as RouterOsCommand;

/** Where a volume's backing file goes: `volumePath` (under the base path) or the base path itself. */
export interface VolumePlacement {
  basePath: string;
  volumePath?: string | undefined;
}

export interface CreateVolumeSpec extends VolumePlacement {
  id: string;
  sizeBytes: number;
  port: number;
}

/** A new exported volume whose data is copied from a snapshot (restore) or another volume (clone). */
export interface CopyVolumeSpec extends VolumePlacement {
  id: string;
  sourceSlot: string;
  port: number;
}

export interface CreateSnapshotSpec {
  snapshotId: string;
  sourceVolumeId: string;
  basePath: string;
}

/** The backing file of a disk: must be `<dir>/<slot>.img` under the base path. */
export interface DiskFileSpec {
  slot: string;
  filePath: string;
  basePath: string;
}

export interface ImageFileSpec {
  filePath: string;
  basePath: string;
}

/**
 * Quotes a value for the RouterOS CLI. Validation keeps quotes, backslashes and `$` out of every value already;
 * escaping them here as well means a quoted value can never end early or expand a variable.
 */
export function quoteRouterOsString(value: string): string {
  const escaped = Array.from(value, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    return '\\"$?'.includes(char) ? `\\${char}` : char;
  });
  return `"${escaped.join('')}"`;
}

/** Joins commands into one line: RouterOS runs them in order and stops at the first failure (one round trip). */
export function chainCommands(commands: readonly RouterOsCommand[]): RouterOsCommand {
  if (commands.length === 0) throw invalidArgument('cannot chain an empty list of RouterOS commands');
  return asCommand(commands.join('; '));
}

function exportArgs(id: string, port: number): string {
  const checkedPort = validatePort(port);
  return `nvme-tcp-export=yes nvme-tcp-server-port=${checkedPort} nvme-tcp-server-nqn=${nqnFor(id)}`;
}

function placedFile(placement: VolumePlacement, id: string): string {
  return volumeFilePath(resolveVolumeDir(placement.basePath, placement.volumePath), id);
}

export function buildCreateVolume(spec: CreateVolumeSpec): RouterOsCommand {
  const id = validateVolumeId(spec.id);
  const filePath = placedFile(spec, id);
  const size = formatSizeArg(spec.sizeBytes);
  const exported = exportArgs(id, spec.port);
  return asCommand(`/disk add type=file file-path=${filePath} file-size=${size} slot=${id} ${exported}`);
}

/** Create and read back in one round trip: the printed entry carries the size RouterOS really allocated. */
export function buildCreateVolumeAndPrint(spec: CreateVolumeSpec): RouterOsCommand {
  return chainCommands([buildCreateVolume(spec), buildPrintDisk(spec.id)]);
}

/** Restore (source is a snapshot) or clone (source is a volume); a larger requested size needs a resize after it. */
export function buildCopyVolume(spec: CopyVolumeSpec): RouterOsCommand {
  const id = validateVolumeId(spec.id);
  const source = validateSlot(spec.sourceSlot);
  const filePath = placedFile(spec, id);
  const exported = exportArgs(id, spec.port);
  return asCommand(
    `/disk add type=file file-path=${filePath} copy-from=[find slot=${source}] slot=${id} ${exported}`,
  );
}

/** A snapshot is a file copy of a volume at `<base>/<snap-id>.img`, without an NVMe/TCP export. */
export function buildCreateSnapshot(spec: CreateSnapshotSpec): RouterOsCommand {
  const snapshotId = validateSnapshotId(spec.snapshotId);
  const source = validateVolumeId(spec.sourceVolumeId);
  const filePath = volumeFilePath(validateBasePath(spec.basePath), snapshotId);
  return asCommand(
    `/disk add type=file file-path=${filePath} copy-from=[find slot=${source}] slot=${snapshotId}`,
  );
}

export function buildPrintDisk(slot: string): RouterOsCommand {
  return asCommand(`/disk print detail where slot=${validateSlot(slot)}`);
}

/** The most slots one lookup names: the command line stays short (63-character slots: about 4 KiB). */
export const MAX_SLOTS_PER_LOOKUP = 64;

/**
 * Several slots in one round trip: `/disk print detail where slot=a or slot=b ...` prints each that exists (in the
 * RDS's order, not the request's), so concurrent lookups share one command.
 */
export function buildPrintDisks(slots: readonly string[]): RouterOsCommand {
  const unique = [...new Set(slots)];
  if (unique.length === 0 || unique.length > MAX_SLOTS_PER_LOOKUP) {
    throw invalidArgument(`a lookup names 1 to ${MAX_SLOTS_PER_LOOKUP} slots, not ${unique.length}`);
  }
  return asCommand(`/disk print detail where ${unique.map((s) => `slot=${validateSlot(s)}`).join(' or ')}`);
}

export function buildPrintDisksByPrefix(prefix: string): RouterOsCommand {
  return asCommand(`/disk print detail where slot~${quoteRouterOsString(`^${validateSlotPrefix(prefix)}`)}`);
}

export function buildPrintAllDisks(): RouterOsCommand {
  return asCommand('/disk print detail');
}

/** Removing a slot that does not exist prints nothing and succeeds (`find` matches nothing). */
export function buildRemoveDisk(slot: string): RouterOsCommand {
  return asCommand(`/disk remove [find slot=${validateSlot(slot)}]`);
}

/** Removes a backing image; a missing file fails with `no such item`. */
export function buildRemoveFile(spec: ImageFileSpec): RouterOsCommand {
  const filePath = validateImageFile(spec.filePath, spec.basePath);
  return asCommand(`/file remove ${quoteRouterOsString(routerOsFileName(filePath))}`);
}

/** Removes a disk and then its own backing file in one round trip. */
export function buildRemoveDiskAndFile(spec: DiskFileSpec): RouterOsCommand {
  validateImageFile(spec.filePath, spec.basePath, spec.slot);
  return chainCommands([buildRemoveDisk(spec.slot), buildRemoveFile(spec)]);
}

/** Grows a file disk (RouterOS only grows; the caller checks the current size first). */
export function buildResize(slot: string, sizeBytes: number): RouterOsCommand {
  const checkedSlot = validateSlot(slot);
  return asCommand(`/disk set [find slot=${checkedSlot}] file-size=${formatSizeArg(sizeBytes)}`);
}

/** The pool entry mounted at the first component of the base path shows `size=` and `free=`. */
export function buildCapacityQuery(basePath: string): RouterOsCommand {
  return asCommand(`/disk print detail where mount-point=${quoteRouterOsString(mountPointOf(basePath))}`);
}

/** `.` is the only character of a base path (and none of a volume ID) that means something in a regex. */
const regexLiteral = (text: string): string => text.replaceAll('.', '[.]');

/**
 * Removes a volume's backing file left behind when its disk is gone (an operator removed the disk by hand):
 * `<base>/[<dirs>/]<id>.img`, wherever under the base path the volume was placed. Matching nothing is a no-op.
 */
export function buildRemoveLeftoverFile(id: string, basePath: string): RouterOsCommand {
  const base = routerOsFileName(validateBasePath(basePath));
  const name = `${validateVolumeId(id)}${IMAGE_SUFFIX}`;
  const pattern = `^${regexLiteral(base)}/([A-Za-z0-9._-]+/)*${regexLiteral(name)}$`;
  return asCommand(`/file remove [find name~${quoteRouterOsString(pattern)}]`);
}
