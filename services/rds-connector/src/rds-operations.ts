import {
  RdsCsiError,
  alreadyExists,
  failedPrecondition,
  notFound,
  sameContentSource,
  type Capacity,
  type Snapshot,
  type Volume,
  type VolumeContentSource,
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
  buildRemoveLeftoverFile,
  buildResize,
  chainCommands,
  diskProblem,
  isDriverSnapshot,
  isDriverVolume,
  mountPointOf,
  parseCapacity,
  parseDisks,
  resolveVolumeDir,
  roundUpSize,
  volumeFilePath,
  type DiskEntry,
  type RouterOsCommand,
} from '@rds-csi/routeros';
import { DiskLookups } from './disk-lookups.js';
import { lineageFromLegacyId } from './legacy-lineage.js';
import type { LineageStore } from './lineage.js';

/**
 * Sends one RouterOS command line and returns its stdout, or throws the classified RdsCsiError. `timeoutMs`
 * overrides the per-command timeout (copies take longer than anything else).
 */
export type RunCommand = (
  command: RouterOsCommand,
  label: string,
  deadline: number,
  timeoutMs?: number,
) => Promise<string>;

export interface RdsSettings {
  basePath: string;
  nvmePort: number;
  /** Bound of a command that copies a disk (snapshot, restore, clone). */
  copyTimeoutMs: number;
  /** SSH channels: lookups beyond this many in flight wait and share one command. */
  maxChannels: number;
}

const SNAPSHOT_PREFIX = 'snap-';

/** After these the command may still complete on the RDS: its effects are reconciled on retry, never undone blindly. */
const isIndeterminate = (err: unknown): boolean =>
  err instanceof RdsCsiError && (err.code === 'UNAVAILABLE' || err.code === 'DEADLINE_EXCEEDED');
const hasCode = (err: unknown, code: RdsCsiError['code']): boolean =>
  err instanceof RdsCsiError && err.code === code;

/**
 * Volume and snapshot operations on the RDS, each with as few SSH round trips as it needs: a new volume is one
 * chained add-and-print (a lookup follows only when RouterOS refuses the add); a delete is a lookup plus one chained
 * remove of disk and file; concurrent lookups share commands (DiskLookups). Only the driver's
 * own disks (see `isDriverVolume`/`isDriverSnapshot`) are ever listed, reported or touched; any other disk, even in
 * the base path and under a slot the driver would use, is as if it did not exist (and a create there is refused).
 */
export class RdsOperations {
  private readonly lookups: DiskLookups;

  constructor(
    private readonly run: RunCommand,
    private readonly settings: RdsSettings,
    private readonly lineage: LineageStore,
  ) {
    this.lookups = new DiskLookups(run, settings.maxChannels);
  }

  async getVolume(id: string, deadline: number): Promise<Volume> {
    const [disk, source] = await Promise.all([this.findDisk(id, deadline), this.lineage.sourceOf(id)]);
    if (!disk || !this.isVolume(disk)) throw notFound(`volume ${id} does not exist on the RDS`);
    return withSource(toVolume(disk), source);
  }

