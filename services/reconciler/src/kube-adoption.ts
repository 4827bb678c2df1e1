import { CoreV1Api, StorageV1Api, type KubeConfig, type V1PersistentVolume } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { RdsCsiError, errorMessage, thrownCode } from '@rds-csi/contracts';
import { attachmentsToAdopt, type AttachedVolume, type VolumeShape } from './adoption.js';
import type { AttachmentStore } from './store.js';

function shapeOf(pv: V1PersistentVolume): VolumeShape | undefined {
  const csi = pv.spec?.csi;
  if (!csi) return undefined;
  return {
    driver: csi.driver,
    volumeHandle: csi.volumeHandle,
    accessModes: pv.spec?.accessModes ?? [],
    volumeMode: pv.spec?.volumeMode === 'Block' ? 'block' : 'filesystem',
  };
}

/**
 * Adopts the attachments Kubernetes records for this driver (attached VolumeAttachments) that the store lacks, before
 * the start-up pass, so fencing starts from what is really attached. Returns how many volumes were adopted; an
 * unreachable API is UNAVAILABLE (the start-up pass is then retried, publishes stay refused).
 */
export async function adoptKubernetesAttachments(
  kc: KubeConfig,
  store: AttachmentStore,
  driverName: string,
  logger: Logger,
): Promise<number> {
  const attached = await listAttached(kc, driverName);
  const volumes = await readVolumes(kc, [...new Set(attached.map((a) => a.persistentVolumeName))]);
  const recorded = new Set((await store.list()).attachments.map((a) => a.volumeId));
  const adopted = attachmentsToAdopt(driverName, attached, volumes, recorded);
  for (const attachment of adopted) {
    await store.mutate(
      attachment.volumeId,
      (current) => ({
        change: current ? { kind: 'keep' } : { kind: 'put', value: attachment },
        result: undefined,
      }),
      { operation: 'adopt' },
    );
    logger.warn(
      { volumeId: attachment.volumeId, nodes: attachment.nodes.map((n) => n.nodeId) },
      'adopted an attachment Kubernetes records but the attachment store lacked',
    );
  }
  return adopted.length;
}

async function listAttached(kc: KubeConfig, driverName: string): Promise<AttachedVolume[]> {
  try {
    const list = await kc.makeApiClient(StorageV1Api).listVolumeAttachment();
    return list.items
      .filter((va) => va.spec.attacher === driverName && va.status?.attached === true)
      .map((va) => ({
        attacher: va.spec.attacher,
        nodeName: va.spec.nodeName,
        persistentVolumeName: va.spec.source.persistentVolumeName ?? '',
        attached: true,
        since: (va.metadata?.creationTimestamp ?? new Date()).toISOString(),
      }))
      .filter((va) => va.persistentVolumeName !== '');
  } catch (err) {
    throw new RdsCsiError('UNAVAILABLE', `cannot list VolumeAttachments: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

async function readVolumes(kc: KubeConfig, names: string[]): Promise<Map<string, VolumeShape>> {
  const core = kc.makeApiClient(CoreV1Api);
  const volumes = new Map<string, VolumeShape>();
  for (const name of names) {
    try {
      const shape = shapeOf(await core.readPersistentVolume({ name }));
      if (shape) volumes.set(name, shape);
    } catch (err) {
      // A PV deleted meanwhile has nothing left to fence; any other failure must not be mistaken for that.
      if (thrownCode(err) === 404) continue;
      throw new RdsCsiError('UNAVAILABLE', `cannot read PersistentVolume ${name}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
  return volumes;
}
