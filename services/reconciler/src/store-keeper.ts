/**
 * The store part of the reconciler: opens the attachment bucket, gives it an identity, adopts it from Kubernetes
 * when it is new, keeps the in-memory index fed by the bucket's watch, and notices when the bucket it serves is gone
 * or replaced (the identity key, checked on a timer, seen by the watch, and confirmed after every answer's read or
 * write). On a loss it stops serving at once, re-opens (creating the bucket again if nobody has), re-adopts a new
 * store from Kubernetes, and only then serves again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, type Bus } from '@rds-csi/bus';
import { RdsCsiError, toRdsCsiError, type Attachment } from '@rds-csi/contracts';
import type { Logger } from 'pino';
import { adoptionPlan, type AdoptionStep, type ExistingRecord } from './adoption.js';
import { originOf, type RecordOrigin } from './identity.js';
import type { ReconcilerMetrics } from './metrics.js';
import { StoreIndex } from './store-index.js';
import { AttachmentStore, type WatchHandlers } from './store.js';
import type { Change } from './rules.js';

export interface StoreKeeperOptions {
  bus: Bus;
  metrics: ReconcilerMetrics;
  /** What Kubernetes has attached, by volume; undefined when the reconciler has no Kubernetes access. */
  readKubernetes?: () => Promise<Map<string, Attachment>>;
  /** How often the identity key is checked (a deleted bucket ends the watch silently). */
  checkIntervalMs: number;
  /** Bound of each phase of an open (watch replay, seeing the adopted identity). */
  phaseTimeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** Called each time the store is served again (after start-up and after every re-adoption). */
  onServing?(storeId: string): void;
  /** Every change of the served attachments: `reset` with all of them when another store is served. */
  onAttachments?: AttachmentsListener;
}

export interface AttachmentsListener {
  reset(attachments: Attachment[]): void;
  change(volumeId: string, after: Attachment | undefined): void;
}

const ADOPTION_CONCURRENCY = 32;
/**
 * How long the index may trail the bucket's leader before its watch is re-created from the index's revision: a watch
 * whose consumer was on a lost server stalls until its idle heartbeats are missed (a minute), a live one delivers
 * within milliseconds.
 */
const REWATCH_AFTER_MS = 1_000;

export class StoreKeeper {
  readonly store: AttachmentStore;
  private state: 'opening' | 'serving' | 'stopped' = 'opening';
  private why = 'start-up: the attachment store is being opened';
  private active: StoreIndex | undefined;
  private watch: { stop(): void } | undefined;
  private watchHandlers: WatchHandlers | undefined;
  private rewatching: Promise<void> | undefined;
  private signalLost: ((reason: string) => void) | undefined;
  private readonly abort = new AbortController();
  private readonly logger: Logger;
  private checker: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private served!: () => void;
  private readonly firstServed = new Promise<void>((resolve) => (this.served = resolve));

  private constructor(
    bus: Bus,
    private readonly options: StoreKeeperOptions,
  ) {
    this.logger = bus.logger;
    this.store = new AttachmentStore(bus, {
      onConflict: (operation) => options.metrics.casConflicts.inc({ operation }),
      onCorrupt: () => options.metrics.corruptReads.inc(),
      onLost: (reason) => this.lost(reason),
    });
  }

  static create(options: StoreKeeperOptions): StoreKeeper {
    return new StoreKeeper(options.bus, options);
  }

  /** Starts the open / serve / re-adopt loop in the background. */
  start(): void {
    this.loop = this.run();
    this.checker = setInterval(() => void this.check(), this.options.checkIntervalMs);
    this.checker.unref();
  }

  /** Resolves once the store was served for the first time. */
  whenServing(): Promise<void> {
    return this.firstServed;
  }

  serving(): boolean {
    return this.state === 'serving';
  }

  /** Why the store is not served (undefined while it is). */
  notServingReason(): string | undefined {
    return this.state === 'serving' ? undefined : this.why;
  }

  /** Throws UNAVAILABLE unless the store is served (adopted, identity current, index loaded). */
  requireServing(): void {
    if (this.state === 'stopped') throw new RdsCsiError('UNAVAILABLE', 'reconciler is shutting down');
    if (this.state !== 'serving')
      throw new RdsCsiError('UNAVAILABLE', `attachment store not served: ${this.why}`);
  }

