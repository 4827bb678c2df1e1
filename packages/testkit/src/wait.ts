import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Shown when the wait times out, with the last value or error seen. */
  message?: string;
}

/**
 * Polls until `probe` returns a truthy value (or stops throwing) and returns that value. Tests wait on observable
 * state instead of sleeping for a fixed time, so they are as fast as the system allows and tolerant of slow machines.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 50;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`${options.message ?? 'condition'} not met within ${timeoutMs} ms (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

/** Runs `fn` and returns the error it rejects with; fails if it resolves. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error & { code?: unknown }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`expected an Error rejection, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection, but the call succeeded');
}
