/**
 * Typed views of `print detail` entries: `/disk` entries (file disks, hardware disks, the pool partition), the pool
 * capacity. A value that does not parse is INTERNAL, never 0, NaN or a guess.
 */
import { notFound, toRdsCsiError } from '@rds-csi/contracts';
import { ALLOW_HOST_PROPERTY, parseAllowList } from './fence.js';
import { malformed, parsePrintDetail } from './print-detail.js';
import type { RouterOsEntry } from './print-detail.js';
import { parseHumanSize, parseSpacedInteger } from './size.js';
import { boundText, describeValue } from './text.js';

export interface DiskEntry {
  index: number;
  flags: string;
  slot: string;
  /** `file`, `hardware`, `raid`, `partition`, ... */
  type: string;
  /** Absolute path of a file disk's backing file. */
  filePath?: string;
  /** `file-size=` as printed (human-readable, so approximate beyond its one decimal). */
  fileSizeBytes?: number;
  /** The exact `size=` when printed, else the human `file-size=`. */
  sizeBytes?: number;
  /** `nvme-tcp-export=`, or the `t` flag when the property is not printed. */
  nvmeTcpExport: boolean;
  /** Flag `X`: the disk is disabled (not served). Present only when set. */
  disabled?: true;
  /** Flag `I`: the disk is inactive, its backing file is missing. Present only when set. */
  inactive?: true;
  nvmeTcpPort?: number;
  nvmeTcpNqn?: string;
  /** `nvme-tcp-server-allow-host-name=`: the host NQNs the export admits; absent = any host (empty/unprinted). */
  nvmeTcpAllowHosts?: string[];
  mountPoint?: string;
  freeBytes?: number;
  partitionSizeBytes?: number;
}

export interface PoolCapacity {
  totalBytes: number;
  freeBytes: number;
}

/** A property's value; RouterOS prints unset strings as `""`, which counts as absent. */
export function propOf(entry: RouterOsEntry, key: string): string | undefined {
  const value = Object.hasOwn(entry.props, key) ? entry.props[key] : undefined;
  return value === '' ? undefined : value;
}

function entryLabel(entry: RouterOsEntry, kind: string): string {
  const name = propOf(entry, 'slot') ?? propOf(entry, 'name');
  return name === undefined
    ? `${kind} entry ${entry.index}`
    : `${kind} entry ${entry.index} (${boundText(name, 80)})`;
}

function requiredProp(entry: RouterOsEntry, key: string, label: string): string {
  const value = propOf(entry, key);
  if (value === undefined) throw malformed(`${label} has no ${key}=`);
  return value;
}

/** Parses an optional property; a present value that does not parse is INTERNAL naming the entry and the field. */
function field<T>(
  entry: RouterOsEntry,
  key: string,
  parse: (text: string) => T,
  label: string,
): T | undefined {
  const raw = propOf(entry, key);
  if (raw === undefined) return undefined;
  try {
    return parse(raw);
  } catch (err) {
    throw malformed(`${label}: ${key}=${describeValue(raw)}: ${toRdsCsiError(err).message}`);
  }
}

function parseYesNo(text: string): boolean {
  if (text === 'yes' || text === 'true') return true;
  if (text === 'no' || text === 'false') return false;
  throw malformed('expected yes or no');
}

function parsePortNumber(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535) throw malformed('expected a TCP port from 1 to 65535');
  return port;
}

const absolute = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

/** Drops properties that are undefined, so an absent field is absent rather than present-and-undefined. */
function compact<T extends object>(value: T): T {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- dropping undefined-valued keys keeps the shape T (its keys are optional).
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toDisk(entry: RouterOsEntry): DiskEntry {
  const label = entryLabel(entry, 'disk');
  const bytes = (key: string): number | undefined => field(entry, key, parseHumanSize, label);
  const fileSizeBytes = bytes('file-size');
  const filePath = propOf(entry, 'file-path');
  return compact({
    index: entry.index,
    flags: entry.flags,
    slot: requiredProp(entry, 'slot', label),
    type: requiredProp(entry, 'type', label),
    filePath: filePath === undefined ? undefined : absolute(filePath),
    fileSizeBytes,
    sizeBytes: bytes('size') ?? fileSizeBytes,
    nvmeTcpExport: field(entry, 'nvme-tcp-export', parseYesNo, label) ?? entry.flags.includes('t'),
    disabled: entry.flags.includes('X') || undefined,
    inactive: entry.flags.includes('I') || undefined,
    nvmeTcpPort: field(entry, 'nvme-tcp-server-port', parsePortNumber, label),
    nvmeTcpNqn: propOf(entry, 'nvme-tcp-server-nqn'),
    nvmeTcpAllowHosts: parseAllowList(propOf(entry, ALLOW_HOST_PROPERTY)),
    mountPoint: propOf(entry, 'mount-point'),
    freeBytes: bytes('free'),
    partitionSizeBytes: bytes('partition-size'),
  });
}

/** Typed `/disk print detail` entries: file disks, hardware disks, RAID and pool partitions alike. */
export function parseDisks(output: string): DiskEntry[] {
  return parsePrintDetail(output).map(toDisk);
}

const withoutLeadingSlash = (path: string): string => path.replace(/^\/+/, '');

/**
 * Capacity of the pool mounted at `mountPoint`, from `/disk print detail where mount-point="<mountPoint>"`:
 * `size=` is the total, `free=` the free space, both exact byte counts. NOT_FOUND when nothing is mounted there.
 */
export function parseCapacity(output: string, mountPoint: string): PoolCapacity {
  const wanted = withoutLeadingSlash(String(mountPoint));
  const matches = parsePrintDetail(output).filter((entry) => {
    const mounted = propOf(entry, 'mount-point');
    return mounted !== undefined && withoutLeadingSlash(mounted) === wanted;
  });
  const [entry, ...others] = matches;
  if (entry === undefined) throw notFound(`no disk on the RDS is mounted at ${describeValue(wanted)}`);
  if (others.length > 0)
    throw malformed(`${matches.length} disks report mount point ${describeValue(wanted)}`);
  const label = entryLabel(entry, 'disk');
  const exact = (key: string): number => {
    const value = field(entry, key, parseSpacedInteger, label);
    if (value === undefined) throw malformed(`${label} has no ${key}= (cannot report capacity)`);
    return value;
  };
  const capacity = { totalBytes: exact('size'), freeBytes: exact('free') };
  if (capacity.freeBytes > capacity.totalBytes) {
    throw malformed(`${label}: free=${capacity.freeBytes} is larger than size=${capacity.totalBytes}`);
  }
  return capacity;
}
