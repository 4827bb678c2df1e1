/** Faults a test can switch on and off while the simulator runs. */
import type { Pool } from './views.js';

export interface InjectedFailure {
  /** Printed on stdout (a newline is added when missing). */
  message: string;
  exitCode: number;
}

/** What faults need from the simulator they belong to. */
export interface FaultTarget {
  pool: Pool;
  usedBytes(): number;
  stopListening(): void;
  dropConnections(): Promise<void>;
}

export class SimulatorFaults {
  private latency = { baseMs: 0, jitterMs: 0 };
  private pendingFailures: { failure: InjectedFailure; remaining: number } | undefined;
  private hang: { released: Promise<void>; release: () => void } | undefined;

  constructor(private readonly target: FaultTarget) {}

  /** Every exec request waits `latencyMs` plus a random 0..`jitterMs` before it runs (one wait per round trip). */
  setLatency(latencyMs: number, jitterMs = 0): void {
    assertNonNegative('latencyMs', latencyMs);
    assertNonNegative('jitterMs', jitterMs);
    this.latency = { baseMs: latencyMs, jitterMs };
  }

  /** The next `count` exec requests print `message` and exit with `exitCode` without running anything. */
  failNext(count: number, message: string, exitCode = 0): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`count must be a non-negative integer: ${count}`);
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)
      throw new RangeError(`bad exit code: ${exitCode}`);
    this.pendingFailures = count > 0 ? { failure: { message, exitCode }, remaining: count } : undefined;
  }

  /**
   * While hanging, exec requests get no answer at all (channels stay open and silent). Clearing the hang answers
   * the requests still waiting; requests whose connection closed meanwhile are never run.
   */
  setHang(hang: boolean): void {
    if (hang && !this.hang) {
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      this.hang = { released, release };
    } else if (!hang && this.hang) {
      this.hang.release();
      this.hang = undefined;
    }
  }

  get hanging(): boolean {
    return this.hang !== undefined;
  }

  /** Changes the pool size (the `size=` of the pool partition). */
  setPoolSize(bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`bad pool size: ${bytes}`);
    this.target.pool.sizeBytes = bytes;
  }

  /** Makes `free=` report `bytes` now, as if something else filled the rest of the pool. */
  setFreeBytes(bytes: number): void {
    assertNonNegative('bytes', bytes);
    const { pool } = this.target;
    pool.reservedBytes = Math.max(0, pool.sizeBytes - this.target.usedBytes() - bytes);
  }

  /** No free space left: every allocation fails with `failure: not enough space`. */
  diskFull(): void {
    this.setFreeBytes(0);
  }

  /**
   * Stops listening: new clients get "connection refused" while open connections stay up. `sim.start()` listens
   * again on the same port.
   */
  refuseConnections(): void {
    this.target.stopListening();
  }

  /** Destroys every open connection at once, like a crash or a network cut; resolves when all are closed. */
  dropConnections(): Promise<void> {
    return this.target.dropConnections();
  }

  /** Back to normal: no latency, no pending failures, no hang, no space taken by others. */
  clear(): void {
    this.setLatency(0, 0);
    this.failNext(0, '');
    this.setHang(false);
    this.target.pool.reservedBytes = 0;
  }

  /** The wait for one exec request. */
  nextDelayMs(): number {
    return this.latency.baseMs + Math.random() * this.latency.jitterMs;
  }

  /** Consumes one injected failure, if any are pending. */
  takeFailure(): InjectedFailure | undefined {
    const pending = this.pendingFailures;
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining === 0) this.pendingFailures = undefined;
    return pending.failure;
  }

  /** Resolves when no hang is active. */
  whenNotHanging(): Promise<void> {
    return this.hang?.released ?? Promise.resolve();
  }
}

function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative number: ${value}`);
}
