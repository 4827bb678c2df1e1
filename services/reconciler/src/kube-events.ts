import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig, type CoreV1Event, type V1ObjectReference } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { RdsCsiError, type ClearedAttachment } from '@rds-csi/contracts';
import { KUBE_CALL_TIMEOUT_MS, withDeadline } from './kube-deadline.js';
import type { ReconcilerConfig } from './config.js';
import type { ReconcilerMetrics } from './metrics.js';

/** What Kubernetes users see in `kubectl describe pv|pvc` when an attachment is cleared. */
export const STALE_CLEARED_REASON = 'StaleAttachmentCleared';
const COMPONENT = 'rds-csi-reconciler';

export interface ClearanceNotice extends ClearedAttachment {
  /** Human explanation of the evidence, e.g. "node NotReady since ... longer than the grace". */
  why: string;
}

export interface ClearanceEvents {
  /** Posts Events in the background; failures are logged and counted, never thrown and never awaited by clearing. */
  announce(notice: ClearanceNotice): void;
  /** Waits for posts in flight, at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

export const noClearanceEvents: ClearanceEvents = { announce: () => undefined, drain: async () => undefined };

/** The kubeconfig file when one is given, else the in-cluster service account when running in a pod, else none. */
export function loadKubeConfig(kubernetes: ReconcilerConfig['kubernetes']): KubeConfig | undefined {
  if (!kubernetes.kubeconfigPath && !kubernetes.inCluster) return undefined;
  const kc = new KubeConfig();
  try {
    if (kubernetes.kubeconfigPath) kc.loadFromFile(kubernetes.kubeconfigPath);
    else kc.loadFromCluster();
  } catch (err) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      `cannot load Kubernetes configuration: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return kc;
}

/** Event names must be unique in their namespace; kubectl uses `<object>.<hex>` the same way. */
function eventName(objectName: string): string {
  return `${objectName}.${Date.now().toString(16)}${randomBytes(4).toString('hex')}`;
}

function errorSummary(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const first = (err as Error).message?.split('\n')[0] ?? String(err);
  return typeof code === 'number' ? `HTTP ${code}` : first;
}

/**
 * Posts a Warning Event on the PersistentVolume named by the volume ID (in `eventNamespace`, as PVs are
 * cluster-scoped) and, when the PV's claimRef names one, on its PersistentVolumeClaim.
 */
export function kubeClearanceEvents(
  kc: KubeConfig,
  options: { eventNamespace: string; logger: Logger; metrics: ReconcilerMetrics },
): ClearanceEvents {
  const api = kc.makeApiClient(CoreV1Api);
  const inFlight = new Set<Promise<void>>();
  const instance = hostname();

  async function post(
    namespace: string,
    involved: V1ObjectReference,
    message: string,
    object: string,
  ): Promise<void> {
    const now = new Date();
    const event: CoreV1Event = {
      metadata: { name: eventName(involved.name ?? 'object'), namespace },
      involvedObject: involved,
      reason: STALE_CLEARED_REASON,
      message,
      type: 'Warning',
      action: 'ClearAttachment',
      source: { component: COMPONENT },
      reportingComponent: COMPONENT,
      reportingInstance: instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await api.createNamespacedEvent({ namespace, body: event }, withDeadline(KUBE_CALL_TIMEOUT_MS));
      options.metrics.kubeEvents.inc({ object, outcome: 'posted' });
    } catch (err) {
      options.metrics.kubeEvents.inc({ object, outcome: 'failed' });
      options.logger.warn(
        { object, name: involved.name, error: errorSummary(err) },
        'could not post Kubernetes Event',
      );
    }
  }

  async function announceNow(notice: ClearanceNotice): Promise<void> {
    const message = `Attachment of volume ${notice.volumeId} to node ${notice.nodeId} cleared (${notice.reason}: ${notice.why}); the volume can now be published to another node`;
    let pv: V1ObjectReference = { apiVersion: 'v1', kind: 'PersistentVolume', name: notice.volumeId };
    let claim: V1ObjectReference | undefined;
    try {
      const found = await api.readPersistentVolume({ name: notice.volumeId });
      pv = { ...pv, uid: found.metadata?.uid };
      const ref = found.spec?.claimRef;
      if (ref?.name && ref.namespace) {
        claim = {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: ref.name,
          namespace: ref.namespace,
          uid: ref.uid,
        };
      }
    } catch (err) {
      options.logger.info(
        { volumeId: notice.volumeId, error: errorSummary(err) },
        'PV not readable: Event on the PV only',
      );
    }
    await post(options.eventNamespace, pv, message, 'pv');
    if (claim?.namespace) await post(claim.namespace, claim, message, 'pvc');
  }

  return {
    announce(notice) {
      const task = announceNow(notice).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      clearTimeout(timer);
    },
  };
}
