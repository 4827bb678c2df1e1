/**
 * The attachment store's identity: a reserved key of the bucket holds a random store id and whether the bucket's
 * adoption from Kubernetes has completed. Every record is stamped with the id of the store it was decided in, so a
 * record a replica wrote into a bucket it did not start with (it had not noticed the loss yet) is inert there.
 * Pure: encoding and the rules; the KV access is in store.ts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Attachment, decodeMessage, encodeMessage } from '@rds-csi/contracts';

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

/** A stored record: the attachment and the stamp of the store it was decided in, validated in one parse. */
export const StampedAttachment = Attachment.extend({ store: z.string().min(1).max(64).optional() });

export function decodeStamped(
  data: Uint8Array,
): { ok: true; attachment: Attachment; stamp: string | undefined } | { ok: false; reason: string } {
  const decoded = decodeMessage(StampedAttachment, data);
  if (!decoded.ok) return decoded;
  const { store, ...attachment } = decoded.value;
  return { ok: true, attachment, stamp: store };
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
