import {
  RdsCsiError,
  alreadyExists,
  notFound,
  type Capacity,
  type Snapshot,
  type Volume,
  type VolumeCreateRequest,
} from '@rds-csi/contracts';
import {
  buildCapacityQuery,
  buildCopyVolume,
  buildCreateSnapshot,
  buildCreateVolumeAndPrint,
  buildPrintAllDisks,
  buildPrintDisk,
  buildPrintDisksByPrefix,
  buildRemoveDiskAndFile,
  buildResize,
  chainCommands,
  mountPointOf,
  parseCapacity,
  parseDisks,
  resolveVolumeDir,
  roundUpSize,
  volumeFilePath,
  type DiskEntry,
  type RouterOsCommand,
} from '@rds-csi/routeros';
import { lineageFromLegacyId } from './legacy-lineage.js';
import type { LineageStore } from './lineage.js';

/** Sends one RouterOS command line and returns its stdout, or throws the classified RdsCsiError. */
export type RunCommand = (command: RouterOsCommand, label: string, deadline: number) => Promise<string>;

export interface RdsSettings {
  basePath: string;
  nvmePort: number;
}

const SNAPSHOT_PREFIX = 'snap-';

/**
 * Volume and snapshot operations on the RDS, each with as few SSH round trips as it needs: a create is a lookup
 * plus one chained add-and-print; a delete is a lookup plus one chained remove of disk and file.
 */
export class RdsOperations {
  constructor(
    private readonly run: RunCommand,
    private readonly settings: RdsSettings,
    private readonly lineage: LineageStore,
  ) {}

  async getVolume(id: string, deadline: number): Promise<Volume> {
    const disk = await this.findDisk(id, deadline);
    if (!disk || !isVolumeDisk(disk)) throw notFound(`volume ${id} does not exist on the RDS`);
    return toVolume(disk);
  }

