import { RdsCsiError } from '@rds-csi/contracts';

/**
 * Bounds the number of SSH exec channels open at once (an SSH server limits sessions per connection); callers
 * beyond the bound wait in FIFO order, but never past their own deadline.
 */
export class ChannelLimiter {
  private active = 0;
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];

  constructor(private readonly max: number) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a free slot until `deadline` (epoch ms); returns the function that frees it. */
  async acquire(deadline: number): Promise<() => void> {
    if (this.active < this.max) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        resolve,
        reject,
        timer: setTimeout(
          () => {
            this.waiting.splice(this.waiting.indexOf(entry), 1);
            reject(
              new RdsCsiError(
                'UNAVAILABLE',
                'RDS command queue: deadline passed while waiting for a free SSH channel',
              ),
            );
          },
          Math.max(0, deadline - Date.now()),
        ),
      };
      this.waiting.push(entry);
    });
    return this.releaser();
  }

  /** Fails every waiter, e.g. when the connection is lost. */
  rejectAll(error: Error): void {
    for (const entry of this.waiting.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve();
      } else {
        this.active--;
      }
    };
  }
}
