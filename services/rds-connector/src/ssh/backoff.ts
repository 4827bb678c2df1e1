import { backoffDelayMs, type BackoffPolicy } from '@rds-csi/bus';

/** SSH reconnect schedule: 1 s, 2 s, 4 s, 8 s, then 16 s forever (plus the bus backoff's 10-30 % jitter). */
export const RECONNECT_BACKOFF: BackoffPolicy = { minMs: 1000, maxMs: 16_000 };

/**
 * Counts the attempts since the link was last healthy. An attempt that fails and a connection that drops before it
 * has been healthy for `healthyResetMs` both count, so a peer that accepts and drops at once still gets the full
 * backoff; only a connection that stayed up resets the schedule.
 */
export class ReconnectSchedule {
  private unhealthyAttempts = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Attempts made since the last healthy connection. */
  get attempts(): number {
    return this.unhealthyAttempts;
  }

  /** Records one more attempt and returns the wait before it: none after a healthy link, the backoff otherwise. */
  nextDelayMs(): number {
    const delay =
      this.unhealthyAttempts === 0 ? 0 : backoffDelayMs(this.unhealthyAttempts, this.policy, this.random);
    this.unhealthyAttempts++;
    return delay;
  }

  /** The connection stayed healthy long enough: the next loss reconnects at once. */
  healthy(): void {
    this.unhealthyAttempts = 0;
  }
}