  async listVolumes(deadline: number): Promise<Volume[]> {
    const disks = parseDisks(await this.run(buildPrintAllDisks(), 'print-all', deadline));
    return disks
      .filter(isVolumeDisk)
      .map(toVolume)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Idempotent: an existing volume of the same (rounded) size is returned; another size is ALREADY_EXISTS. */
  async createVolume(req: VolumeCreateRequest, deadline: number): Promise<Volume> {
    const sizeBytes = roundUpSize(req.sizeBytes);
    resolveVolumeDir(this.settings.basePath, req.volumePath);
    const existing = await this.findDisk(req.id, deadline);
    if (existing) return this.matchExisting(existing, req, sizeBytes);
    try {
      return req.source
        ? await this.copyVolume(req, sizeBytes, deadline)
        : await this.addVolume(req, sizeBytes, deadline);
    } catch (err) {
      // A concurrent create of the same volume won the race: answer as if we had found it first.
      if (err instanceof RdsCsiError && err.code === 'ALREADY_EXISTS') {
        const raced = await this.findDisk(req.id, deadline);
        if (raced) return this.matchExisting(raced, req, sizeBytes);
      }
      throw err;
    }
  }

  /** Grows a volume; a size at or below the current one returns the volume unchanged (CSI expansion only grows). */
  async resizeVolume(id: string, requestedBytes: number, deadline: number): Promise<Volume> {
    const sizeBytes = roundUpSize(requestedBytes);
    const current = await this.getVolume(id, deadline);
    if (sizeBytes <= current.sizeBytes) return current;
    const out = await this.run(
      chainCommands([buildResize(id, sizeBytes), buildPrintDisk(id)]),
      'resize',
      deadline,
    );
    return toVolume(this.onlyDisk(out, id));
  }

  /** Idempotent: deleting a missing volume succeeds with `deleted: false`. */
  async deleteVolume(id: string, deadline: number): Promise<boolean> {
    const disk = await this.findDisk(id, deadline);
    if (!disk) return false;
    if (!isVolumeDisk(disk))
      throw new RdsCsiError('FAILED_PRECONDITION', `slot ${id} is not a volume of this driver`);
    await this.removeDiskAndFile(disk, deadline);
    return true;
  }

  async createSnapshot(snapshotId: string, sourceVolumeId: string, deadline: number): Promise<Snapshot> {
    const existing = await this.findDisk(snapshotId, deadline);
    if (existing) {
      const lineage = await this.lineage.get(snapshotId);
      if (lineage?.sourceVolumeId !== sourceVolumeId) {
        throw alreadyExists(`snapshot ${snapshotId} already exists with another source volume`);
      }
      return toSnapshot(existing, lineage.sourceVolumeId, lineage.createdAt);
    }
    await this.getVolume(sourceVolumeId, deadline);
    const createdAt = new Date().toISOString();
    // Lineage first: a record without a disk is harmless (listings join on disks), a disk without one is not.
    await this.lineage.put(snapshotId, { sourceVolumeId, createdAt });
    const command = chainCommands([
      buildCreateSnapshot({ snapshotId, sourceVolumeId, basePath: this.settings.basePath }),
      buildPrintDisk(snapshotId),
    ]);
    try {
      return toSnapshot(
        this.onlyDisk(await this.run(command, 'snapshot-create', deadline), snapshotId),
        sourceVolumeId,
        createdAt,
      );
    } catch (err) {
      await this.lineage.remove(snapshotId).catch(() => undefined);
      throw err;
    }
  }

  async getSnapshot(snapshotId: string, deadline: number): Promise<Snapshot> {
    const disk = await this.findDisk(snapshotId, deadline);
    const lineage = disk && ((await this.lineage.get(snapshotId)) ?? lineageFromLegacyId(snapshotId));
    if (!disk || !lineage) throw notFound(`snapshot ${snapshotId} does not exist`);
    return toSnapshot(disk, lineage.sourceVolumeId, lineage.createdAt);
  }

  /** Snapshots on the RDS joined with their lineage; a snapshot disk without lineage is not one of ours. */
  async listSnapshots(deadline: number): Promise<Snapshot[]> {
    const [out, lineage] = await Promise.all([
      this.run(buildPrintDisksByPrefix(SNAPSHOT_PREFIX), 'print-snapshots', deadline),
      this.lineage.all(),
    ]);
    return parseDisks(out)
      .filter((d) => d.type === 'file' && d.slot.startsWith(SNAPSHOT_PREFIX))
      .flatMap((d) => {
        const l = lineage.get(d.slot) ?? lineageFromLegacyId(d.slot);
        return l ? [toSnapshot(d, l.sourceVolumeId, l.createdAt)] : [];
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async deleteSnapshot(snapshotId: string, deadline: number): Promise<boolean> {
    const disk = await this.findDisk(snapshotId, deadline);
    if (disk) await this.removeDiskAndFile(disk, deadline);
    await this.lineage.remove(snapshotId);
    return !!disk;
  }

  async capacity(volumePath: string | undefined, deadline: number): Promise<Capacity> {
    const dir = resolveVolumeDir(this.settings.basePath, volumePath);
    const out = await this.run(buildCapacityQuery(dir), 'capacity', deadline);
    return parseCapacity(out, mountPointOf(dir));
  }

  private async addVolume(req: VolumeCreateRequest, sizeBytes: number, deadline: number): Promise<Volume> {
    const command = buildCreateVolumeAndPrint({
      id: req.id,
      sizeBytes,
      basePath: this.settings.basePath,
      volumePath: req.volumePath,
      port: req.nvmePort ?? this.settings.nvmePort,
    });
    return toVolume(this.onlyDisk(await this.run(command, 'create', deadline), req.id));
  }

  /** Restore or clone: copy the source, grow it when the request is larger, and read it back, in one round trip. */
  private async copyVolume(req: VolumeCreateRequest, sizeBytes: number, deadline: number): Promise<Volume> {
    const source = req.source as NonNullable<VolumeCreateRequest['source']>;
    const sourceDisk = await this.findDisk(source.id, deadline);
    if (!sourceDisk) throw notFound(`${source.type} ${source.id} does not exist`);
    const sourceBytes = sourceDisk.sizeBytes ?? 0;
    if (sizeBytes < sourceBytes) {
      throw new RdsCsiError(
        'OUT_OF_RANGE',
        `requested ${sizeBytes} bytes is smaller than the ${source.type} (${sourceBytes} bytes)`,
      );
    }
    const steps: RouterOsCommand[] = [
      buildCopyVolume({
        id: req.id,
        sourceSlot: source.id,
        basePath: this.settings.basePath,
        volumePath: req.volumePath,
        port: req.nvmePort ?? this.settings.nvmePort,
      }),
    ];
    if (sizeBytes > sourceBytes) steps.push(buildResize(req.id, sizeBytes));
    steps.push(buildPrintDisk(req.id));
    return toVolume(
      this.onlyDisk(await this.run(chainCommands(steps), `create-from-${source.type}`, deadline), req.id),
    );
  }

  /** An existing volume answers a create only if it is exactly what the request would have made. */
  private matchExisting(disk: DiskEntry, req: VolumeCreateRequest, sizeBytes: number): Volume {
    if (!isVolumeDisk(disk))
      throw alreadyExists(`slot ${disk.slot} is already used on the RDS by something else`);
    const volume = toVolume(disk);
    const expectedFile = volumeFilePath(resolveVolumeDir(this.settings.basePath, req.volumePath), req.id);
    const expectedPort = req.nvmePort ?? this.settings.nvmePort;
    const differences = [
      volume.sizeBytes !== sizeBytes && `${volume.sizeBytes} bytes, not ${sizeBytes}`,
      volume.filePath !== expectedFile && `file ${volume.filePath}, not ${expectedFile}`,
      volume.nvmeTcpPort !== expectedPort && `NVMe/TCP port ${volume.nvmeTcpPort}, not ${expectedPort}`,
    ].filter(Boolean);
    if (differences.length > 0)
      throw alreadyExists(`volume ${volume.id} already exists with ${differences.join(', ')}`);
    return volume;
  }

  private async removeDiskAndFile(disk: DiskEntry, deadline: number): Promise<void> {
    if (!disk.filePath) throw new RdsCsiError('INTERNAL', `slot ${disk.slot} has no backing file path`);
    const command = buildRemoveDiskAndFile({
      slot: disk.slot,
      filePath: disk.filePath,
      basePath: this.settings.basePath,
    });
    try {
      await this.run(command, 'delete', deadline);
    } catch (err) {
      // The disk is gone and its file was already removed: the goal state holds.
      if (!(err instanceof RdsCsiError && err.code === 'NOT_FOUND')) throw err;
    }
  }

  private async findDisk(slot: string, deadline: number): Promise<DiskEntry | undefined> {
    const out = await this.run(buildPrintDisk(slot), 'print', deadline);
    return parseDisks(out).find((d) => d.slot === slot);
  }

  private onlyDisk(output: string, slot: string): DiskEntry {
    const disk = parseDisks(output).find((d) => d.slot === slot);
    if (!disk) throw new RdsCsiError('INTERNAL', `RDS did not list slot ${slot} after changing it`);
    return disk;
  }
}

function isVolumeDisk(disk: DiskEntry): boolean {
  return disk.type === 'file' && !disk.slot.startsWith(SNAPSHOT_PREFIX) && disk.nvmeTcpExport;
}

function requireSize(disk: DiskEntry): number {
  if (disk.sizeBytes === undefined)
    throw new RdsCsiError('INTERNAL', `RDS listed slot ${disk.slot} without a size`);
  return disk.sizeBytes;
}

function toVolume(disk: DiskEntry): Volume {
  if (!disk.filePath || !disk.nvmeTcpNqn || !disk.nvmeTcpPort) {
    throw new RdsCsiError(
      'INTERNAL',
      `RDS listed volume ${disk.slot} without its file path or NVMe/TCP export settings`,
    );
  }
  return {
    id: disk.slot,
    filePath: disk.filePath,
    sizeBytes: requireSize(disk),
    nqn: disk.nvmeTcpNqn,
    nvmeTcpPort: disk.nvmeTcpPort,
    exported: disk.nvmeTcpExport,
  };
}

function toSnapshot(disk: DiskEntry, sourceVolumeId: string, createdAt: string): Snapshot {
  return {
    id: disk.slot,
    sourceVolumeId,
    sizeBytes: requireSize(disk),
    createdAt,
    filePath: disk.filePath ?? '',
    readyToUse: true,
  };
}
