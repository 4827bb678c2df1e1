/** Exponential backoff with 10-30 % jitter, so replicas that failed together do not retry in step. */
export function backoffMs(attempt: number, minMs: number, maxMs: number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.1 + Math.random() * 0.2));
}
