import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { z } from 'zod';
import { backoffDelayMs, kubeCallTimeout, type Bus } from '@rds-csi/bus';
import {
  RdsCsiError,
  SNAPSHOT_ADOPTION_BATCH,
  SnapshotLineage,
  endpoints,
  toRdsCsiError,
} from '@rds-csi/contracts';

const LIST_PAGE_SIZE = 500;
/** A deadline on each list request: a hung API server must not hold the adoption (and its retries) forever. */
const REQUEST_TIMEOUT_MS = 15_000;

/** The fields of a VolumeSnapshotContent the lineage needs; anything else in it is ignored. */
const VolumeSnapshotContent = z.object({
  metadata: z.object({ name: z.string().optional(), creationTimestamp: z.unknown().optional() }),
  spec: z.object({
    driver: z.string(),
    source: z.object({ volumeHandle: z.string().optional() }).optional(),
  }),
  status: z
    .object({
      snapshotHandle: z.string().optional(),
      /** Nanoseconds since the epoch, when the driver cut the snapshot. */
      creationTime: z.number().optional(),
    })
    .optional(),
});
const ContentList = z.object({
  items: z.array(z.unknown()),
  metadata: z.object({ continue: z.string().optional() }).optional(),
});

function creationTime(content: z.infer<typeof VolumeSnapshotContent>): string | undefined {
  const nanos = content.status?.creationTime;
  if (nanos !== undefined) return new Date(Math.floor(nanos / 1_000_000)).toISOString();
  const created = content.metadata.creationTimestamp;
  const parsed =
    created instanceof Date ? created : typeof created === 'string' ? new Date(created) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : undefined;
}

/**
 * The lineage a VolumeSnapshotContent of `driverName` records: `status.snapshotHandle` made from
 * `spec.source.volumeHandle`. Contents of other drivers, pre-provisioned ones (no source volume), ones not yet cut
 * (no handle) and handles that are not IDs of this driver yield nothing.
 */
export function lineageOfContent(object: unknown, driverName: string): SnapshotLineage | undefined {
  const content = VolumeSnapshotContent.safeParse(object);
  if (!content.success || content.data.spec.driver !== driverName) return undefined;
  const lineage = SnapshotLineage.safeParse({
    id: content.data.status?.snapshotHandle,
    sourceVolumeId: content.data.spec.source?.volumeHandle,
    createdAt: creationTime(content.data),
  });
  return lineage.success ? lineage.data : undefined;
}

/**
 * Hands the rds-connector (which has no Kubernetes access) the lineage of this driver's snapshots that the cluster's
 * VolumeSnapshotContents record, so snapshots the Go driver made can be listed and found. The connector keeps any
 * record it already has. Read-only on Kubernetes (list, paged); batches bounded by the contract. Returns how many
 * records the connector wrote.
 */
export async function adoptSnapshotLineage(
  kc: KubeConfig,
  bus: Bus,
  driverName: string,
  logger: Logger,
): Promise<number> {
  const lineage = await listLineage(kc, driverName);
  let adopted = 0;
  for (let i = 0; i < lineage.length; i += SNAPSHOT_ADOPTION_BATCH) {
    const snapshots = lineage.slice(i, i + SNAPSHOT_ADOPTION_BATCH);
    const reply = await bus.request(
      endpoints.snapshotAdopt,
      { snapshots },
      { deadline: Date.now() + REQUEST_TIMEOUT_MS },
    );
    adopted += reply.adopted;
  }
  if (adopted > 0)
    logger.info(
      { adopted, contents: lineage.length },
      'adopted snapshot lineage from VolumeSnapshotContents',
    );
  return adopted;
}

export interface SnapshotAdoptionOptions {
  driverName: string;
  logger: Logger;
  retry: { minMs: number; maxMs: number };
  /** Aborted when the reconciler stops. */
  signal: AbortSignal;
}

/**
 * Start-up adoption, in the background: retried on the backoff schedule until it succeeds once (the API or the
 * connector may not be up yet). It never holds up publish and unpublish; until it has run, snapshots the Go driver
 * made are missing from listings.
 */
export async function adoptSnapshotLineageOnce(
  kc: KubeConfig,
  bus: Bus,
  options: SnapshotAdoptionOptions,
): Promise<void> {
  for (let attempt = 1; !options.signal.aborted; attempt++) {
    try {
      await adoptSnapshotLineage(kc, bus, options.driverName, options.logger);
      return;
    } catch (err) {
      const delay = backoffDelayMs(attempt, options.retry);
      options.logger.warn(
        { error: toRdsCsiError(err).message, retryInMs: delay },
        'snapshot lineage adoption postponed',
      );
      await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

async function listLineage(kc: KubeConfig, driverName: string): Promise<SnapshotLineage[]> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const lineage: SnapshotLineage[] = [];
  let token: string | undefined;
  do {
    const page = ContentList.parse(
      await api
        .listClusterCustomObject(
          {
            group: 'snapshot.storage.k8s.io',
            version: 'v1',
            plural: 'volumesnapshotcontents',
            limit: LIST_PAGE_SIZE,
            ...(token ? { _continue: token } : {}),
          },
          kubeCallTimeout(kc, REQUEST_TIMEOUT_MS),
        )
        .catch((err: unknown) => {
          throw new RdsCsiError(
            'UNAVAILABLE',
            `cannot list VolumeSnapshotContents: ${toRdsCsiError(err).message}`,
            { cause: err },
          );
        }),
    );
    for (const item of page.items) {
      const found = lineageOfContent(item, driverName);
      if (found) lineage.push(found);
    }
    token = page.metadata?.continue || undefined;
  } while (token);
  return lineage;
}
