import type { SshSession } from './session.js';
import { errorMessage } from '@rds-csi/contracts';

/** A cheap read-only RouterOS command: proves the RDS still answers commands, not only keepalives. */
export const HEALTH_COMMAND = '/system identity print';

export interface HealthCheckOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failures (or timeouts) after which the link counts as degraded. */
  failuresBeforeDegraded: number;
}

/**
 * Worst-case time from the RDS going silent to the link being marked degraded: the hang can begin just after a
 * check passed, and then each of the failing checks waits one interval and one timeout.
 */
export function degradedBoundMs(options: HealthCheckOptions): number {
  return options.failuresBeforeDegraded * (options.intervalMs + options.timeoutMs);
}

/**
 * A failed check during which this process's event loop stood still for half the timeout or more says nothing about
 * the RDS (the reply may be waiting unread), so it is not counted; at most this many between two passed checks, so
 * a process that stalls all the time still finds a dead RDS.
 */
export const MAX_INCONCLUSIVE_CHECKS = 3;

const STALL_BEAT_MS = 50;

/** The longest time this process's event loop stood still while watched (a beat that came late, or is late now). */
class StallWatch {
  private lastBeat = performance.now();
  private longest = 0;
  private readonly beat = setInterval(() => {
    const now = performance.now();
    this.longest = Math.max(this.longest, now - this.lastBeat - STALL_BEAT_MS);
    this.lastBeat = now;
  }, STALL_BEAT_MS).unref();

  stop(): number {
    clearInterval(this.beat);
    return Math.max(this.longest, performance.now() - this.lastBeat - STALL_BEAT_MS);
  }
}

/**
 * Runs the health command on one session every `intervalMs` (one at a time, each bounded by `timeoutMs`) and calls
 * `onDegraded` once after `failuresBeforeDegraded` failures in a row. It runs outside the channel limiter, so a
 * queue of slow commands does not make a healthy RDS look dead, and a hung one is still found.
 */
export class HealthCheck {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private inconclusive = 0;
  private stopped = false;

  constructor(
    private readonly session: SshSession,
    private readonly options: HealthCheckOptions,
    private readonly onDegraded: (reason: string) => void,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.check(), this.options.intervalMs);
  }

  private async check(): Promise<void> {
    const stalls = new StallWatch();
    try {
      const output = await this.session.exec(HEALTH_COMMAND, this.options.timeoutMs, 'health-check');
      if (output.exitCode !== undefined && output.exitCode !== 0)
        throw new Error(`exit code ${output.exitCode}`);
      this.failures = 0;
      this.inconclusive = 0;
    } catch (err) {
      if (stalls.stop() >= this.options.timeoutMs / 2 && this.inconclusive < MAX_INCONCLUSIVE_CHECKS) {
        this.inconclusive++;
        this.schedule();
        return;
      }
      this.failures++;
      if (this.failures >= this.options.failuresBeforeDegraded && !this.stopped) {
        this.stop();
        this.onDegraded(`health check failed ${this.failures} times in a row: ${errorMessage(err)}`);
        return;
      }
    } finally {
      stalls.stop();
    }
    this.schedule();
  }
}
