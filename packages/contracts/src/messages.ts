import { z } from 'zod';
import { NQN_MAX_LENGTH, NQN_PATTERN, NodeId, SnapshotId, VolumeId } from './ids.js';
import { MAX_PAGE_LIMIT, PageReplyFields, PageRequest } from './paging.js';

/** Sizes travel as integers of bytes; 2^53 bytes (8 PiB) is far beyond any RDS. */
const Bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Port = z.number().int().min(1).max(65535);
const Timestamp = z.string().datetime({ offset: true });
const Empty = z.object({}).strict();

// ---------- RDS (owned by rds-connector) ----------

export const VolumeContentSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), id: SnapshotId }),
  z.object({ type: z.literal('volume'), id: VolumeId }),
]);
export type VolumeContentSource = z.infer<typeof VolumeContentSource>;

export const Volume = z.object({
  id: VolumeId,
  filePath: z.string(),
  sizeBytes: Bytes,
  nqn: z.string(),
  nvmeTcpPort: Port,
  exported: z.boolean(),
  /** Why RouterOS cannot serve the volume now (disabled, or its backing file is missing); absent when it can. */
  problem: z.string().optional(),
  /**
   * What the volume was copied from, as the rds-connector recorded it when it made the copy (RouterOS keeps no such
   * property). Absent: made empty, or made without a record (by the Go driver, or before records were kept), which
   * counts as empty too. Reported by `rds.volume.get` and `rds.volume.create`; lists leave it out.
   */
  source: VolumeContentSource.optional(),
});
export type Volume = z.infer<typeof Volume>;

/** Whether two content sources are the same (both absent included): a repeated create must name the volume's own. */
export const sameContentSource = (a?: VolumeContentSource, b?: VolumeContentSource): boolean =>
  a?.type === b?.type && a?.id === b?.id;

export const VolumeCreateRequest = z
  .object({
    id: VolumeId,
    /**
     * Bytes to provision (rounded up to whole MiB). A copy is never smaller than its source: it takes the larger of
     * the two, and with no size (a copy only) exactly the source's size.
     */
    sizeBytes: Bytes.min(1).optional(),
    /** A copy whose size would exceed this is refused (OUT_OF_RANGE) before anything is copied. */
    limitBytes: Bytes.min(1).optional(),
    /** Directory on the RDS for the backing file; must lie under the connector's base path. Default: the base path. */
    volumePath: z.string().min(1).max(255).optional(),
    nvmePort: Port.optional(),
    source: VolumeContentSource.optional(),
  })
  .refine((req) => req.sizeBytes !== undefined || req.source !== undefined, {
    message: 'sizeBytes is required for a volume without a content source',
    path: ['sizeBytes'],
  });
export type VolumeCreateRequest = z.infer<typeof VolumeCreateRequest>;

export const VolumeRef = z.object({ id: VolumeId });
export type VolumeRef = z.infer<typeof VolumeRef>;

export const VolumeResizeRequest = z.object({ id: VolumeId, sizeBytes: Bytes.min(1) });
export type VolumeResizeRequest = z.infer<typeof VolumeResizeRequest>;

export const DeleteResult = z.object({ deleted: z.boolean() });
export type DeleteResult = z.infer<typeof DeleteResult>;

/** A page of volumes in ascending ID order; `nextCursor` is the last ID returned (see paging.ts). */
export const VolumeList = z.object({ volumes: z.array(Volume), ...PageReplyFields });
export type VolumeList = z.infer<typeof VolumeList>;

