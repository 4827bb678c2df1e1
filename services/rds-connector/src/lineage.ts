import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import { RdsCsiError, errorMessage } from '@rds-csi/contracts';
import type { Logger } from 'pino';

/** What RouterOS cannot tell us about a snapshot: where it came from and when. */
export const Lineage = z.object({
  sourceVolumeId: z.string(),
  createdAt: z.string().datetime({ offset: true }),
});
export type Lineage = z.infer<typeof Lineage>;

/** Snapshot lineage in a KV bucket owned by the rds-connector; one key per snapshot ID. */
export class LineageStore {
  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  async get(snapshotId: string): Promise<Lineage | undefined> {
    const entry = await this.kv.get(snapshotId).catch((err: unknown) => {
      throw new RdsCsiError('UNAVAILABLE', `snapshot lineage store unreachable: ${errorMessage(err)}`, {
        cause: err,
      });
    });
    if (!entry || entry.operation !== 'PUT') return undefined;
    const parsed = Lineage.safeParse(safeJson(entry.string()));
    if (!parsed.success) {
      this.logger.error({ snapshotId }, 'corrupt snapshot lineage record ignored');
      return undefined;
    }
    return parsed.data;
  }

  async all(): Promise<Map<string, Lineage>> {
    const result = new Map<string, Lineage>();
    const keys = await this.kv.keys();
    for await (const key of keys) {
      const lineage = await this.get(key);
      if (lineage) result.set(key, lineage);
    }
    return result;
  }

  async put(snapshotId: string, lineage: Lineage): Promise<void> {
    await this.kv.put(snapshotId, JSON.stringify(lineage));
  }

  async remove(snapshotId: string): Promise<void> {
    await this.kv.delete(snapshotId);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
