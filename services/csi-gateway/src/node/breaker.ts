import { RdsCsiError, unavailable } from '@rds-csi/contracts';

export interface BreakerOptions {
  /** Consecutive failures that open a volume's breaker. */
  failureThreshold: number;
  /** How long an open breaker fails calls fast before letting one trial call through. */
  cooldownMs: number;
  now?: () => number;
  /** Called when a breaker opens (not on re-opening after a failed trial). */
  onTrip?: (key: string) => void;
}

interface BreakerState {
  failures: number;
  /** When the breaker (re)opened; meaningful once failures reach the threshold. */
  openedAt: number;
}

/** Failures of the node or the storage path; a caller's own mistakes (bad arguments, NOT_FOUND...) do not count. */
const COUNTED_CODES = new Set(['INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'UNKNOWN']);

export function countsAsFailure(err: unknown): boolean {
  return !(err instanceof RdsCsiError) || COUNTED_CODES.has(err.code);
}

/**
 * One circuit breaker per volume: after `failureThreshold` consecutive failures the volume's operations fail fast
 * with UNAVAILABLE for `cooldownMs`, then one trial call decides (success closes, failure re-opens). A broken volume
 * therefore costs the node one attempt per cool-down instead of a retry storm of connects, blkids and mounts.
 */
export class VolumeBreakers {
  private readonly states = new Map<string, BreakerState>();
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  async run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    this.admit(key);
    try {
      const result = await operation();
      this.states.delete(key);
      return result;
    } catch (err) {
      if (countsAsFailure(err)) this.recordFailure(key);
      throw err;
    }
  }

  /** Volumes whose breaker is open (failing fast or waiting for a trial). */
  openCount(): number {
    let open = 0;
    for (const state of this.states.values()) if (state.failures >= this.options.failureThreshold) open++;
    return open;
  }

  private admit(key: string): void {
    const state = this.states.get(key);
    if (!state || state.failures < this.options.failureThreshold) return;
    const remainingMs = state.openedAt + this.options.cooldownMs - this.now();
    if (remainingMs > 0) {
      throw unavailable(
        `volume ${key} failed ${state.failures} times in a row; failing fast for another ${Math.ceil(remainingMs / 1000)} s`,
      );
    }
    // Trial call: concurrent calls keep failing fast until it finishes.
    state.openedAt = this.now();
  }

  private recordFailure(key: string): void {
    const state = this.states.get(key) ?? { failures: 0, openedAt: 0 };
    state.failures++;
    if (state.failures >= this.options.failureThreshold) {
      if (state.failures === this.options.failureThreshold) this.options.onTrip?.(key);
      state.openedAt = this.now();
    }
    this.states.set(key, state);
  }
}
