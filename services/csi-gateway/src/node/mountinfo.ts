import { readFile } from 'node:fs/promises';

/** A block device number. */
export interface DeviceNumber {
  major: number;
  minor: number;
}

/** One line of /proc/<pid>/mountinfo (see proc(5)). */
export interface MountEntry {
  mountId: number;
  parentId: number;
  device: DeviceNumber;
  /** The path inside the filesystem that is mounted ("/" unless a bind mount of a subdirectory). */
  root: string;
  mountPoint: string;
  /** Per-mount options, e.g. ["rw", "relatime"]. */
  mountOptions: string[];
  fsType: string;
  source: string;
  /** Per-superblock options; "ro" here means the filesystem itself is read-only (e.g. after errors=remount-ro). */
  superOptions: string[];
}

export const formatDevice = (device: DeviceNumber): string => `${device.major}:${device.minor}`;

export const sameDevice = (a: DeviceNumber, b: DeviceNumber): boolean =>
  a.major === b.major && a.minor === b.minor;

/** Parses "259:3" (as in mountinfo and sysfs `dev` files). */
export function parseDeviceNumber(text: string): DeviceNumber | undefined {
  const match = /^(\d+):(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** The kernel escapes space, tab, newline and backslash in paths as three octal digits. */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountInfoLine(line: string): MountEntry | undefined {
  const fields = line.split(' ');
  const separator = fields.indexOf('-', 6);
  if (separator < 0 || fields.length < separator + 4) return undefined;
  const [mountId, parentId, device, root, mountPoint, mountOptions] = fields;
  const [fsType, source, superOptions] = fields.slice(separator + 1);
  const parsedDevice = parseDeviceNumber(device ?? '');
  if (!parsedDevice || root === undefined || mountPoint === undefined || fsType === undefined)
    return undefined;
  return {
    mountId: Number(mountId),
    parentId: Number(parentId),
    device: parsedDevice,
    root: unescapeOctal(root),
    mountPoint: unescapeOctal(mountPoint),
    mountOptions: (mountOptions ?? '').split(','),
    fsType: unescapeOctal(fsType),
    source: unescapeOctal(source ?? ''),
    superOptions: (superOptions ?? '').split(','),
  };
}

export function parseMountInfo(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseMountInfoLine)
    .filter((entry): entry is MountEntry => entry !== undefined);
}

/** Mounts at `path`, oldest first; the last one is the mount a process sees there. */
export const mountsAt = (entries: readonly MountEntry[], path: string): MountEntry[] =>
  entries.filter((entry) => entry.mountPoint === path);

export const mountsOfDevice = (entries: readonly MountEntry[], device: DeviceNumber): MountEntry[] =>
  entries.filter((entry) => sameDevice(entry.device, device));

export const isReadOnlyMount = (entry: MountEntry): boolean => entry.mountOptions.includes('ro');

/** Reads the mount table; the path is injectable so tests and containers can point elsewhere. */
export async function readMountInfo(path = '/proc/self/mountinfo'): Promise<MountEntry[]> {
  return parseMountInfo(await readFile(path, 'utf8'));
}