  /** The index of the served store; UNAVAILABLE while it is not served. */
  index(): StoreIndex {
    this.requireServing();
    if (!this.active) throw new RdsCsiError('UNAVAILABLE', `attachment store not served: ${this.why}`);
    return this.active;
  }

  /**
   * The served index once it has applied every write the bucket's leader had when asked. The watch can lag the
   * bucket (most after a leader change, until its consumer is re-created), so an answer or a decision from the index
   * alone could miss a write another request was already answered for: read-your-writes for every caller.
   */
  async currentIndex(deadline: number): Promise<StoreIndex> {
    const index = this.index();
    const revision = await this.store.lastRevision(deadline);
    if (!(await reachedBy(index, revision, Math.min(deadline, Date.now() + REWATCH_AFTER_MS)))) {
      this.logger.warn(
        { revision: index.revision, bucketRevision: revision },
        'attachment watch behind the bucket: re-created from the index revision',
      );
      await this.rewatch(index);
      if (!(await reachedBy(index, revision, deadline)))
        throw new RdsCsiError(
          'UNAVAILABLE',
          `the attachment index is at revision ${index.revision}, behind the bucket's ${revision}: not answered from it`,
        );
    }
    if (this.index() !== index) throw new RdsCsiError('UNAVAILABLE', 'the attachment store was re-opened');
    return index;
  }

  /** Replaces the watch feeding `index` by one that resumes after the index's revision (one at a time). */
  private rewatch(index: StoreIndex): Promise<void> {
    this.rewatching ??= (async () => {
      const handlers = this.watchHandlers;
      if (this.active !== index || !handlers) return;
      this.watch?.stop();
      const watch = await this.store.watch(handlers, index.revision + 1);
      if (this.active === index) this.watch = watch;
      else watch.stop();
    })().finally(() => (this.rewatching = undefined));
    return this.rewatching;
  }

  /** The bucket no longer holds the store being served: stop serving now, re-adopt in the background. */
  lost(reason: string): void {
    if (this.state !== 'serving') return;
    this.state = 'opening';
    this.why = `store lost (${reason}): re-adopting from Kubernetes`;
    this.store.serve(undefined);
    this.options.metrics.storeLosses.inc();
    this.options.metrics.storeServed.set(0);
    this.logger.error({ reason }, 'attachment store lost: not serving until it is re-adopted');
    this.signalLost?.(reason);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.why = 'reconciler is shutting down';
    clearInterval(this.checker);
    this.store.serve(undefined);
    this.abort.abort();
    this.signalLost?.('stopped');
    this.watch?.stop();
    await this.loop;
  }

