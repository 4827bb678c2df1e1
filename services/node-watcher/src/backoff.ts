/** Retry delays for watch restarts and publish retries: doubling from `minMs` to `maxMs`. */
export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * Delay before retry number `attempt` (1-based), stretched by a random 10-30 % so that many watchers failing together
 * (an API server restart) do not come back in lockstep.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.minMs * 2 ** Math.max(0, attempt - 1), policy.maxMs);
  return Math.round(base * (1.1 + 0.2 * random()));
}
