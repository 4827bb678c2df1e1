import type { Attachment, AttachAccess, VolumeMode } from '@rds-csi/contracts';
import { NODE_ID_PATTERN, VOLUME_ID_PATTERN } from '@rds-csi/contracts';

/** What the adoption needs of a Kubernetes VolumeAttachment. */
export interface AttachedVolume {
  attacher: string;
  nodeName: string;
  persistentVolumeName: string;
  attached: boolean;
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

/**
 * Attachments Kubernetes records (attached VolumeAttachments of this driver) that the attachment store lacks: after
 * a move from the Go driver, or a lost NATS store, fencing would otherwise start from nothing and let a second node
 * publish a volume that is still in use. Only volumes without any record are adopted; the store wins otherwise.
 */
export function attachmentsToAdopt(
  driverName: string,
  attached: AttachedVolume[],
  volumes: ReadonlyMap<string, VolumeShape>,
  recorded: ReadonlySet<string>,
): Attachment[] {
  const byVolume = new Map<string, Attachment>();
  for (const va of attached) {
    const pv = volumes.get(va.persistentVolumeName);
    if (!va.attached || va.attacher !== driverName || !pv || pv.driver !== driverName) continue;
    const volumeId = pv.volumeHandle;
    if (recorded.has(volumeId) || !VOLUME_ID_PATTERN.test(volumeId) || !NODE_ID_PATTERN.test(va.nodeName))
      continue;
    const access: AttachAccess =
      pv.volumeMode === 'block' && pv.accessModes.includes('ReadWriteMany') ? 'multi-node' : 'single-node';
    const current = byVolume.get(volumeId) ?? { volumeId, access, volumeMode: pv.volumeMode, nodes: [] };
    if (!current.nodes.some((n) => n.nodeId === va.nodeName)) {
      current.nodes.push({ nodeId: va.nodeName, readonly: false, attachedAt: va.since });
    }
    byVolume.set(volumeId, current);
  }
  return [...byVolume.values()].sort((a, b) => a.volumeId.localeCompare(b.volumeId));
}