  /** A method, so the state read after an await is not narrowed by the compiler. */
  private get halted(): boolean {
    return this.state === 'stopped';
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.halted; attempt++) {
      const lost = new Promise<string>((resolve) => (this.signalLost = resolve));
      try {
        const storeId = await this.open();
        if (this.halted) return;
        attempt = 0;
        this.state = 'serving';
        this.logger.info({ storeId, attachments: this.active?.size }, 'attachment store served');
        this.options.metrics.storeServed.set(1);
        this.served();
        this.options.onServing?.(storeId);
        await lost;
      } catch (err) {
        if (this.halted) return;
        const delay = backoffDelayMs(attempt + 1, {
          minMs: this.options.retryMinMs,
          maxMs: this.options.retryMaxMs,
        });
        const error = toRdsCsiError(err).message;
        this.why = `opening the attachment store failed (${error}); retrying`;
        this.logger.warn({ error, retryInMs: delay }, 'attachment store not served yet');
        await sleep(delay, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  /** One open: bucket, identity, index from one watch replay, adoption when the store is new. */
  private async open(): Promise<string> {
    this.watch?.stop();
    await this.store.reopen();
    const { identity } = await this.store.ensureIdentity(new Date());
    const { storeId } = identity;
    const index = new StoreIndex(storeId, {
      onChange: (volumeId, before, after) => {
        if (this.active !== index) return;
        this.countChange(before, after);
        this.options.onAttachments?.change(volumeId, after);
      },
      onCorruptChange: (count) => {
        if (this.active === index) this.options.metrics.corruptRecords.set(count);
      },
    });
    let sawAdopted!: () => void;
    const adopted = new Promise<void>((resolve) => (sawAdopted = resolve));
    let replaced = false;
    const handlers: WatchHandlers = {
      onRecord: (record) => index.apply(record),
      onRevision: (revision) => index.advance(revision),
      onIdentity: (seen) => {
        if (seen?.storeId !== storeId) {
          replaced = true;
          this.lost(seen ? `the bucket is now store ${seen.storeId}` : 'the identity key was removed');
        } else if (seen.state === 'adopted') sawAdopted();
      },
    };
    const watch = await this.store.watch(handlers);
    this.watch = watch;
    this.watchHandlers = handlers;
    await this.bounded(watch.initialized, 'reading the attachment store');
    this.store.serve(storeId);
    if (identity.state === 'adopting') await this.adopt(storeId, index);
    await this.bounded(adopted, 'seeing the store marked adopted');
    if (replaced) throw new RdsCsiError('UNAVAILABLE', `store ${storeId} was replaced while it was opened`);
    this.active = index;
    this.recount(index);
    this.options.onAttachments?.reset(index.attachments());
    return storeId;
  }

  /** Makes the new store agree with Kubernetes, then marks it adopted (compare-and-set on the identity key). */
  private async adopt(storeId: string, index: StoreIndex): Promise<void> {
    const fromKubernetes = (await this.options.readKubernetes?.()) ?? new Map<string, Attachment>();
    const existing = new Map<string, ExistingRecord>();
    for (const record of index.allRecords())
      if (record.kind === 'valid')
        existing.set(record.key, { attachment: record.attachment, origin: originOf(record.stamp, storeId) });
    const steps = adoptionPlan(fromKubernetes, existing);
    for (let i = 0; i < steps.length; i += ADOPTION_CONCURRENCY) {
      await Promise.all(
        steps.slice(i, i + ADOPTION_CONCURRENCY).map((step) =>
          this.store.mutate(
            step.volumeId,
            (_current, origin) => ({ change: adoptionChange(step, origin), result: undefined }),
            {
              operation: 'adopt',
              adopting: true,
              unconfirmed: true,
              known: index.record(step.volumeId) ?? { key: step.volumeId, revision: 0, kind: 'absent' },
            },
          ),
        ),
      );
    }
    const marked = await this.store.markAdopted(storeId);
    if (!marked) throw new RdsCsiError('UNAVAILABLE', `store ${storeId} was replaced during its adoption`);
    const adopted = steps.filter((s) => s.kind === 'put').length;
    // A new store that Kubernetes had nothing for (a first start) is routine; records put or removed are news.
    const level = steps.length > 0 ? 'warn' : 'info';
    this.logger[level](
      { storeId, adopted, removed: steps.length - adopted },
      'attachment store adopted from Kubernetes VolumeAttachments',
    );
  }

  private async check(): Promise<void> {
    if (this.state !== 'serving') return;
    try {
      await this.store.confirm();
    } catch {
      // A loss was reported by confirm(); anything else (NATS down) is not evidence of one.
    }
  }

  private async bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    const timeout = sleep(this.options.phaseTimeoutMs, undefined, {
      signal: this.abort.signal,
      ref: false,
    }).then(() => {
      throw new RdsCsiError('UNAVAILABLE', `${what} took longer than ${this.options.phaseTimeoutMs} ms`);
    });
    timeout.catch(() => undefined);
    return Promise.race([promise, timeout]);
  }

  private recount(index: StoreIndex): void {
    const { attachments, corruptRecords } = this.options.metrics;
    attachments.set({ access: 'single-node' }, 0);
    attachments.set({ access: 'multi-node' }, 0);
    for (const attachment of index.attachments()) attachments.inc({ access: attachment.access });
    corruptRecords.set(index.corruptRecords().length);
  }

  private countChange(before: Attachment | undefined, after: Attachment | undefined): void {
    if (before?.access === after?.access) return;
    if (before) this.options.metrics.attachments.dec({ access: before.access });
    if (after) this.options.metrics.attachments.inc({ access: after.access });
  }
}

/** Whether the watch delivered `revision` into `index` before `deadline`. */
async function reachedBy(index: StoreIndex, revision: number, deadline: number): Promise<boolean> {
  try {
    await index.reached(revision, AbortSignal.timeout(Math.max(1, deadline - Date.now())));
    return true;
  } catch {
    return false;
  }
}

/** An adoption step decided again on the record as it is now: another adopter's record of this store stays. */
function adoptionChange(step: AdoptionStep, origin: RecordOrigin | undefined): Change {
  if (origin === 'mine') return { kind: 'keep' };
  if (step.kind === 'put') return { kind: 'put', value: step.value };
  return origin === 'foreign' ? { kind: 'delete' } : { kind: 'keep' };
}
