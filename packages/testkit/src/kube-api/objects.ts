import { randomUUID } from 'node:crypto';
import { DEFAULT_DRIVER_NAME } from '@rds-csi/contracts';

/**
 * Kubernetes object shapes as the API server writes them in JSON, for the fake API server. Only the fields the
 * project reads or asserts are typed; everything else passes through untouched.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface KubeNode extends KubeObject {
  spec: { taints?: Taint[]; [field: string]: unknown };
  status: { conditions?: NodeCondition[]; [field: string]: unknown };
}

/** The taint an operator sets on a node that is shut down for good, so its volumes may move elsewhere. */
export const OUT_OF_SERVICE_TAINT_KEY = 'node.kubernetes.io/out-of-service';

/** RFC 3339 with whole seconds, as the API server writes metav1.Time. */
export function kubeTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Ready condition as the kubelet (True/False) or the node lifecycle controller (Unknown) writes it. */
export function readyCondition(status: NodeCondition['status'], at: Date = new Date()): NodeCondition {
  const text = {
    True: { reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    False: { reason: 'KubeletNotReady', message: 'container runtime network not ready' },
    Unknown: { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
  }[status];
  return {
    type: 'Ready',
    status,
    lastHeartbeatTime: kubeTime(at),
    lastTransitionTime: kubeTime(at),
    ...text,
  };
}

export interface NodeOptions {
  /** Default true. */
  ready?: boolean;
  taints?: Taint[];
  labels?: Record<string, string>;
  /** Leave status.conditions out, as for a node whose kubelet never posted status. */
  withoutConditions?: boolean;
  /** The identity of a node that already existed (the local stack's cluster outlives one run): uid and creation. */
  identity?: ObjectIdentity;
}

export interface ObjectIdentity {
  uid: string;
  creationTimestamp: string;
}

/** A Node as `kubectl get node -o json` shows it (minus fields nobody here reads). */
export function buildNode(name: string, options: NodeOptions = {}): KubeNode {
  const now = new Date();
  const pressure = (type: string, reason: string): NodeCondition => ({
    type,
    status: 'False',
    lastHeartbeatTime: kubeTime(now),
    lastTransitionTime: kubeTime(now),
    reason,
    message: `kubelet has no ${type}`,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...options.labels },
    },
    spec: options.taints?.length ? { taints: options.taints.map((t) => ({ ...t })) } : {},
    status: {
      ...(options.withoutConditions
        ? {}
        : {
            conditions: [
              pressure('MemoryPressure', 'KubeletHasSufficientMemory'),
              pressure('DiskPressure', 'KubeletHasNoDiskPressure'),
              readyCondition(options.ready === false ? 'False' : 'True', now),
            ],
          }),
      addresses: [{ type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.31.0', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

export interface PersistentVolumeOptions {
  /** The bound claim; absent for an unbound PV. */
  claim?: { namespace: string; name: string; uid?: string };
  driver?: string;
  capacity?: string;
  accessModes?: string[];
  volumeMode?: 'Filesystem' | 'Block';
}

/** A CSI PersistentVolume whose volume handle is its name, as the driver provisions them. */
export function buildPersistentVolume(name: string, options: PersistentVolumeOptions = {}): KubeObject {
  const driver = options.driver ?? DEFAULT_DRIVER_NAME;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': driver } },
    spec: {
      capacity: { storage: options.capacity ?? '1Gi' },
      accessModes: options.accessModes ?? ['ReadWriteOnce'],
      volumeMode: options.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: 'Delete',
      csi: { driver, volumeHandle: name, fsType: 'ext4' },
      ...(options.claim
        ? {
            claimRef: {
              kind: 'PersistentVolumeClaim',
              apiVersion: 'v1',
              namespace: options.claim.namespace,
              name: options.claim.name,
              uid: options.claim.uid ?? randomUUID(),
            },
          }
        : {}),
    },
    status: { phase: options.claim ? 'Bound' : 'Available' },
  };
}

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'BadRequest'
  | 'Expired'
  | 'InternalError'
  | 'MethodNotAllowed'
  | 'Unauthorized';

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: { name?: string; kind?: string };
  code: number;
}

/** A metav1.Status failure, the body of every API error and of a watch ERROR event. */
export function failureStatus(
  code: number,
  reason: StatusReason,
  message: string,
  details?: KubeStatus['details'],
): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export interface VolumeAttachmentOptions {
  attacher?: string;
  nodeName: string;
  persistentVolumeName: string;
  attached?: boolean;
}

/** A VolumeAttachment as the external-attacher keeps it: spec from the CO, status.attached once published. */
export function buildVolumeAttachment(name: string, options: VolumeAttachmentOptions): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'VolumeAttachment',
    metadata: { name },
    spec: {
      attacher: options.attacher ?? DEFAULT_DRIVER_NAME,
      nodeName: options.nodeName,
      source: { persistentVolumeName: options.persistentVolumeName },
    },
    status: { attached: options.attached ?? true },
  };
}

export interface VolumeSnapshotContentOptions {
  driver?: string;
  /** The snapshot's ID on the RDS (`status.snapshotHandle`). */
  snapshotHandle: string;
  /** The source volume (`spec.source.volumeHandle`); absent for a pre-provisioned snapshot. */
  volumeHandle?: string;
  /** When the driver cut the snapshot (`status.creationTime`, nanoseconds since the epoch in the API). */
  createdAt?: Date;
  restoreSizeBytes?: number;
  volumeSnapshot?: { namespace: string; name: string };
}

/**
 * A VolumeSnapshotContent as the external-snapshotter leaves it once the driver's CreateSnapshot answered (cluster
 * scoped, snapshot.storage.k8s.io/v1); a pre-provisioned one names `spec.source.snapshotHandle` instead of a volume.
 */
export function buildVolumeSnapshotContent(name: string, options: VolumeSnapshotContentOptions): KubeObject {
  const ref = options.volumeSnapshot ?? { namespace: 'default', name: `snapshot-of-${name}` };
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotContent',
    metadata: { name },
    spec: {
      deletionPolicy: 'Delete',
      driver: options.driver ?? DEFAULT_DRIVER_NAME,
      source: options.volumeHandle
        ? { volumeHandle: options.volumeHandle }
        : { snapshotHandle: options.snapshotHandle },
      volumeSnapshotRef: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', ...ref },
    },
    status: {
      snapshotHandle: options.snapshotHandle,
      readyToUse: true,
      ...(options.createdAt ? { creationTime: options.createdAt.getTime() * 1_000_000 } : {}),
      ...(options.restoreSizeBytes === undefined ? {} : { restoreSize: options.restoreSizeBytes }),
    },
  };
}
