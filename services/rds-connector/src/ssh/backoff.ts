import type { BackoffPolicy } from '@rds-csi/bus';

/** SSH reconnect schedule: 1 s, 2 s, 4 s, 8 s, then 16 s forever (plus the bus backoff's 10-30 % jitter). */
export const RECONNECT_BACKOFF: BackoffPolicy = { minMs: 1000, maxMs: 16_000 };
export const RECONNECT_FACTOR = 2;
