import { RdsCsiError, type ReconcileTrigger } from '@rds-csi/contracts';

export interface PassRequest {
  /** The trigger of the first request the pass serves. */
  trigger: ReconcileTrigger;
  dryRun: boolean;
}

interface Queued<R> extends PassRequest {
  promise: Promise<R>;
  resolve: (report: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Serialises reconciliation passes from every trigger (start-up, node events, the period, operators): never two passes
 * at once, and every request made while a pass runs is served by ONE more pass that starts after it. Dry runs and real
 * passes queue separately, so a dry-run caller never gets a pass that cleared something, nor the reverse.
 */
export class PassCoalescer<R> {
  private running: Promise<void> | undefined;
  private readonly queued = new Map<boolean, Queued<R>>();
  private closed = false;

  constructor(private readonly runPass: (request: PassRequest) => Promise<R>) {}

  /** Resolves with the report of a pass that started after this call. */
  request(trigger: ReconcileTrigger, dryRun = false): Promise<R> {
    if (this.closed) return Promise.reject(new RdsCsiError('UNAVAILABLE', 'reconciler is shutting down'));
    const waiting = this.queued.get(dryRun);
    if (waiting) return waiting.promise;
    let resolve!: (report: R) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<R>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.queued.set(dryRun, { trigger, dryRun, promise, resolve, reject });
    this.startNext();
    return promise;
  }

  /** Refuses new requests, fails the queued ones, and waits for the running pass. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queued.values())
      waiting.reject(new RdsCsiError('UNAVAILABLE', 'reconciler is shutting down'));
    this.queued.clear();
    await this.running;
  }

  private startNext(): void {
    if (this.running) return;
    // Real passes first: they are the ones that unblock publishes.
    const next = this.queued.get(false) ?? this.queued.get(true);
    if (!next) return;
    this.queued.delete(next.dryRun);
    this.running = this.runPass({ trigger: next.trigger, dryRun: next.dryRun })
      .then(next.resolve, next.reject)
      .finally(() => {
        this.running = undefined;
        this.startNext();
      });
  }
}
