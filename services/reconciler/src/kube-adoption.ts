import { CoreV1Api, StorageV1Api, type KubeConfig, type V1PersistentVolume } from '@kubernetes/client-node';
import type { Attachment } from '@rds-csi/contracts';
import { kubeCallTimeout } from '@rds-csi/bus';
import { RdsCsiError, errorMessage, thrownCode } from '@rds-csi/contracts';
import { kubernetesAttachments, type AttachedVolume, type VolumeShape } from './adoption.js';

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

export interface KubeAdoptionOptions {
  driverName: string;
  defaultMigrationTimeoutSeconds: number;
  /** Bound of each Kubernetes call. */
  requestTimeoutMs: number;
}

/**
 * What Kubernetes says this driver has attached (VolumeAttachments and the PersistentVolumes behind them), as
 * attachment records by volume ID. Every call has a deadline; an unreachable or slow API is UNAVAILABLE (the adoption
 * is then retried, and the store is not served meanwhile).
 */
export async function readKubernetesAttachments(
  kc: KubeConfig,
  options: KubeAdoptionOptions,
): Promise<Map<string, Attachment>> {
  const vas = await listVolumeAttachments(kc, options);
  const volumes = await readVolumes(kc, [...new Set(vas.map((a) => a.persistentVolumeName))], options);
  return kubernetesAttachments(options.driverName, vas, volumes, options.defaultMigrationTimeoutSeconds);
}

async function listVolumeAttachments(
  kc: KubeConfig,
  options: KubeAdoptionOptions,
): Promise<AttachedVolume[]> {
  try {
    const list = await kc
      .makeApiClient(StorageV1Api)
      .listVolumeAttachment({}, kubeCallTimeout(kc, options.requestTimeoutMs));
    return list.items
      .filter((va) => va.spec.attacher === options.driverName)
      .map((va) => ({
        attacher: va.spec.attacher,
        nodeName: va.spec.nodeName,
        persistentVolumeName: va.spec.source.persistentVolumeName ?? '',
        attached: va.status?.attached === true,
        deleting: va.metadata?.deletionTimestamp !== undefined,
        since: (va.metadata?.creationTimestamp ?? new Date()).toISOString(),
      }))
      .filter((va) => va.persistentVolumeName !== '');
  } catch (err) {
    throw new RdsCsiError('UNAVAILABLE', `cannot list VolumeAttachments: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

async function readVolumes(
  kc: KubeConfig,
  names: string[],
  options: KubeAdoptionOptions,
): Promise<Map<string, VolumeShape>> {
  const core = kc.makeApiClient(CoreV1Api);
  const volumes = new Map<string, VolumeShape>();
  for (const name of names) {
    try {
      const shape = shapeOf(
        await core.readPersistentVolume({ name }, kubeCallTimeout(kc, options.requestTimeoutMs)),
      );
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
