import type { AttachedNode, Attachment, AttachAccess, VolumeMode } from '@rds-csi/contracts';
import type { RecordOrigin } from './identity.js';
import { NODE_ID_PATTERN, VOLUME_ID_PATTERN } from '@rds-csi/contracts';

/** What the adoption needs of a Kubernetes VolumeAttachment. */
export interface AttachedVolume {
  attacher: string;
  nodeName: string;
  persistentVolumeName: string;
  attached: boolean;
  /** The VolumeAttachment is being deleted (detach under way): no evidence of an attachment to keep. */
  deleting?: boolean;
  /** When Kubernetes recorded it (metadata.creationTimestamp), as an ISO time. */
  since: string;
}

/** What the adoption needs of the PersistentVolume behind it. */
export interface VolumeShape {
  driver: string;
  volumeHandle: string;
  accessModes: string[];
  volumeMode: VolumeMode;
}

/** A record the bucket holds for a volume, and where it came from (identity.ts). */
export interface ExistingRecord {
  attachment: Attachment;
  origin: RecordOrigin;
}

/** One write an adoption makes: the record Kubernetes implies, or the removal of a stale replica's record. */
export type AdoptionStep =
  { volumeId: string; kind: 'put'; value: Attachment } | { volumeId: string; kind: 'delete' };

/**
 * What Kubernetes says is attached, by volume: the attached VolumeAttachments of this driver; for a volume with none
 * attached, the ones being attached (not being deleted), since a publish answered just before the store was lost
 * may not be marked attached yet. Fencing more than needed is safe; fencing less is not.
 */
export function kubernetesAttachments(
  driverName: string,
  vas: AttachedVolume[],
  volumes: ReadonlyMap<string, VolumeShape>,
  defaultMigrationTimeoutSeconds: number,
): Map<string, Attachment> {
  const byVolume = new Map<
    string,
    { shape: VolumeShape; attached: AttachedVolume[]; pending: AttachedVolume[] }
  >();
  for (const va of vas) {
    const pv = volumes.get(va.persistentVolumeName);
    if (va.attacher !== driverName || !pv || pv.driver !== driverName || va.deleting) continue;
    if (!VOLUME_ID_PATTERN.test(pv.volumeHandle) || !NODE_ID_PATTERN.test(va.nodeName)) continue;
    const entry = byVolume.get(pv.volumeHandle) ?? { shape: pv, attached: [], pending: [] };
    (va.attached ? entry.attached : entry.pending).push(va);
    byVolume.set(pv.volumeHandle, entry);
  }
  const result = new Map<string, Attachment>();
  for (const [volumeId, { shape, attached, pending }] of byVolume) {
    const chosen = attached.length > 0 ? attached : pending;
    const access: AttachAccess =
      shape.volumeMode === 'block' && shape.accessModes.includes('ReadWriteMany')
        ? 'multi-node'
        : 'single-node';
    const nodes = new Map<string, AttachedNode>();
    for (const va of chosen)
      if (!nodes.has(va.nodeName))
        nodes.set(va.nodeName, { nodeId: va.nodeName, readonly: false, attachedAt: va.since });
    const attachment: Attachment = {
      volumeId,
      access,
      volumeMode: shape.volumeMode,
      nodes: [...nodes.values()],
    };
    if (access === 'multi-node') attachment.migrationTimeoutSeconds = defaultMigrationTimeoutSeconds;
    result.set(volumeId, attachment);
  }
  return result;
}

/**
 * Adopting a new store (lost, re-created, or first use after the Go driver) makes it agree with Kubernetes: every
 * volume Kubernetes has attached gets exactly those nodes, keeping what an earlier record knew of the same nodes
 * (node uid, host NQN, readonly, migration timeout); a record a stale replica wrote into this store (foreign) that
 * Kubernetes does not back is removed. Records of this store (another replica adopting at the same time) are left
 * alone, and so are legacy records Kubernetes says nothing about. A two-node pair gets a migration deadline: the
 * record's timeout, else the default, counted from the later attachment.
 */
export function adoptionPlan(
  fromKubernetes: ReadonlyMap<string, Attachment>,
  existing: ReadonlyMap<string, ExistingRecord>,
): AdoptionStep[] {
  const steps: AdoptionStep[] = [];
  for (const [volumeId, wanted] of fromKubernetes) {
    const record = existing.get(volumeId);
    if (record?.origin === 'mine') continue;
    const value = merged(wanted, record?.attachment);
    if (record && sameRecord(record.attachment, value)) continue;
    steps.push({ volumeId, kind: 'put', value });
  }
  for (const [volumeId, record] of existing)
    if (record.origin === 'foreign' && !fromKubernetes.has(volumeId))
      steps.push({ volumeId, kind: 'delete' });
  return steps.sort((a, b) => a.volumeId.localeCompare(b.volumeId));
}

function merged(wanted: Attachment, earlier: Attachment | undefined): Attachment {
  const nodes = wanted.nodes.map((node) => {
    const known = earlier?.nodes.find((n) => n.nodeId === node.nodeId);
    if (!known) return node;
    return {
      ...node,
      readonly: known.readonly,
      ...(known.nodeUid !== undefined ? { nodeUid: known.nodeUid } : {}),
      ...(known.hostNqn !== undefined ? { hostNqn: known.hostNqn } : {}),
    };
  });
  const value: Attachment = { ...wanted, nodes };
  if (wanted.access !== 'multi-node') return value;
  const timeout = earlier?.migrationTimeoutSeconds ?? wanted.migrationTimeoutSeconds;
  // kubernetesAttachments gives every multi-node record a timeout (the configured default at least).
  if (timeout === undefined) return value;
  value.migrationTimeoutSeconds = timeout;
  if (nodes.length >= 2) {
    const since = Math.max(...nodes.map((n) => Date.parse(n.attachedAt)));
    value.migrationDeadline = earlier?.migrationDeadline ?? new Date(since + timeout * 1000).toISOString();
  }
  return value;
}

function sameRecord(a: Attachment, b: Attachment): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
