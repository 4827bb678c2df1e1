import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import {
  RdsCsiError,
  errorMessage,
  SNAPSHOT_SLOT_PREFIX,
  VolumeContentSource,
  type SnapshotLineage,
} from '@rds-csi/contracts';
import type { Logger } from 'pino';

/** What RouterOS cannot tell us about a snapshot: where it came from and when. */
export const Lineage = z.object({
  sourceVolumeId: z.string(),
  createdAt: z.string().datetime({ offset: true }),
});
export type Lineage = z.infer<typeof Lineage>;

/** What RouterOS cannot tell us about a restored or cloned volume: what it was copied from. */
const VolumeOrigin = z.object({ source: VolumeContentSource });

/**
 * Lineage in a KV bucket owned by the rds-connector, one key per ID (volume and snapshot IDs never overlap): a
 * snapshot's source volume and creation time, and a copied volume's source. An empty volume has no record.
 */
export class LineageStore {
  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  get(snapshotId: string): Promise<Lineage | undefined> {
    return this.read(snapshotId, Lineage);
  }

  /** Every snapshot's lineage (volume records are skipped). */
  async all(): Promise<Map<string, Lineage>> {
    const result = new Map<string, Lineage>();
    const keys = await this.kv.keys();
    for await (const key of keys) {
      if (!key.startsWith(SNAPSHOT_SLOT_PREFIX)) continue;
      const lineage = await this.get(key);
      if (lineage) result.set(key, lineage);
    }
    return result;
  }

  async put(snapshotId: string, lineage: Lineage): Promise<void> {
    await this.kv.put(snapshotId, JSON.stringify(lineage));
  }

  /** Records lineage only where there is none (false: a record exists and is kept). */
  async adopt(snapshotId: string, lineage: Lineage): Promise<boolean> {
    if (await this.get(snapshotId)) return false;
    try {
      await this.kv.create(snapshotId, JSON.stringify(lineage));
      return true;
    } catch {
      // Another writer recorded it meanwhile (create refuses an existing key): that record stands.
      if (await this.get(snapshotId)) return false;
      throw new RdsCsiError('UNAVAILABLE', `cannot record the lineage of snapshot ${snapshotId}`);
    }
  }

  /** Lineage for snapshots made elsewhere (the Go driver); returns how many had none and got it. */
  async adoptAll(snapshots: readonly SnapshotLineage[]): Promise<number> {
    let adopted = 0;
    for (const { id, sourceVolumeId, createdAt } of snapshots) {
      if (await this.adopt(id, { sourceVolumeId, createdAt })) adopted++;
    }
    return adopted;
  }

  async remove(snapshotId: string): Promise<void> {
    await this.kv.delete(snapshotId);
  }

  /** What a volume was copied from; undefined for an empty volume (or one made without a record). */
  async sourceOf(volumeId: string): Promise<VolumeContentSource | undefined> {
    return (await this.read(volumeId, VolumeOrigin))?.source;
  }

  async recordSource(volumeId: string, source: VolumeContentSource): Promise<void> {
    await this.kv.put(volumeId, JSON.stringify({ source }));
  }

  async forgetSource(volumeId: string): Promise<void> {
    await this.kv.delete(volumeId);
  }

  private async read<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const entry = await this.kv.get(key).catch((err: unknown) => {
      throw new RdsCsiError('UNAVAILABLE', `lineage store unreachable: ${errorMessage(err)}`, {
        cause: err,
      });
    });
    if (!entry || entry.operation !== 'PUT') return undefined;
    const parsed = schema.safeParse(safeJson(entry.string()));
    if (!parsed.success) {
      this.logger.error({ key }, 'corrupt lineage record ignored');
      return undefined;
    }
    return parsed.data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
