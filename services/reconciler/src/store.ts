import { setTimeout as sleep } from 'node:timers/promises';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { KvWatchInclude, type KV, type KvEntry } from '@nats-io/kv';
import { ensureKv, type Bus } from '@rds-csi/bus';
import {
  type Attachment,
  RdsCsiError,
  SCHEMA_VERSION,
  encodeMessage,
  type CorruptRecord,
  errorMessage,
} from '@rds-csi/contracts';
import {
  IDENTITY_KEY,
  decodeIdentity,
  encodeIdentity,
  newIdentity,
  originOf,
  decodeStamped,
  type RecordOrigin,
  type StoreIdentity,
} from './identity.js';
import type { Change } from './rules.js';

/** One key of the bucket as last read: its revision (0 = never written), what it holds, and its store stamp. */
export type StoredRecord =
  | { key: string; revision: number; kind: 'absent' }
  | { key: string; revision: number; kind: 'valid'; attachment: Attachment; stamp?: string }
  | { key: string; revision: number; kind: 'corrupt'; reason: string };

export interface StoreHooks {
  /** A compare-and-set lost against another writer (and will be retried). */
  onConflict?(operation: string): void;
  onCorrupt?(record: CorruptRecord): void;
  /** The bucket no longer holds the store this replica served (found by a confirmation after a read or write). */
  onLost?(reason: string): void;
}

export interface MutateOptions {
  /** For metrics and logs: publish, unpublish, clear. */
  operation: string;
  /** Absolute deadline (epoch ms); retries stop there with DEADLINE_EXCEEDED. */
  deadline?: number;
  /** An adoption's write: the store may still be adopting. */
  adopting?: boolean;
  /** The record as the index has it, to decide the first attempt without reading it again. */
  known?: StoredRecord;
  /** Not an answer (an adoption's write): the identity is confirmed once at the end, by marking it adopted. */
  unconfirmed?: boolean;
}

/** Attempts at a compare-and-set before giving up with ABORTED; each lost attempt means another writer progressed. */
const MAX_CAS_ATTEMPTS = 10;

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

export interface WatchHandlers {
  onRecord(record: StoredRecord): void;
  onIdentity(identity: StoreIdentity | undefined): void;
  /** After each entry (of any key): the bucket revision the watch has delivered up to. */
  onRevision(revision: number): void;
}

/** What the identity key of the bucket holds, read from the stream leader. */
export type MarkerRead =
  | { kind: 'bucket-missing' }
  | { kind: 'absent'; revision: number }
  | { kind: 'present'; revision: number; identity: StoreIdentity };

/**
 * Attachment state in a JetStream KV bucket, one key per volume, beside the store's identity key. Every write is a
 * compare-and-set on the revision it was decided from (create for a new key, update/delete with the last revision
 * otherwise), stamped with the store id, and is answered only once the identity key, read after it, still names
 * that store: so a write or a read that landed in a bucket which replaced the one this replica serves is never
 * taken for an answer, and any number of replicas can share the bucket without losing an update.
 */
export class AttachmentStore {
  /** The store this replica serves; undefined while it is (re)opening. */
  private served: string | undefined;

  readonly bucket: string;

  /** `kv`: an open bucket (tests); otherwise `reopen` opens it. */
  constructor(
    private readonly bus: Bus,
    private readonly hooks: StoreHooks = {},
    private bucketKv?: KV,
  ) {
    this.bucket = bus.names.attachmentsBucket;
  }

  get kv(): KV {
    if (!this.bucketKv) throw notServed();
    return this.bucketKv;
  }

  get storeId(): string | undefined {
    return this.served;
  }

  /** Creates the bucket again when it is gone; serves nobody until `serve` names the store. */
  async reopen(): Promise<void> {
    this.served = undefined;
    this.bucketKv = await openBucket(this.bus);
  }

  serve(storeId: string | undefined): void {
    this.served = storeId;
  }

