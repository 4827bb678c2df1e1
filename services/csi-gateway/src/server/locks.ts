import { RdsCsiError } from '@rds-csi/contracts';

/**
 * Keys (a volume ID, a snapshot ID) with an operation in flight. The CO should never send two operations for one
 * volume at once, but after a restart it may; the spec lets the plugin answer the second one ABORTED so the CO
 * retries with backoff, rather than racing two changes of the same volume on the RDS.
 */
export class InFlightKeys {
  private readonly held = new Set<string>();

  /** Takes `key` or throws ABORTED when it is already taken. */
  acquire(key: string, what: string): void {
    if (this.held.has(key))
      throw new RdsCsiError('ABORTED', `an operation on ${what} is already in progress`);
    this.held.add(key);
  }

  release(key: string): void {
    this.held.delete(key);
  }

  get size(): number {
    return this.held.size;
  }
}
