import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { KubeConfig } from '@kubernetes/client-node';
import { RdsCsiError, parseOrThrow, errorMessage } from '@rds-csi/contracts';
import { busConfigFromEnv, type BusConfig } from '@rds-csi/bus';
import type { BackoffPolicy } from '@rds-csi/bus';

export interface NodeWatcherConfig {
  bus: BusConfig;
  /** Kubeconfig file; undefined means in-cluster (service account token). */
  kubeconfigPath: string | undefined;
  /** A watch with no event and no bookmark for this long is restarted. */
  silentWatchMs: number;
  /** Port of /metrics, /healthz, /readyz (0 picks a free one). */
  metricsPort: number;
  /** Delays between informer restarts after errors. */
  restartBackoff: BackoffPolicy;
  /** Delays between retries of a failed event publish. */
  publishBackoff: BackoffPolicy;
}

export const DEFAULT_METRICS_PORT = 9812;
export const DEFAULT_SILENT_WATCH_SECONDS = 300;

const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const envInt = (name: string, fallback: number, min: number, max: number) =>
  z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: `${name} must be a number` })
      .int(`${name} must be an integer`)
      .min(min, `${name} must be at least ${min}`)
      .max(max, `${name} must be at most ${max}`)
      .default(fallback),
  );

const Env = z.object({
  KUBECONFIG: z.preprocess(unsetIfEmpty, z.string().optional()),
  KUBERNETES_SERVICE_HOST: z.preprocess(unsetIfEmpty, z.string().optional()),
  NODE_WATCHER_SILENT_WATCH_SECONDS: envInt(
    'NODE_WATCHER_SILENT_WATCH_SECONDS',
    DEFAULT_SILENT_WATCH_SECONDS,
    1,
    3600,
  ),
  METRICS_PORT: envInt('METRICS_PORT', DEFAULT_METRICS_PORT, 0, 65535),
});

/**
 * Reads the configuration from the environment: KUBECONFIG (one file; unset in a pod, where the service account is
 * used), NODE_WATCHER_SILENT_WATCH_SECONDS, METRICS_PORT and the NATS_* variables of the bus. Anything wrong is an
 * INVALID_ARGUMENT naming the variable.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): NodeWatcherConfig {
  const e = parseOrThrow(Env, env, 'node-watcher configuration');
  if (e.KUBECONFIG === undefined && e.KUBERNETES_SERVICE_HOST === undefined) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      'set KUBECONFIG to a kubeconfig file, or run in a pod (KUBERNETES_SERVICE_HOST is not set)',
    );
  }
  if (e.KUBECONFIG !== undefined) {
    try {
      accessSync(e.KUBECONFIG, constants.R_OK);
    } catch (err) {
      throw new RdsCsiError(
        'INVALID_ARGUMENT',
        `KUBECONFIG ${e.KUBECONFIG} is not readable: ${errorMessage(err)}`,
      );
    }
  }
  return {
    bus: busConfigFromEnv(env, 'node-watcher'),
    kubeconfigPath: e.KUBECONFIG,
    silentWatchMs: e.NODE_WATCHER_SILENT_WATCH_SECONDS * 1000,
    metricsPort: e.METRICS_PORT,
    restartBackoff: { minMs: 1_000, maxMs: 30_000 },
    publishBackoff: { minMs: 250, maxMs: 5_000 },
  };
}

/** The API client configuration: the kubeconfig file, or the pod's service account when there is none. */
export function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromCluster();
  } catch (err) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      `cannot load ${kubeconfigPath ?? 'the in-cluster configuration'}: ${errorMessage(err)}`,
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      `${kubeconfigPath ?? 'the in-cluster configuration'} has no current cluster`,
    );
  }
  return kc;
}
