import { createHash } from 'node:crypto';
import {
  PV_NAME_PATTERN,
  SNAPSHOT_ID_PATTERN,
  SNAPSHOT_SLOT_PREFIX,
  VOLUME_ID_PATTERN,
} from '@rds-csi/contracts';

/** The RFC 4122 namespace for DNS names, the namespace the Go driver derived snapshot IDs in. */
export const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = DNS_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The volume ID for a CreateVolume name: the name itself when it is a PV name (`pvc-<uuid>`, what the
 * external-provisioner sends and what volumes of the Go driver are called), otherwise a deterministic ID that is
 * safe on the RDS, so any other name (a CSI test suite's, a typo with spaces) maps to the same volume every time.
 */
export function volumeIdForName(name: string): string {
  return PV_NAME_PATTERN.test(name) ? name : `pvc-${uuidV5(name)}`;
}

/** The Go driver's snapshot ID: `snap-<uuid v5 of the name>-at-<first 10 hex digits of that uuid>`. */
export function snapshotIdForName(name: string): string {
  const uuid = uuidV5(name);
  return `snap-${uuid}-at-${uuid.replace(/-/g, '').slice(0, 10)}`;
}

/** Whether an ID could name a volume of this driver at all; others cannot exist, so callers answer without the RDS. */
export const isVolumeId = (id: string): boolean =>
  id.length <= 63 && VOLUME_ID_PATTERN.test(id) && !id.startsWith(SNAPSHOT_SLOT_PREFIX);
export const isSnapshotId = (id: string): boolean => SNAPSHOT_ID_PATTERN.test(id);
