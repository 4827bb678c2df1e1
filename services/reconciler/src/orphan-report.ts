import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { allPages, type Bus } from '@rds-csi/bus';
import { RdsCsiError, endpoints, type OrphanReport } from '@rds-csi/contracts';
import type { Logger } from 'pino';
import { KUBE_CALL_TIMEOUT_MS, withDeadline } from './kube-deadline.js';
import type { ReconcilerMetrics } from './metrics.js';
import { findOrphans, type FirstSeen } from './orphans.js';

export interface OrphanReporterDeps {
  bus: Bus;
  /** Without it no PV list exists, and nothing can be called an orphan. */
  kubeConfig: KubeConfig | undefined;
  driverName: string;
  graceMs: number;
  logger: Logger;
  metrics: ReconcilerMetrics;
}

/**
 * Reports volumes on the RDS that no PersistentVolume of this driver references. Report only: it deletes nothing,
 * and it never looks at snapshots (the rds-connector's volume list holds none).
 */
export class OrphanReporter {
  private readonly firstSeen: FirstSeen = new Map();

  constructor(private readonly deps: OrphanReporterDeps) {}

  async report(deadline: number): Promise<OrphanReport> {
    const { bus, graceMs, logger, metrics } = this.deps;
    const [volumes, referenced] = await Promise.all([
      allPages(
        (page) => bus.request(endpoints.volumeList, page, { deadline }),
        (page) => page.volumes,
      ),
      this.referencedVolumes(),
    ]);
    const now = Date.now();
    const { orphans, withinGrace } = findOrphans(volumes, referenced, this.firstSeen, now, graceMs);
    metrics.orphanVolumes.set(orphans.length);
    for (const orphan of orphans) {
      logger.warn(
        orphan,
        'orphan volume: on the RDS but no PersistentVolume references it (reported, not deleted)',
      );
    }
    return {
      checkedAt: new Date(now).toISOString(),
      graceSeconds: Math.round(graceMs / 1000),
      volumesChecked: volumes.length,
      orphans,
      withinGrace,
    };
  }

  private async referencedVolumes(): Promise<Set<string>> {
    const { kubeConfig, driverName } = this.deps;
    if (!kubeConfig) {
      throw new RdsCsiError(
        'FAILED_PRECONDITION',
        'no Kubernetes configuration: cannot tell which volumes PVs reference',
      );
    }
    try {
      const list = await kubeConfig
        .makeApiClient(CoreV1Api)
        .listPersistentVolume({}, withDeadline(KUBE_CALL_TIMEOUT_MS));
      return new Set(
        list.items.flatMap((pv) => (pv.spec?.csi?.driver === driverName ? [pv.spec.csi.volumeHandle] : [])),
      );
    } catch (err) {
      throw new RdsCsiError('UNAVAILABLE', `cannot list PersistentVolumes: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}
