/**
 * The one retry schedule of the project: exponential from `minMs`, doubling up to `maxMs`, each delay stretched by a
 * random 10-30 % so that replicas (or many connectors) that failed together do not retry in lockstep.
 */
export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

export const JITTER_MIN = 0.1;
export const JITTER_MAX = 0.3;

/** Delay before retry number `retry` (1-based), without jitter. */
export function baseDelayMs(retry: number, policy: BackoffPolicy): number {
  return Math.min(policy.minMs * 2 ** Math.max(0, retry - 1), policy.maxMs);
}

/** The jitter added to a base delay: a random fraction in [0.1, 0.3) of it. */
export function jitterMs(baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * (JITTER_MIN + (JITTER_MAX - JITTER_MIN) * random()));
}

/** The full delay before retry number `retry` (1-based): base plus jitter. */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const base = baseDelayMs(retry, policy);
  return base + jitterMs(base, random);
}
