/**
 * The `/disk` and `/file` listings as RouterOS shows them: built-in disks (four SATA drives and the RAID pool
 * partition holding the file system) first, then file disks; files and directories of the pool by name.
 */
import type { FileDisk, SimulatorState, StoredFile } from './state.js';
import { bare, grouped, human, quoted, type DetailLayout, type Entry, type Property } from './render.js';

export interface Pool {
  /** Name of the pool's mount point and first path component of every file (`storage-pool`). */
  mountPoint: string;
  sizeBytes: number;
  /** Space taken by things other than files the simulator tracks (used to simulate a full disk). */
  reservedBytes: number;
}

export const HARDWARE_SLOTS = ['sata1', 'sata2', 'sata3', 'sata4'] as const;

export const DISK_LAYOUT_HEADER = [
  'Flags: X - DISABLED; I - INACTIVE; B - BLOCK-DEVICE; M - MOUNTED; t - NVME-TCP-EXPORT; f - FORMATTING; r - RAID-MEMBER',
  'Columns: SLOT, TYPE',
] as const;

export function diskLayout(wrapColumn: number, cutNames = false): DetailLayout {
  return { header: DISK_LAYOUT_HEADER, flagWidth: 3, wrapColumn, cutNames };
}

export function fileLayout(wrapColumn: number): DetailLayout {
  return { header: [], flagWidth: 0, wrapColumn };
}

export function usedBytes(state: SimulatorState): number {
  return state.files.reduce((sum, file) => sum + file.size, 0);
}

export function freeBytes(state: SimulatorState, pool: Pool): number {
  return Math.max(0, pool.sizeBytes - pool.reservedBytes - usedBytes(state));
}

export type DiskItem = { kind: 'built-in'; entry: Entry } | { kind: 'file'; entry: Entry; disk: FileDisk };

/** Every disk in print order (the index is the print number). */
export function diskItems(state: SimulatorState, pool: Pool): DiskItem[] {
  // RAID5 over four drives keeps three drives' worth of space.
  const driveSize = Math.ceil(pool.sizeBytes / 3);
  const hardware: DiskItem[] = HARDWARE_SLOTS.map((slot, index) => ({
    kind: 'built-in',
    entry: {
      flags: 'BM',
      properties: [
        quoted('slot', slot),
        quoted('type', 'hardware'),
        quoted('model', 'SAMSUNG MZ7LH3T8'),
        quoted('serial', `S456NY0M${index + 1}`),
        quoted('fw-version', 'HXT7404Q'),
        grouped('size', driveSize),
        quoted('interface', 'SATA 6.0 Gbps'),
      ],
    },
  }));
  const raid: DiskItem = {
    kind: 'built-in',
    entry: {
      flags: 'BM',
      properties: [
        quoted('slot', pool.mountPoint),
        quoted('type', 'raid'),
        quoted('raid-type', 'raid5'),
        bare('raid-device-count', HARDWARE_SLOTS.length),
        bare('raid-members', HARDWARE_SLOTS.join(',')),
        grouped('partition-size', pool.sizeBytes),
        grouped('size', pool.sizeBytes),
        quoted('mount-point', pool.mountPoint),
        bare('file-system', 'btrfs'),
        grouped('free', freeBytes(state, pool)),
      ],
    },
  };
  const files: DiskItem[] = state.disks.map((disk) => ({
    kind: 'file',
    disk,
    entry: fileDiskEntry(disk, sizeOfFile(state, disk.fileName), diskStatusFlag(state, disk)),
  }));
  return [...hardware, raid, ...files];
}

/** `X` for a disabled disk, `I` for an inactive one (its backing file is gone), else nothing. */
export function diskStatusFlag(state: SimulatorState, disk: FileDisk): '' | 'X' | 'I' {
  if (disk.disabled) return 'X';
  return state.files.some((file) => file.name === disk.fileName) ? '' : 'I';
}

function fileDiskEntry(disk: FileDisk, size: number, status: string): Entry {
  const export_: Property[] = disk.nvmeTcpExport
    ? [
        bare('nvme-tcp-export', 'yes'),
        bare('nvme-tcp-server-port', disk.nvmeTcpServerPort),
        quoted('nvme-tcp-server-nqn', disk.nvmeTcpServerNqn),
        quoted('nvme-tcp-server-allow-host-name', disk.nvmeTcpAllowHostName ?? ''),
      ]
    : [bare('nvme-tcp-export', 'no')];
  return {
    flags: status + (disk.nvmeTcpExport ? 'B t' : 'B'),
    properties: [
      quoted('slot', disk.slot),
      quoted('type', 'file'),
      quoted('file-path', `/${disk.fileName}`),
      human('file-size', size),
      bare('file-offset', 0),
      ...export_,
      grouped('size', size),
    ],
  };
}

export function sizeOfFile(state: SimulatorState, name: string): number {
  return state.files.find((file) => file.name === name)?.size ?? 0;
}

export type FileItem =
  { kind: 'directory'; name: string; entry: Entry } | { kind: 'file'; file: StoredFile; entry: Entry };

/** Every file and directory of the pool, sorted by name like `/file print`; `modifiedAt` reads the backing file. */
export async function fileItems(
  state: SimulatorState,
  pool: Pool,
  baseDirectory: string,
  modifiedAt: (name: string) => Promise<Date | undefined>,
): Promise<FileItem[]> {
  const directories = new Set([pool.mountPoint, baseDirectory]);
  for (const file of state.files) {
    const parts = file.name.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) directories.add(parts.slice(0, depth).join('/'));
  }
  const items: FileItem[] = [];
  for (const name of directories) {
    const type = name === pool.mountPoint ? 'disk' : 'directory';
    const properties = [nameProperty(name), bare('type', type), lastModified(await modifiedAt(name))];
    items.push({ kind: 'directory', name, entry: { flags: '', properties } });
  }
  for (const file of state.files) {
    const properties = [
      nameProperty(file.name),
      bare('type', fileType(file.name)),
      human('size', file.size),
      lastModified(await modifiedAt(file.name)),
    ];
    items.push({ kind: 'file', file, entry: { flags: '', properties } });
  }
  return items.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

function nameOf(item: FileItem): string {
  return item.kind === 'directory' ? item.name : item.file.name;
}

/** RouterOS prints plain names bare and quotes the rest. */
function nameProperty(name: string): Property {
  return /^[A-Za-z0-9._/:-]+$/.test(name) ? bare('name', name) : quoted('name', name);
}

/** RouterOS types a file by its extension: `pvc-x.img` is `.img file`. */
function fileType(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? `${base.slice(dot)} file` : 'file';
}

function lastModified(at: Date | undefined): Property {
  const shown = (at ?? new Date(0)).toISOString().slice(0, 19).replace('T', ' ');
  return bare('last-modified', shown);
}