  async listVolumes(deadline: number): Promise<Volume[]> {
    const disks = parseDisks(await this.run(buildPrintAllDisks(), 'print-all', deadline));
    return disks
      .filter((disk) => this.isVolume(disk))
      .map(toVolume)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * Idempotent: an existing volume of the same (rounded) size and the same content source is returned; anything
   * else is ALREADY_EXISTS. A new empty volume is added first and looked up only when RouterOS refuses the add (its
   * slot or file is taken): the add cannot harm an existing disk, since a taken slot or file fails it before anything
   * changes. The source record is read from KV alongside the RDS commands, so it costs no round trip.
   */
  async createVolume(req: VolumeCreateRequest, deadline: number): Promise<Volume> {
    const requested = req.sizeBytes === undefined ? 0 : roundUpSize(req.sizeBytes);
    resolveVolumeDir(this.settings.basePath, req.volumePath);
    if (!req.source) {
      return this.adoptOnConflict(req, requested, deadline, async () => {
        const [volume, recorded] = await Promise.all([
          this.addVolume(req, requested, deadline),
          this.lineage.sourceOf(req.id),
        ]);
        // A record whose disk is gone (removed by hand) must not make this empty volume look like a copy.
        if (recorded) await this.lineage.forgetSource(req.id);
        return volume;
      });
    }
    const source = req.source;
    // A copy needs its source: both are looked up in the same round trip.
    const [found, recorded] = await Promise.all([
      this.findDisks([req.id, source.id], deadline),
      this.lineage.sourceOf(req.id),
    ]);
    const sourceDisk = found.get(source.id);
    // A copy takes the larger of the request and its source; a vanished source leaves only the request to go by.
    const sizeBytes = Math.max(requested, sourceDisk?.sizeBytes ?? 0);
    const existing = found.get(req.id);
    if (existing) return this.matchExisting(existing, recorded, req, sizeBytes, deadline);
    return this.adoptOnConflict(req, sizeBytes, deadline, () =>
      this.copyVolume(req, source, sourceDisk, sizeBytes, recorded, deadline),
    );
  }

  /** When RouterOS refuses an add because the volume exists (a retry, or a concurrent create won), adopt it. */
  private async adoptOnConflict(
    req: VolumeCreateRequest,
    sizeBytes: number,
    deadline: number,
    add: () => Promise<Volume>,
  ): Promise<Volume> {
    try {
      return await add();
    } catch (err) {
      if (hasCode(err, 'ALREADY_EXISTS')) {
        const [existing, recorded] = await Promise.all([
          this.findDisk(req.id, deadline),
          this.lineage.sourceOf(req.id),
        ]);
        if (existing) return this.matchExisting(existing, recorded, req, sizeBytes, deadline);
      }
      throw err;
    }
  }

  /** Grows a volume; a size at or below the current one returns the volume unchanged (CSI expansion only grows). */
  async resizeVolume(id: string, requestedBytes: number, deadline: number): Promise<Volume> {
    const sizeBytes = roundUpSize(requestedBytes);
    const current = await this.getVolume(id, deadline);
    if (sizeBytes <= current.sizeBytes) return current;
    return this.grow(id, sizeBytes, deadline);
  }

  /**
   * Idempotent: deleting a missing volume succeeds with `deleted: false`, after removing a backing file its disk left
   * behind (an operator removed the disk by hand), so the same name can be created again. A disk in the slot that
   * is not the driver's is an unknown volume to CSI: it is left untouched and the answer is `deleted: false`.
   */
  async deleteVolume(id: string, deadline: number): Promise<boolean> {
    const [disk, source] = await Promise.all([this.findDisk(id, deadline), this.lineage.sourceOf(id)]);
    if (disk && !this.isVolume(disk)) return false;
    if (disk) await this.removeDiskAndFile(disk, deadline);
    else
      await this.run(buildRemoveLeftoverFile(id, this.settings.basePath), 'delete-leftover-file', deadline);
    if (source) await this.lineage.forgetSource(id);
    return disk !== undefined;
  }

  async createSnapshot(snapshotId: string, sourceVolumeId: string, deadline: number): Promise<Snapshot> {
    const existing = await this.findDisk(snapshotId, deadline);
    if (existing) {
      const lineage = this.isSnapshot(existing) ? await this.lineage.get(snapshotId) : undefined;
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
      const out = await this.run(command, 'snapshot-create', deadline, this.settings.copyTimeoutMs);
      return toSnapshot(this.onlyDisk(out, snapshotId), sourceVolumeId, createdAt);
    } catch (err) {
      // After a timeout RouterOS may still finish the copy: the lineage stays, so a retry adopts the snapshot.
      if (!isIndeterminate(err)) await this.lineage.remove(snapshotId).catch(() => undefined);
      throw err;
    }
  }

  async getSnapshot(snapshotId: string, deadline: number): Promise<Snapshot> {
    const disk = await this.findDisk(snapshotId, deadline);
    const lineage =
      disk &&
      this.isSnapshot(disk) &&
      ((await this.lineage.get(snapshotId)) ?? lineageFromLegacyId(snapshotId));
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
      .filter((d) => this.isSnapshot(d))
      .flatMap((d) => {
        const l = lineage.get(d.slot) ?? lineageFromLegacyId(d.slot);
        return l ? [toSnapshot(d, l.sourceVolumeId, l.createdAt)] : [];
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async deleteSnapshot(snapshotId: string, deadline: number): Promise<boolean> {
    const found = await this.findDisk(snapshotId, deadline);
    const disk = found && this.isSnapshot(found) ? found : undefined;
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

  /**
   * Restore or clone: copy the source, grow it when the request is larger, and read it back, in one round trip. The
   * source is recorded first (RouterOS keeps no such property): a record without a disk is replaced by the next
   * create. A copy that fails for certain (the pool is full for the grow, say) is removed again with its record, so
   * nothing leaks and a retry starts clean; after a timeout both are left (RouterOS may still finish the copy) and
   * the retry adopts the copy.
   */
  private async copyVolume(
    req: VolumeCreateRequest,
    source: NonNullable<VolumeCreateRequest['source']>,
    sourceDisk: DiskEntry | undefined,
    sizeBytes: number,
    recorded: VolumeContentSource | undefined,
    deadline: number,
  ): Promise<Volume> {
    const isSource = source.type === 'snapshot' ? this.isSnapshot(sourceDisk) : this.isVolume(sourceDisk);
    if (!sourceDisk || !isSource) throw notFound(`${source.type} ${source.id} does not exist`);
    const problem = diskProblem(sourceDisk);
    if (problem) throw failedPrecondition(`cannot copy ${source.type} ${source.id}: ${problem}`);
    const sourceBytes = sourceDisk.sizeBytes ?? 0;
    if (req.limitBytes !== undefined && sizeBytes > req.limitBytes) {
      throw new RdsCsiError(
        'OUT_OF_RANGE',
        `the ${source.type} ${source.id} needs ${sizeBytes} bytes, above limit_bytes ${req.limitBytes}`,
      );
    }
    if (!sameContentSource(recorded, source)) await this.lineage.recordSource(req.id, source);
    const placement = { basePath: this.settings.basePath, volumePath: req.volumePath };
    const steps: RouterOsCommand[] = [
      buildCopyVolume({
        id: req.id,
        sourceSlot: source.id,
        ...placement,
        port: req.nvmePort ?? this.settings.nvmePort,
      }),
    ];
    if (sizeBytes > sourceBytes) steps.push(buildResize(req.id, sizeBytes));
    steps.push(buildPrintDisk(req.id));
    const label = `create-from-${source.type}`;
    try {
      const out = await this.run(chainCommands(steps), label, deadline, this.settings.copyTimeoutMs);
      return withSource(toVolume(this.onlyDisk(out, req.id)), source);
    } catch (err) {
      // ALREADY_EXISTS: the add itself was refused (the slot or file is taken), so there is no copy of ours to undo.
      if (!isIndeterminate(err) && !hasCode(err, 'ALREADY_EXISTS')) {
        const filePath = volumeFilePath(resolveVolumeDir(placement.basePath, placement.volumePath), req.id);
        // If the rollback fails too, the copy left behind is adopted by the retry; the caller needs the first error.
        await this.removeDiskAndFile({ slot: req.id, filePath }, deadline).catch(() => undefined);
        await this.lineage.forgetSource(req.id).catch(() => undefined);
      }
      throw err;
    }
  }

  /**
   * An existing volume answers a create only if it is exactly what the request would have made, from the same
   * source. A copy of the same source smaller than requested is the one a timed-out restore or clone left before its
   * grow: the retry adopts it and grows it.
   */
  private async matchExisting(
    disk: DiskEntry,
    source: VolumeContentSource | undefined,
    req: VolumeCreateRequest,
    sizeBytes: number,
    deadline: number,
  ): Promise<Volume> {
    if (!this.isVolume(disk))
      throw alreadyExists(`slot ${disk.slot} is already used on the RDS by something else`);
    if (!sameContentSource(source, req.source))
      throw alreadyExists(`volume ${disk.slot} already exists with ${describeSource(source)}`);
    const volume = withSource(toVolume(disk), source);
    if (req.source && volume.sizeBytes < sizeBytes && this.isPlacedAs(volume, req)) {
      return withSource(await this.grow(req.id, sizeBytes, deadline), source);
    }
    const expectedFile = volumeFilePath(resolveVolumeDir(this.settings.basePath, req.volumePath), req.id);
    const expectedPort = req.nvmePort ?? this.settings.nvmePort;
    const differences = [
      // A copy whose source is gone: the request's size (if any) is all there is to compare with.
      sizeBytes > 0 && volume.sizeBytes !== sizeBytes && `${volume.sizeBytes} bytes, not ${sizeBytes}`,
      volume.filePath !== expectedFile && `file ${volume.filePath}, not ${expectedFile}`,
      volume.nvmeTcpPort !== expectedPort && `NVMe/TCP port ${volume.nvmeTcpPort}, not ${expectedPort}`,
    ].filter(Boolean);
    if (differences.length > 0)
      throw alreadyExists(`volume ${volume.id} already exists with ${differences.join(', ')}`);
    return volume;
  }

  private isPlacedAs(volume: Volume, req: VolumeCreateRequest): boolean {
    const expectedFile = volumeFilePath(resolveVolumeDir(this.settings.basePath, req.volumePath), req.id);
    return (
      volume.filePath === expectedFile && volume.nvmeTcpPort === (req.nvmePort ?? this.settings.nvmePort)
    );
  }

  private async grow(id: string, sizeBytes: number, deadline: number): Promise<Volume> {
    const out = await this.run(
      chainCommands([buildResize(id, sizeBytes), buildPrintDisk(id)]),
      'resize',
      deadline,
    );
    return toVolume(this.onlyDisk(out, id));
  }

  private isVolume(disk: DiskEntry | undefined): boolean {
    return disk !== undefined && isDriverVolume(disk, this.settings.basePath);
  }

  private isSnapshot(disk: DiskEntry | undefined): boolean {
    return disk !== undefined && isDriverSnapshot(disk, this.settings.basePath);
  }

  private async removeDiskAndFile(
    disk: Pick<DiskEntry, 'slot' | 'filePath'>,
    deadline: number,
  ): Promise<void> {
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
      if (!hasCode(err, 'NOT_FOUND')) throw err;
    }
  }

  /** One slot's disk (undefined when absent), looked up together with concurrent lookups. */
  async findDisk(slot: string, deadline: number): Promise<DiskEntry | undefined> {
    return (await this.findDisks([slot], deadline)).get(slot);
  }

  /** Looks several slots up in one round trip, shared with concurrent lookups. */
  private findDisks(slots: readonly string[], deadline: number): Promise<Map<string, DiskEntry>> {
    return this.lookups.find(slots, deadline);
  }

  private onlyDisk(output: string, slot: string): DiskEntry {
    const disk = parseDisks(output).find((d) => d.slot === slot);
    if (!disk) throw new RdsCsiError('INTERNAL', `RDS did not list slot ${slot} after changing it`);
    return disk;
  }
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
    ...(diskProblem(disk) === undefined ? {} : { problem: diskProblem(disk) }),
  };
}

function withSource(volume: Volume, source: VolumeContentSource | undefined): Volume {
  return source ? { ...volume, source } : volume;
}

const describeSource = (source: VolumeContentSource | undefined): string =>
  source ? `content from ${source.type} ${source.id}` : 'no content source';

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