  /** The identity key as the stream's leader has it (not a direct get, which a lagging replica may answer). */
  async readMarker(): Promise<MarkerRead> {
    let message;
    try {
      // No API check: this runs after every answer and on a timer, and a failed request says as much.
      const jsm = await jetstreamManager(this.bus.nc, { checkAPI: false });
      message = await jsm.streams.getMessage(`KV_${this.bucket}`, {
        last_by_subj: `$KV.${this.bucket}.${IDENTITY_KEY}`,
      });
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)
        return { kind: 'bucket-missing' };
      throw unavailable('identity read', err);
    }
    if (!message) return { kind: 'absent', revision: 0 };
    const operation = message.header?.get('KV-Operation');
    const identity = operation ? undefined : decodeIdentity(message.data);
    if (!identity) return { kind: 'absent', revision: message.seq };
    return { kind: 'present', revision: message.seq, identity };
  }

  /**
   * The bucket's last revision (of any key) as the stream leader has it: an index that has applied it holds every
   * write answered before this call, whichever replica or server took it.
   */
  async lastRevision(deadline: number): Promise<number> {
    try {
      const timeout = Math.max(1, deadline - Date.now());
      const jsm = await jetstreamManager(this.bus.nc, { checkAPI: false, timeout });
      return (await jsm.streams.info(`KV_${this.bucket}`)).state.last_seq;
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)
        throw new RdsCsiError('UNAVAILABLE', 'attachment bucket is gone');
      throw unavailable('revision read', err);
    }
  }

  /** The bucket's identity, created (adopting) when it has none; a lost race reads the winner's. */
  async ensureIdentity(now: Date): Promise<{ identity: StoreIdentity; revision: number }> {
    for (let attempt = 1; ; attempt++) {
      const marker = await this.readMarker();
      if (marker.kind === 'present') return marker;
      if (marker.kind === 'bucket-missing') throw new RdsCsiError('UNAVAILABLE', 'attachment bucket is gone');
      const identity = newIdentity(now);
      try {
        const revision =
          marker.revision === 0
            ? await this.kv.create(IDENTITY_KEY, encodeIdentity(identity))
            : await this.kv.update(IDENTITY_KEY, encodeIdentity(identity), marker.revision);
        return { identity, revision };
      } catch (err) {
        if (!isCasConflict(err) || attempt >= MAX_CAS_ATTEMPTS) throw unavailable('identity creation', err);
      }
    }
  }

  /** Marks an adopting store adopted (compare-and-set); returns the identity the bucket holds afterwards. */
  async markAdopted(storeId: string): Promise<StoreIdentity | undefined> {
    const marker = await this.readMarker();
    if (marker.kind !== 'present' || marker.identity.storeId !== storeId) return undefined;
    if (marker.identity.state === 'adopted') return marker.identity;
    const adopted: StoreIdentity = { ...marker.identity, state: 'adopted' };
    try {
      await this.kv.update(IDENTITY_KEY, encodeIdentity(adopted), marker.revision);
      return adopted;
    } catch (err) {
      if (!isCasConflict(err)) throw unavailable('identity update', err);
      return this.markAdopted(storeId);
    }
  }

  /**
   * Throws UNAVAILABLE (and reports the loss) unless the bucket still holds the identity this replica serves:
   * called after every read or write an answer depends on. `adopting`: an adoption in progress is enough.
   */
  async confirm(adopting = false): Promise<void> {
    const storeId = this.served;
    if (storeId === undefined) throw notServed();
    const marker = await this.readMarker();
    const ok =
      marker.kind === 'present' &&
      marker.identity.storeId === storeId &&
      (adopting || marker.identity.state === 'adopted');
    if (ok) return;
    const reason =
      marker.kind === 'bucket-missing'
        ? 'the attachment bucket is gone'
        : marker.kind === 'absent'
          ? 'the attachment bucket has no identity (re-created)'
          : `the attachment bucket is now store ${marker.identity.storeId} (${marker.identity.state}), not ${storeId}`;
    if (this.served === storeId) this.served = undefined;
    this.hooks.onLost?.(reason);
    throw new RdsCsiError(
      'UNAVAILABLE',
      `attachment store lost: ${reason}; re-adopting before serving again`,
    );
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

  /** The record an answer may be given from: a stale replica's write is absent here; the identity is confirmed. */
  async readServed(key: string): Promise<StoredRecord> {
    const record = await this.read(key);
    await this.confirm();
    return this.isForeign(record) ? { key, revision: record.revision, kind: 'absent' } : record;
  }

  /**
   * Reads the record (or starts from `options.known`), lets `decide` choose a change from it, and writes that
   * change only if nobody wrote the key in between; on a conflict it reads again and decides again. A corrupt record
   * is never decided on: FAILED_PRECONDITION. A record stamped by another store is decided on as absent, once the
   * identity says this replica's store is the bucket's (the record is a stale replica's write).
   */
  async mutate<T>(
    key: string,
    decide: (
      current: Attachment | undefined,
      origin: RecordOrigin | undefined,
    ) => { change: Change; result: T },
    options: MutateOptions,
  ): Promise<T> {
    let known = options.known;
    for (let attempt = 1; ; attempt++) {
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        throw new RdsCsiError(
          'DEADLINE_EXCEEDED',
          `${options.operation} of ${key}: deadline passed while retrying`,
        );
      }
      const storeId = this.served;
      if (storeId === undefined) throw notServed();
      const record = known ?? (await this.read(key));
      known = undefined;
      if (record.kind === 'corrupt') throw corruptRecordError(record);
      const origin = record.kind === 'valid' ? originOf(record.stamp, storeId) : undefined;
      if (origin === 'foreign') await this.confirm(options.adopting);
      const current = record.kind === 'valid' && origin !== 'foreign' ? record.attachment : undefined;
      const { change, result } = decide(current, origin);
      try {
        await this.write(record, change, storeId);
      } catch (err) {
        if (!isCasConflict(err)) throw unavailable(`${options.operation} of ${key}`, err);
        this.hooks.onConflict?.(options.operation);
        this.bus.logger.debug(
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
        continue;
      }
      if (!options.unconfirmed) await this.confirm(options.adopting);
      return result;
    }
  }

  /**
   * Follows every change of the bucket, current values first (`initialized` resolves once they are replayed), or
   * every entry from revision `fromRevision` on; the identity key is passed as it is. stop() ends it.
   */
  async watch(
    handlers: WatchHandlers,
    fromRevision?: number,
  ): Promise<{ stop(): void; initialized: Promise<void> }> {
    const iterator = await this.kv.watch({
      include: KvWatchInclude.LastValue,
      ...(fromRevision === undefined ? {} : { resumeFromRevision: fromRevision }),
    });
    let markInitialized!: () => void;
    const initialized = new Promise<void>((resolve) => (markInitialized = resolve));
    void (async () => {
      for await (const entry of iterator) {
        if (entry.key === IDENTITY_KEY)
          handlers.onIdentity(entry.operation === 'PUT' ? decodeIdentity(entry.value) : undefined);
        else handlers.onRecord(this.decode(entry.key, entry));
        handlers.onRevision(entry.revision);
        if (!entry.delta) markInitialized();
      }
    })().catch((err: unknown) => this.bus.logger.warn({ err }, 'attachment watch ended'));
    return { stop: () => iterator.stop(), initialized };
  }

  private isForeign(record: StoredRecord): boolean {
    return (
      record.kind === 'valid' &&
      this.served !== undefined &&
      originOf(record.stamp, this.served) === 'foreign'
    );
  }

  private async write(record: StoredRecord, change: Change, storeId: string): Promise<void> {
    if (change.kind === 'keep') return;
    if (change.kind === 'delete') {
      if (record.kind === 'valid') await this.kv.delete(record.key, { previousSeq: record.revision });
      return;
    }
    const data = encodeMessage({ v: SCHEMA_VERSION, store: storeId, ...change.value });
    if (record.revision === 0) await this.kv.create(record.key, data);
    else await this.kv.update(record.key, data, record.revision);
  }

  /** Logs and counts a corrupt record (each read meeting it, and the watch once per change). */
  private decode(key: string, entry: KvEntry | null): StoredRecord {
    if (!entry) return { key, revision: 0, kind: 'absent' };
    const revision = entry.revision;
    if (entry.operation !== 'PUT') return { key, revision, kind: 'absent' };
    const decoded = decodeStamped(entry.value);
    if (decoded.ok && decoded.attachment.volumeId === key) {
      const { attachment, stamp } = decoded;
      return { key, revision, kind: 'valid', attachment, ...(stamp ? { stamp } : {}) };
    }
    const reason = decoded.ok
      ? `record names volume ${decoded.attachment.volumeId}, not its key`
      : decoded.reason;
    this.bus.logger.error({ bucket: this.bucket, key, reason, revision }, 'corrupt attachment record');
    this.hooks.onCorrupt?.({ key, reason });
    return { key, revision, kind: 'corrupt', reason };
  }
}

function openBucket(bus: Bus): Promise<KV> {
  return ensureKv(bus, {
    bucket: bus.names.attachmentsBucket,
    description: 'rds-csi attachments: which volume is published to which node',
    history: 5,
  });
}

function notServed(): RdsCsiError {
  return new RdsCsiError(
    'UNAVAILABLE',
    'the attachment store is being (re)adopted from Kubernetes: attachment requests wait until it is served',
  );
}
