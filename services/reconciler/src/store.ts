import { setTimeout as sleep } from 'node:timers/promises';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { KvWatchInclude, type KV, type KvEntry } from '@nats-io/kv';
import type { Logger } from 'pino';
import { ensureKv, type Bus } from '@rds-csi/bus';
import {
  Attachment,
  RdsCsiError,
  SCHEMA_VERSION,
  decodeMessage,
  encodeMessage,
  type CorruptRecord,
  errorMessage,
} from '@rds-csi/contracts';
import type { Change } from './rules.js';

/** One key of the bucket as last read: its revision (0 = never written) and what it holds. */
export type StoredRecord =
  | { key: string; revision: number; kind: 'absent' }
  | { key: string; revision: number; kind: 'valid'; attachment: Attachment }
  | { key: string; revision: number; kind: 'corrupt'; reason: string };

export interface StoreListing {
  attachments: Attachment[];
  corrupt: CorruptRecord[];
}

export interface StoreHooks {
  /** A compare-and-set lost against another writer (and will be retried). */
  onConflict?(operation: string): void;
  onCorrupt?(record: CorruptRecord): void;
}

export interface MutateOptions {
  /** For metrics and logs: publish, unpublish, clear. */
  operation: string;
  /** Absolute deadline (epoch ms); retries stop there with DEADLINE_EXCEEDED. */
  deadline?: number;
}

/** Attempts at a compare-and-set before giving up with ABORTED; each lost attempt means another writer progressed. */
const MAX_CAS_ATTEMPTS = 10;
const LIST_CONCURRENCY = 32;

function isCasConflict(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence ||
      err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

function unavailable(what: string, err: unknown): RdsCsiError {
  if (err instanceof RdsCsiError) return err;
  return new RdsCsiError('UNAVAILABLE', `attachment store ${what} failed: ${errorMessage(err)}`, {
    cause: err,
  });
}

export function corruptRecordError(record: { key: string; reason: string }): RdsCsiError {
  return new RdsCsiError(
    'FAILED_PRECONDITION',
    `attachment record ${record.key} is corrupt (${record.reason}); it fences the volume until an operator inspects` +
      ` and removes it (nats kv get/del <bucket> ${record.key})`,
  );
}

/**
 * Attachment state in a JetStream KV bucket, one key per volume. Every write is a compare-and-set on the revision it
 * was decided from (create for a new key, update/delete with the last revision otherwise), so any number of
 * reconciler replicas can share the bucket without losing an update.
 */
export class AttachmentStore {
  constructor(
    readonly kv: KV,
    readonly bucket: string,
    private readonly logger: Logger,
    private readonly hooks: StoreHooks,
  ) {}

  static async open(bus: Bus, hooks: StoreHooks = {}): Promise<AttachmentStore> {
    const bucket = bus.names.attachmentsBucket;
    const kv = await ensureKv(bus, {
      bucket,
      description: 'rds-csi attachments: which volume is published to which node',
      history: 5,
    });
    return new AttachmentStore(kv, bucket, bus.logger, hooks);
  }

  async read(key: string): Promise<StoredRecord> {
    let entry: KvEntry | null;
    try {
      entry = await this.kv.get(key);
    } catch (err) {
      throw unavailable(`read of ${key}`, err);
    }
    return this.decode(key, entry);
  }

  /** Every stored attachment; corrupt records are reported beside them, never thrown. */
  async list(): Promise<StoreListing> {
    let keys: string[];
    try {
      keys = [];
      for await (const key of await this.kv.keys()) keys.push(key);
    } catch (err) {
      throw unavailable('listing', err);
    }
    const listing: StoreListing = { attachments: [], corrupt: [] };
    for (let i = 0; i < keys.length; i += LIST_CONCURRENCY) {
      const records = await Promise.all(keys.slice(i, i + LIST_CONCURRENCY).map((key) => this.read(key)));
      for (const record of records) {
        if (record.kind === 'valid') listing.attachments.push(record.attachment);
        else if (record.kind === 'corrupt') listing.corrupt.push({ key: record.key, reason: record.reason });
      }
    }
    return listing;
  }

  /**
   * Reads the record, lets `decide` choose a change from it, and writes that change only if nobody wrote the key in
   * between; on a conflict it reads again and decides again. A corrupt record is never decided on: FAILED_PRECONDITION.
   */
  async mutate<T>(
    key: string,
    decide: (current: Attachment | undefined) => { change: Change; result: T },
    options: MutateOptions,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        throw new RdsCsiError(
          'DEADLINE_EXCEEDED',
          `${options.operation} of ${key}: deadline passed while retrying`,
        );
      }
      const record = await this.read(key);
      if (record.kind === 'corrupt') throw corruptRecordError(record);
      const { change, result } = decide(record.kind === 'valid' ? record.attachment : undefined);
      try {
        await this.write(record, change);
        return result;
      } catch (err) {
        if (!isCasConflict(err)) throw unavailable(`${options.operation} of ${key}`, err);
        this.hooks.onConflict?.(options.operation);
        this.logger.debug(
          { key, operation: options.operation, attempt },
          'attachment changed concurrently: deciding again',
        );
        if (attempt >= MAX_CAS_ATTEMPTS) {
          throw new RdsCsiError(
            'ABORTED',
            `${options.operation} of ${key}: lost ${attempt} compare-and-set attempts to concurrent writers`,
          );
        }
        await sleep(Math.random() * 10 * attempt);
      }
    }
  }

  /** Follows every change of the bucket (current values first), for gauges; stop() ends it. */
  async watch(onChange: (record: StoredRecord) => void): Promise<{ stop(): void }> {
    const iterator = await this.kv.watch({ include: KvWatchInclude.LastValue });
    void (async () => {
      for await (const entry of iterator) onChange(this.decode(entry.key, entry, false));
    })().catch((err: unknown) => this.logger.warn({ err }, 'attachment watch ended'));
    return { stop: () => iterator.stop() };
  }

  private async write(record: StoredRecord, change: Change): Promise<void> {
    if (change.kind === 'keep') return;
    if (change.kind === 'delete') {
      if (record.kind === 'valid') await this.kv.delete(record.key, { previousSeq: record.revision });
      return;
    }
    const data = encodeMessage({ v: SCHEMA_VERSION, ...change.value });
    if (record.revision === 0) await this.kv.create(record.key, data);
    else await this.kv.update(record.key, data, record.revision);
  }

  /** `report`: log and count a corrupt record (reads do; the gauge watcher only counts records). */
  private decode(key: string, entry: KvEntry | null, report = true): StoredRecord {
    if (!entry) return { key, revision: 0, kind: 'absent' };
    const revision = entry.revision;
    if (entry.operation !== 'PUT') return { key, revision, kind: 'absent' };
    const decoded = decodeMessage(Attachment, entry.value);
    if (decoded.ok && decoded.value.volumeId === key)
      return { key, revision, kind: 'valid', attachment: decoded.value };
    const reason = decoded.ok ? `record names volume ${decoded.value.volumeId}, not its key` : decoded.reason;
    if (report) {
      this.logger.error({ bucket: this.bucket, key, reason, revision }, 'corrupt attachment record');
      this.hooks.onCorrupt?.({ key, reason });
    }
    return { key, revision, kind: 'corrupt', reason };
  }
}
