/**
 * Reconnect schedule: 1 s, 2 s, 4 s, 8 s, then 16 s forever, each stretched by a random 10-30 % so that many
 * connectors restarting together do not hit a recovering RDS in lockstep.
 */
export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 16_000;
export const RECONNECT_FACTOR = 2;
export const JITTER_MIN = 0.1;
export const JITTER_MAX = 0.3;

/** Base delay before retry number `retry` (1-based), without jitter. */
export function baseDelayMs(retry: number, minMs = RECONNECT_MIN_MS, maxMs = RECONNECT_MAX_MS): number {
  return Math.min(minMs * RECONNECT_FACTOR ** Math.max(0, retry - 1), maxMs);
}

/** The extra wait added to a base delay: a fraction in [0.1, 0.3) of it. */
export function jitterMs(baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * (JITTER_MIN + (JITTER_MAX - JITTER_MIN) * random()));
}
