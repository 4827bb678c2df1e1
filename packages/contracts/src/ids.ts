import { z } from 'zod';

/**
 * Identifier rules shared by every service. These are the whitelist that keeps anything unsafe out of RouterOS
 * commands; the RouterOS package applies them again right before building a command.
 */
export const VOLUME_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const PV_NAME_PATTERN = /^pvc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Snapshot IDs: `snap-<uuid>-at-<10 hex>` (this driver and the Go driver's current format; the Go driver's older
 * format put the source volume's uuid and a decimal unix time there), or the Go driver's legacy `snap-<uuid>`.
 */
export const SNAPSHOT_ID_PATTERN =
  /^snap-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-at-[0-9a-f]{10})?$/;
/**
 * An NVMe qualified name (`nqn.<yyyy-mm>.<reverse domain>[:<anything safe>]`, at most 223 bytes): no quotes,
 * spaces, commas or `$`, so it can stand in a RouterOS list value and in the CSI node ID unescaped.
 */
export const NQN_PATTERN = /^nqn\.[0-9]{4}-[0-9]{2}\.[A-Za-z0-9.-]+(:[A-Za-z0-9._:-]+)?$/;
export const NQN_MAX_LENGTH = 223;
/** Slots of this prefix are snapshots on the RDS: a volume of that name would be a disk no volume listing shows. */
export const SNAPSHOT_SLOT_PREFIX = 'snap-';
/** Kubernetes node names are DNS-1123 subdomains. */
export const NODE_ID_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const VolumeId = z
  .string()
  .max(63)
  .regex(VOLUME_ID_PATTERN, 'volume ID must be a lowercase DNS label')
  .refine(
    (id) => !id.startsWith(SNAPSHOT_SLOT_PREFIX),
    'volume ID must not be shaped like a snapshot ID (snap-…)',
  );
export const SnapshotId = z
  .string()
  .max(63)
  .regex(SNAPSHOT_ID_PATTERN, 'snapshot ID must be snap-<uuid>-at-<10 hex> or snap-<uuid>');
export const NodeId = z.string().max(253).regex(NODE_ID_PATTERN, 'node ID must be a DNS-1123 subdomain');

/** The CSI driver name, the same as the Go driver's so existing PVs, VolumeAttachments and CSIDriver objects fit. */
export const DEFAULT_DRIVER_NAME = 'rds.csi.srvlab.io';
