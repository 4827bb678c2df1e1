import { z } from 'zod';
import { DEFAULT_DRIVER_NAME, RdsCsiError, parseOrThrow } from '@rds-csi/contracts';
import { busConfigFromEnv, type BusConfig } from '@rds-csi/bus';
import { DEFAULT_MIGRATION_TIMEOUT_SECONDS } from './rules.js';

/** What startReconciler needs; every field has a production default. */
export const ReconcilerConfig = z.object({
  /** How long a node may stay NotReady before its attachments are cleared (a kubelet restart must fit inside). */
  notReadyGraceMs: z.number().int().min(0).default(30_000),
  /** The CSI driver name: VolumeAttachments with this attacher are adopted at start-up. */
  driverName: z.string().min(1).default(DEFAULT_DRIVER_NAME),
  /** Orphan volumes (no PV references them) are reported only after being seen unreferenced this long. */
  orphanGraceMs: z.number().int().min(0).default(3_600_000),
  /** How often orphan volumes are looked for (after the first look right after start-up). */
  orphanScanIntervalMs: z.number().int().positive().default(3_600_000),
  /** Safety-net full pass interval. */
  periodMs: z.number().int().positive().default(300_000),
  /** Migration window when a multi-node publish carries no migrationTimeoutSeconds. */
  defaultMigrationTimeoutSeconds: z
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(DEFAULT_MIGRATION_TIMEOUT_SECONDS),
  /** Bounded wait for the node-watcher's node list. */
  nodeSnapshotTimeoutMs: z.number().int().positive().default(5_000),
  /**
   * A node list whose cache was last known current longer ago than this clears nothing (the pass fails UNAVAILABLE).
   * Above the node-watcher's silent-watch restart (300 s), which refreshes a quiet cache.
   */
  nodeCacheMaxAgeMs: z.number().int().positive().default(600_000),
  /** Backoff between attempts while the node list is unavailable (start-up, NotReady re-checks) or events fail. */
  retryMinMs: z.number().int().positive().default(1_000),
  retryMaxMs: z.number().int().positive().default(30_000),
  /** Durable consumer on the node events stream, shared by the replicas so each event is handled once. */
  consumerName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'consumer name: letters, digits, _ and - only')
    .default('reconciler'),
  kubernetes: z
    .object({
      /** A kubeconfig file; otherwise the in-cluster service account when `inCluster`; otherwise no Events. */
      kubeconfigPath: z.string().min(1).optional(),
      inCluster: z.boolean().default(false),
      /** Namespace of Events about PersistentVolumes (cluster-scoped objects; kubectl looks in `default`). */
      eventNamespace: z.string().min(1).default('default'),
    })
    .prefault({}),
  /** Port of /metrics, /healthz, /readyz; none when undefined (0 = any free port). */
  metricsPort: z.number().int().min(0).max(65535).optional(),
  /** How often the attachment bucket's identity is checked (a lost or replaced store stops serving then at the latest). */
  storeCheckIntervalMs: z.number().int().positive().default(2_000),
  /** Bound of each Kubernetes API call (adoption, orphan report). */
  kubernetesTimeoutMs: z.number().int().positive().default(10_000),
  /** Restrict each export to the host NQNs of its record (RDSCSI_STORAGE_FENCE=off for RouterOS without it). */
  storageFence: z.boolean().default(true),
});
export type ReconcilerConfig = z.output<typeof ReconcilerConfig>;
export type ReconcilerConfigInput = z.input<typeof ReconcilerConfig>;

export function parseReconcilerConfig(input: ReconcilerConfigInput): ReconcilerConfig {
  const config = parseOrThrow(ReconcilerConfig, input, 'reconciler configuration');
  if (config.retryMaxMs < config.retryMinMs) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      'bad reconciler configuration: retryMaxMs must not be below retryMinMs',
    );
  }
  return config;
}