export const Snapshot = z.object({
  id: SnapshotId,
  sourceVolumeId: VolumeId,
  sizeBytes: Bytes,
  createdAt: Timestamp,
  filePath: z.string(),
  readyToUse: z.boolean(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SnapshotCreateRequest = z.object({ id: SnapshotId, sourceVolumeId: VolumeId });
export type SnapshotCreateRequest = z.infer<typeof SnapshotCreateRequest>;

export const SnapshotRef = z.object({ id: SnapshotId });
export type SnapshotRef = z.infer<typeof SnapshotRef>;

/** Most lineage records one adoption request carries (a cluster's snapshots are sent in batches of this many). */
export const SNAPSHOT_ADOPTION_BATCH = 200;

/** The lineage of a snapshot made elsewhere (the Go driver), as its VolumeSnapshotContent tells it. */
export const SnapshotLineage = z.object({ id: SnapshotId, sourceVolumeId: VolumeId, createdAt: Timestamp });
export type SnapshotLineage = z.infer<typeof SnapshotLineage>;

/** Lineage for snapshots that have none: existing records are kept, so this driver's own never change. */
export const SnapshotAdoptRequest = z.object({
  snapshots: z.array(SnapshotLineage).max(SNAPSHOT_ADOPTION_BATCH),
});
export type SnapshotAdoptRequest = z.infer<typeof SnapshotAdoptRequest>;

export const SnapshotAdoptResult = z.object({ adopted: z.number().int().nonnegative() });
export type SnapshotAdoptResult = z.infer<typeof SnapshotAdoptResult>;

/** A page of snapshots in ascending ID order; `nextCursor` is the last ID returned (see paging.ts). */
export const SnapshotList = z.object({ snapshots: z.array(Snapshot), ...PageReplyFields });
export type SnapshotList = z.infer<typeof SnapshotList>;

export const CapacityRequest = z.object({ volumePath: z.string().min(1).max(255).optional() });
export type CapacityRequest = z.infer<typeof CapacityRequest>;

export const Capacity = z.object({ totalBytes: Bytes, freeBytes: Bytes });
export type Capacity = z.infer<typeof Capacity>;

export const ConnectionStateName = z.enum(['connected', 'connecting', 'disconnected']);
export type ConnectionStateName = z.infer<typeof ConnectionStateName>;

/** Broadcast on every change and as a heartbeat; `at` is when this copy was sent, `since` when the state began. */
export const ConnectionState = z.object({
  state: ConnectionStateName,
  since: Timestamp,
  at: Timestamp,
  attempt: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  address: z.string(),
});
export type ConnectionState = z.infer<typeof ConnectionState>;

// ---------- attachments (owned by reconciler) ----------

export const VolumeMode = z.enum(['filesystem', 'block']);
export type VolumeMode = z.infer<typeof VolumeMode>;

/** single-node: RWO/RWOP style, one node; multi-node: RWX block for live migration, at most two nodes. */
export const AttachAccess = z.enum(['single-node', 'multi-node']);
export type AttachAccess = z.infer<typeof AttachAccess>;

/** The node's NVMe host NQN (`/etc/nvme/hostnqn`): the storage fence admits only the hosts of a volume's record. */
export const HostNqn = z
  .string()
  .min(1)
  .max(NQN_MAX_LENGTH)
  .regex(NQN_PATTERN, 'host NQN must be an NVMe qualified name');
export type HostNqn = z.infer<typeof HostNqn>;

/**
 * The storage fence of one volume (owned by rds-connector): its export admits exactly these hosts. An empty list
 * admits no host (not "any"); two hosts only during an RWX block migration.
 */
/** Hosts one fence may revoke by name (a volume's removed nodes whose revocations are still owed). */
export const MAX_REVOKED_HOSTS = 16;

export const VolumeFenceRequest = z
  .object({
    id: VolumeId,
    allowHostNqns: z.array(HostNqn).max(2),
    /**
     * For revocations: an export that admits any host (never restricted, e.g. made by the Go driver and not yet
     * published through this one) is left so; only an export restricted by name is narrowed.
     */
    keepOpen: z.boolean().default(false),
    /**
     * The hosts the export admits now stay admitted besides these (a record with a node whose host NQN is unknown:
     * its host keeps access, whichever it is); nobody loses access, and an open export stays open.
     */
    keepAdmitted: z.boolean().default(false),
    /**
     * With keepAdmitted: hosts the export stops admitting (the own hosts of removed nodes, while a node whose host NQN
     * is unknown stays recorded). Without keepAdmitted the list is exact, so every other host is revoked anyway.
     */
    revokeHostNqns: z.array(HostNqn).max(MAX_REVOKED_HOSTS).default([]),
  })
  .refine((req) => req.revokeHostNqns.length === 0 || req.keepAdmitted, {
    message: 'revokeHostNqns needs keepAdmitted (an exact list already revokes every other host)',
    path: ['revokeHostNqns'],
  })
  .refine((req) => !req.revokeHostNqns.some((host) => req.allowHostNqns.includes(host)), {
    message: 'a host cannot be both admitted and revoked',
    path: ['revokeHostNqns'],
  });
export type VolumeFenceRequest = z.input<typeof VolumeFenceRequest>;

export const VolumeFence = z.object({
  id: VolumeId,
  /** The allow-list the RDS now has (sorted); empty while `open`. */
  allowHostNqns: z.array(HostNqn),
  /** The export admits any host (left so by `keepOpen`). */
  open: z.boolean(),
  /** Whether the list had to change; false = it already was this list (no write). */
  changed: z.boolean(),
  /** Whether the disk was re-exported to drop the live connections of revoked hosts. */
  reexported: z.boolean(),
});
export type VolumeFence = z.infer<typeof VolumeFence>;

export const PublishRequest = z.object({
  volumeId: VolumeId,
  nodeId: NodeId,
  /** Absent when the node plugin could not report one (fence then admits no host-restricted export for it). */
  hostNqn: HostNqn.optional(),
  readonly: z.boolean().default(false),
  access: AttachAccess,
  volumeMode: VolumeMode,
  migrationTimeoutSeconds: z.number().int().min(30).max(3600).optional(),
});
export type PublishRequest = z.input<typeof PublishRequest>;

export const UnpublishRequest = z.object({ volumeId: VolumeId, nodeId: NodeId.optional() });
export type UnpublishRequest = z.infer<typeof UnpublishRequest>;

export const AttachedNode = z.object({
  nodeId: NodeId,
  /** The Node object's uid when the record was made: evidence about another object of the same name never clears it. */
  nodeUid: z.string().min(1).max(128).optional(),
  hostNqn: HostNqn.optional(),
  readonly: z.boolean(),
  attachedAt: Timestamp,
});
export type AttachedNode = z.infer<typeof AttachedNode>;

export const Attachment = z.object({
  volumeId: VolumeId,
  access: AttachAccess,
  volumeMode: VolumeMode,
  nodes: z.array(AttachedNode),
  /** Set while a volume is attached to two nodes: after it, the migration is overdue. */
  migrationDeadline: Timestamp.optional(),
  migrationTimeoutSeconds: z.number().int().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentRef = z.object({ volumeId: VolumeId });
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const UnpublishResult = z.object({ removed: z.boolean() });
export type UnpublishResult = z.infer<typeof UnpublishResult>;

/** The operators' break-glass (`rdscsi release`): one node's attachment removed by hand, the fence revoked. */
export const ReleaseRequest = z.object({ volumeId: VolumeId, nodeId: NodeId });
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;

export const ReleaseResult = z.object({
  volumeId: VolumeId,
  released: AttachedNode,
  /** The nodes the volume stays attached to (a multi-node attachment keeps its other node). */
  remainingNodes: z.array(NodeId),
});
export type ReleaseResult = z.infer<typeof ReleaseResult>;

/** A stored attachment record that fails validation: never served, never cleared automatically; blocks publish. */
export const CorruptRecord = z.object({ key: z.string(), reason: z.string() });
export type CorruptRecord = z.infer<typeof CorruptRecord>;

/**
 * A page of attachments in ascending volume ID order (the cursor is the last volume ID returned): of every volume,
 * or only of `volumeIds` (the gateway asks for the volumes of the ListVolumes page it answers). The IDs of a page
 * of volumes take fewer bytes than that page, so the request fits wherever the volume page did.
 */
export const AttachmentListRequest = PageRequest.extend({
  volumeIds: z.array(VolumeId).max(MAX_PAGE_LIMIT).optional(),
});
export type AttachmentListRequest = z.infer<typeof AttachmentListRequest>;

export const AttachmentList = z.object({
  attachments: z.array(Attachment),
  /** Records that could not be read (absent when there are none), in the same key order as the page. */
  corrupt: z.array(CorruptRecord).optional(),
  ...PageReplyFields,
});
export type AttachmentList = z.infer<typeof AttachmentList>;

export const ReconcileTrigger = z.enum(['startup', 'node-event', 'periodic', 'manual']);
export type ReconcileTrigger = z.infer<typeof ReconcileTrigger>;

export const ReconcileRequest = z.object({ dryRun: z.boolean().default(false) });
export type ReconcileRequest = z.input<typeof ReconcileRequest>;

export const ClearReason = z.enum(['node-deleted', 'node-out-of-service', 'node-not-ready', 'node-missing']);
export type ClearReason = z.infer<typeof ClearReason>;

export const ClearedAttachment = z.object({ volumeId: VolumeId, nodeId: NodeId, reason: ClearReason });
export type ClearedAttachment = z.infer<typeof ClearedAttachment>;

export const ReconcileReport = z.object({
  trigger: ReconcileTrigger,
  dryRun: z.boolean(),
  startedAt: Timestamp,
  durationMs: z.number().nonnegative(),
  checked: z.number().int().nonnegative(),
  cleared: z.array(ClearedAttachment),
  skipped: z.array(z.object({ volumeId: VolumeId, nodeId: NodeId, why: z.string() })),
  /** Records that could not be read and were left alone (absent when there are none). */
  corrupt: z.array(CorruptRecord).optional(),
});
export type ReconcileReport = z.infer<typeof ReconcileReport>;

// ---------- nodes (owned by node-watcher) ----------

export const NodeState = z.object({
  name: NodeId,
  uid: z.string().min(1).max(128),
  /** The Node object's metadata.creationTimestamp. */
  createdAt: Timestamp,
  ready: z.boolean(),
  /** When the node's Ready condition last left True; absent while Ready. */
  notReadySince: Timestamp.optional(),
  outOfService: z.boolean(),
});
export type NodeState = z.infer<typeof NodeState>;

/** A page of nodes in ascending name order (the cursor is the last name returned), with the cache's times. */
export const NodeSnapshot = z.object({
  nodes: z.array(NodeState),
  syncedAt: Timestamp,
  /** The latest instant the informer's cache is known to have matched the API server (list, event or bookmark). */
  currentAt: Timestamp,
  ...PageReplyFields,
});
export type NodeSnapshot = z.infer<typeof NodeSnapshot>;

export const NodeRef = z.object({ name: NodeId });
export type NodeRef = z.infer<typeof NodeRef>;

export const NodeEventKind = z.enum(['ready', 'not-ready', 'deleted', 'out-of-service']);
export type NodeEventKind = z.infer<typeof NodeEventKind>;

/** Published to the node events stream; `v` lets consumers skip versions they do not understand. */
export const NodeEvent = z.object({
  v: z.literal(1),
  kind: NodeEventKind,
  node: NodeId,
  /** The uid of the Node object the event describes; absent only in events from older node-watchers. */
  uid: z.string().min(1).max(128).optional(),
  at: Timestamp,
  notReadySince: Timestamp.optional(),
});
export type NodeEvent = z.infer<typeof NodeEvent>;

export { Empty };

// ---------- orphan report (owned by reconciler) ----------

/** A volume on the RDS that no PersistentVolume references, seen continuously for at least the grace period. */
export const OrphanVolume = z.object({
  volumeId: VolumeId,
  filePath: z.string(),
  sizeBytes: Bytes,
  firstSeen: Timestamp,
});
export type OrphanVolume = z.infer<typeof OrphanVolume>;

/** Report only: orphans are never deleted by the driver, and snapshots are never considered. */
export const OrphanReport = z.object({
  checkedAt: Timestamp,
  graceSeconds: z.number().int().nonnegative(),
  volumesChecked: z.number().int().nonnegative(),
  /** A page of the orphans in ascending volume ID order; the counts above and below are of the whole report. */
  orphans: z.array(OrphanVolume),
  /** Unreferenced volumes still inside the grace period (e.g. being provisioned right now). */
  withinGrace: z.number().int().nonnegative(),
  ...PageReplyFields,
});
export type OrphanReport = z.infer<typeof OrphanReport>;
