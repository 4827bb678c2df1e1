/**
 * The attachment store's identity: a reserved key of the bucket holds a random store id and whether the bucket's
 * adoption from Kubernetes has completed. Every record is stamped with the id of the store it was decided in, so a
 * record a replica wrote into a bucket it did not start with (it had not noticed the loss yet) is inert there.
 * Pure: encoding and the rules; the KV access is in store.ts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeMessage, encodeMessage } from '@rds-csi/contracts';

/** Never a volume ID (those start with a letter or digit), so the marker can share the bucket with the records. */
export const IDENTITY_KEY = '_store-identity';

/** `adopting`: the bucket is new and not yet merged with Kubernetes; nobody serves from it until it is `adopted`. */
export const StoreIdentity = z.object({
  storeId: z.string().min(1).max(64),
  state: z.enum(['adopting', 'adopted']),
  createdAt: z.string(),
});
export type StoreIdentity = z.infer<typeof StoreIdentity>;

export function newIdentity(now: Date): StoreIdentity {
  return { storeId: randomUUID(), state: 'adopting', createdAt: now.toISOString() };
}

export function encodeIdentity(identity: StoreIdentity): Uint8Array {
  return encodeMessage({ v: 1, ...identity });
}

export function decodeIdentity(data: Uint8Array): StoreIdentity | undefined {
  const decoded = decodeMessage(StoreIdentity, data);
  return decoded.ok ? decoded.value : undefined;
}

/** The stamp every record carries beside its attachment fields (the Attachment schema strips it on decode). */
const Stamp = z.object({ store: z.string().optional() });

export function stampOf(data: Uint8Array): string | undefined {
  const decoded = decodeMessage(Stamp, data);
  return decoded.ok ? decoded.value.store : undefined;
}

/**
 * Where a record comes from, judged against the store id this replica serves: `mine` (decided in this store),
 * `legacy` (no stamp: written before stores had identities), `foreign` (a stale replica's write into this store).
 */
export type RecordOrigin = 'mine' | 'legacy' | 'foreign';

export function originOf(stamp: string | undefined, storeId: string): RecordOrigin {
  if (stamp === undefined) return 'legacy';
  return stamp === storeId ? 'mine' : 'foreign';
}