const envInt = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const Env = z.object({
  RECONCILER_NOT_READY_GRACE_SECONDS: envInt(30, 0, 3600),
  CSI_DRIVER_NAME: z.string().optional(),
  RECONCILER_ORPHAN_GRACE_SECONDS: envInt(3600, 0, 604_800),
  RECONCILER_ORPHAN_SCAN_SECONDS: envInt(3600, 1, 604_800),
  RECONCILER_PERIOD_SECONDS: envInt(300, 1, 86_400),
  RECONCILER_MIGRATION_TIMEOUT_SECONDS: envInt(DEFAULT_MIGRATION_TIMEOUT_SECONDS, 30, 3600),
  RECONCILER_NODE_SNAPSHOT_TIMEOUT_MS: envInt(5_000, 100, 120_000),
  RECONCILER_NODE_CACHE_MAX_AGE_SECONDS: envInt(600, 1, 86_400),
  RECONCILER_RETRY_MIN_MS: envInt(1_000, 10, 60_000),
  RECONCILER_RETRY_MAX_MS: envInt(30_000, 10, 600_000),
  RECONCILER_CONSUMER_NAME: z.string().optional(),
  RECONCILER_EVENT_NAMESPACE: z.string().optional(),
  KUBECONFIG: z.string().optional(),
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  METRICS_PORT: envInt(9813, 0, 65535),
  RDSCSI_STORAGE_FENCE: z.enum(['on', 'off']).default('on'),
  RECONCILER_STORE_CHECK_MS: envInt(2_000, 50, 60_000),
  RECONCILER_KUBERNETES_TIMEOUT_MS: envInt(10_000, 100, 120_000),
});

/** Empty variables count as unset, as in a manifest that leaves a value blank. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

/**
 * Reads CSI_DRIVER_NAME (rds.csi.srvlab.io), RECONCILER_ORPHAN_GRACE_SECONDS / _SCAN_SECONDS (3600 / 3600), RECONCILER_NOT_READY_GRACE_SECONDS (30), RECONCILER_PERIOD_SECONDS (300), RECONCILER_MIGRATION_TIMEOUT_SECONDS
 * (300), RECONCILER_NODE_SNAPSHOT_TIMEOUT_MS (5000), RECONCILER_NODE_CACHE_MAX_AGE_SECONDS (600), RECONCILER_RETRY_MIN_MS / _MAX_MS (1000 / 30000),
 * RECONCILER_CONSUMER_NAME (reconciler), RECONCILER_EVENT_NAMESPACE (default), KUBECONFIG (else in-cluster when
 * KUBERNETES_SERVICE_HOST is set), METRICS_PORT (9813), RDSCSI_STORAGE_FENCE (on), RECONCILER_STORE_CHECK_MS (2000),
 * RECONCILER_KUBERNETES_TIMEOUT_MS (10000), and the NATS variables of busConfigFromEnv.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): { bus: BusConfig; reconciler: ReconcilerConfig } {
  const e = parseOrThrow(Env, withoutEmpty(env), 'reconciler configuration');
  return {
    bus: busConfigFromEnv(env, 'reconciler'),
    reconciler: parseReconcilerConfig({
      notReadyGraceMs: e.RECONCILER_NOT_READY_GRACE_SECONDS * 1000,
      driverName: e.CSI_DRIVER_NAME,
      orphanGraceMs: e.RECONCILER_ORPHAN_GRACE_SECONDS * 1000,
      orphanScanIntervalMs: e.RECONCILER_ORPHAN_SCAN_SECONDS * 1000,
      periodMs: e.RECONCILER_PERIOD_SECONDS * 1000,
      defaultMigrationTimeoutSeconds: e.RECONCILER_MIGRATION_TIMEOUT_SECONDS,
      nodeSnapshotTimeoutMs: e.RECONCILER_NODE_SNAPSHOT_TIMEOUT_MS,
      nodeCacheMaxAgeMs: e.RECONCILER_NODE_CACHE_MAX_AGE_SECONDS * 1000,
      retryMinMs: e.RECONCILER_RETRY_MIN_MS,
      retryMaxMs: e.RECONCILER_RETRY_MAX_MS,
      consumerName: e.RECONCILER_CONSUMER_NAME,
      kubernetes: {
        kubeconfigPath: e.KUBECONFIG,
        inCluster: e.KUBERNETES_SERVICE_HOST !== undefined,
        eventNamespace: e.RECONCILER_EVENT_NAMESPACE,
      },
      metricsPort: e.METRICS_PORT,
      storageFence: e.RDSCSI_STORAGE_FENCE === 'on',
      storeCheckIntervalMs: e.RECONCILER_STORE_CHECK_MS,
      kubernetesTimeoutMs: e.RECONCILER_KUBERNETES_TIMEOUT_MS,
    }),
  };
}
