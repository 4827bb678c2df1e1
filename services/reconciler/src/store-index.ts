/**
 * The attachment store in memory, fed by the bucket's watch: the records this store serves, by volume and by node,
 * so a pass, a node event or a listing costs memory-speed work and never reads the whole bucket. Records a stale
 * replica wrote into this store (foreign stamp) are kept out; the index only ever describes one store id.
 */
import type { Attachment, CorruptRecord } from '@rds-csi/contracts';
import { originOf } from './identity.js';
import type { StoredRecord } from './store.js';

export interface IndexHooks {
  /** A volume's served record changed (undefined: gone). */
  onChange?(volumeId: string, before: Attachment | undefined, after: Attachment | undefined): void;
  onCorruptChange?(count: number): void;
}

export class StoreIndex {
  /** Every key's last record, foreign ones included (adoption and writes decide from their revision). */
  private readonly records = new Map<string, StoredRecord>();
  private readonly served = new Map<string, Attachment>();
  private readonly byNode = new Map<string, Set<string>>();
  private readonly corrupt = new Map<string, string>();
  private sorted: string[] | undefined;
  /** The highest bucket revision the watch delivered (of any key, the identity's included). */
  private applied = 0;
  private readonly waiters = new Set<{ revision: number; resolve(): void }>();

  constructor(
    readonly storeId: string,
    private readonly hooks: IndexHooks = {},
  ) {}

  apply(record: StoredRecord): void {
    this.records.set(record.key, record);
    if (record.kind === 'absent') this.records.delete(record.key);
    const servedNow =
      record.kind === 'valid' && originOf(record.stamp, this.storeId) !== 'foreign'
        ? record.attachment
        : undefined;
    this.setServed(record.key, servedNow);
    const wasCorrupt = this.corrupt.has(record.key);
    if (record.kind === 'corrupt') this.corrupt.set(record.key, record.reason);
    else this.corrupt.delete(record.key);
    if (wasCorrupt !== this.corrupt.has(record.key)) this.hooks.onCorruptChange?.(this.corrupt.size);
  }

  /** The watch delivered every entry up to `revision`: wakes those waiting for it. */
  advance(revision: number): void {
    if (revision <= this.applied) return;
    this.applied = revision;
    for (const waiter of this.waiters) {
      if (waiter.revision > revision) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  get revision(): number {
    return this.applied;
  }

  /** Resolves once the watch delivered `revision`; rejects when `signal` aborts first. */
  reached(revision: number, signal: AbortSignal): Promise<void> {
    if (revision <= this.applied) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        revision,
        resolve: () => {
          signal.removeEventListener('abort', abort);
          resolve();
        },
      };
      const abort = () => {
        this.waiters.delete(waiter);
        reject(new Error(`revision ${revision} not reached before the deadline`));
      };
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Forgets everything (the index of another store starts empty); every served record is reported gone. */
  clear(): void {
    for (const volumeId of [...this.served.keys()]) this.setServed(volumeId, undefined);
    this.records.clear();
    if (this.corrupt.size > 0) {
      this.corrupt.clear();
      this.hooks.onCorruptChange?.(0);
    }
  }

  get size(): number {
    return this.served.size;
  }

  record(key: string): StoredRecord | undefined {
    return this.records.get(key);
  }

  allRecords(): IterableIterator<StoredRecord> {
    return this.records.values();
  }

  attachment(volumeId: string): Attachment | undefined {
    return this.served.get(volumeId);
  }

  /** Every served attachment, sorted by volume ID (the order cursor paging relies on). */
  attachments(): Attachment[] {
    return this.servedOf(this.sortedKeys());
  }

  /** The attachments that name node `nodeId`. */
  onNode(nodeId: string): Attachment[] {
    return this.servedOf(this.byNode.get(nodeId) ?? []);
  }

  private servedOf(keys: Iterable<string>): Attachment[] {
    return [...keys].flatMap((key) => {
      const attachment = this.served.get(key);
      return attachment ? [attachment] : [];
    });
  }

  corruptRecords(): CorruptRecord[] {
    return [...this.corrupt].map(([key, reason]) => ({ key, reason }));
  }

  private setServed(volumeId: string, after: Attachment | undefined): void {
    const before = this.served.get(volumeId);
    if (before === after) return;
    for (const { nodeId } of before?.nodes ?? []) {
      const volumes = this.byNode.get(nodeId);
      volumes?.delete(volumeId);
      if (volumes?.size === 0) this.byNode.delete(nodeId);
    }
    if (after) {
      if (!before) this.sorted = undefined;
      this.served.set(volumeId, after);
      for (const { nodeId } of after.nodes) {
        let volumes = this.byNode.get(nodeId);
        if (!volumes) this.byNode.set(nodeId, (volumes = new Set()));
        volumes.add(volumeId);
      }
    } else {
      this.served.delete(volumeId);
      this.sorted = undefined;
    }
    this.hooks.onChange?.(volumeId, before, after);
  }

  private sortedKeys(): string[] {
    this.sorted ??= [...this.served.keys()].sort();
    return this.sorted;
  }
}
