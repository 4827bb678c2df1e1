import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '@rds-csi/bus';
import { RdsCsiError, toRdsCsiError } from '@rds-csi/contracts';
import type { Logger } from 'pino';
import type { ReconcilerConfig } from './config.js';
import type { Passes } from './passes.js';
import type { StoreKeeper } from './store-keeper.js';

/**
 * The start-up part: waits for the store to be served, runs the start-up pass (retried with backoff while it fails,
 * e.g. without a node list), and from then on the periodic pass and `onStarted`'s schedules. Publishes are served
 * only once it has `started`.
 */
export class StartUp {
  started = false;
  private stopped = false;
  private periodic: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private markReady!: () => void;
  private failReady!: (err: Error) => void;
  private readonly ready = new Promise<void>((resolve, reject) => {
    this.markReady = resolve;
    this.failReady = reject;
  });
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      keeper: StoreKeeper;
      passes: Passes;
      config: ReconcilerConfig;
      logger: Logger;
      onStarted(): void;
    },
  ) {
    this.ready.catch(() => undefined);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    clearInterval(this.periodic);
    if (!this.started)
      this.failReady(
        new RdsCsiError('UNAVAILABLE', 'reconciler stopped before start-up reconciliation completed'),
      );
    await this.loop;
  }

  private async run(): Promise<void> {
    const { keeper, passes, config, logger } = this.deps;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await Promise.race([keeper.whenServing(), this.aborted()]);
        if (this.stopped) return;
        await passes.request('startup');
        this.started = true;
        logger.info('start-up reconciliation done: serving publish and unpublish');
        this.markReady();
        this.periodic = setInterval(
          () => void passes.request('periodic').catch(() => undefined),
          config.periodMs,
        );
        this.periodic.unref();
        this.deps.onStarted();
        return;
      } catch (err) {
        if (this.stopped) return;
        const delay = backoffDelayMs(attempt + 1, { minMs: config.retryMinMs, maxMs: config.retryMaxMs });
        logger.warn(
          { error: toRdsCsiError(err).message, retryInMs: delay },
          'start-up reconciliation postponed: publish and unpublish not served yet',
        );
        await sleep(delay, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private aborted(): Promise<void> {
    return new Promise((resolve) =>
      this.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
}
