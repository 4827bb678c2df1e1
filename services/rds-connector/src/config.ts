import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RdsCsiError, describeIssues } from '@rds-csi/contracts';
import { busConfigFromEnv, type BusConfig } from '@rds-csi/bus';

const envInt = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const Env = z.object({
  RDS_ADDRESS: z.string().min(1, 'RDS_ADDRESS (host or IP of the RDS) is required'),
  RDS_SSH_PORT: envInt(22, 1, 65535),
  RDS_USER: z.string().min(1).default('admin'),
  RDS_SSH_KEY_FILE: z.string().min(1, 'RDS_SSH_KEY_FILE (private key for the RDS user) is required'),
  RDS_HOST_KEY: z.string().optional(),
  RDS_INSECURE_SKIP_HOST_KEY_CHECK: z.enum(['true', 'false']).default('false'),
  RDS_BASE_PATH: z.string().default('/storage-pool/metal-csi'),
  RDS_NVME_PORT: envInt(4420, 1, 65535),
  RDS_COMMAND_TIMEOUT_MS: envInt(30_000, 100, 600_000),
  RDS_CONNECT_TIMEOUT_MS: envInt(10_000, 100, 120_000),
  RDS_MAX_CHANNELS: envInt(4, 1, 64),
  RDS_KEEPALIVE_INTERVAL_MS: envInt(5_000, 100, 120_000),
  RDS_KEEPALIVE_COUNT_MAX: envInt(3, 1, 100),
  HEARTBEAT_INTERVAL_MS: envInt(5_000, 100, 120_000),
  METRICS_PORT: envInt(9810, 0, 65535),
});

export interface ConnectorConfig {
  bus: BusConfig;
  rds: {
    host: string;
    port: number;
    username: string;
    /** The key itself, read at start; never logged. */
    privateKey: Buffer;
    /** Pin (fingerprint or known_hosts line); undefined only with insecureSkipHostKeyCheck. */
    hostKey: string | undefined;
    insecureSkipHostKeyCheck: boolean;
    basePath: string;
    nvmePort: number;
    commandTimeoutMs: number;
    connectTimeoutMs: number;
    maxChannels: number;
    keepaliveIntervalMs: number;
    keepaliveCountMax: number;
  };
  heartbeatIntervalMs: number;
  metricsPort: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ConnectorConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new RdsCsiError('INVALID_ARGUMENT', `bad rds-connector configuration: ${describeIssues(parsed.error)}`);
  const e = parsed.data;
  const insecure = e.RDS_INSECURE_SKIP_HOST_KEY_CHECK === 'true';
  if (!e.RDS_HOST_KEY && !insecure) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      'RDS_HOST_KEY (SHA256 fingerprint or known_hosts line of the RDS) is required; set RDS_INSECURE_SKIP_HOST_KEY_CHECK=true only if you accept man-in-the-middle risk',
    );
  }
  let privateKey: Buffer;
  try {
    privateKey = readFileSync(e.RDS_SSH_KEY_FILE);
  } catch (err) {
    throw new RdsCsiError('INVALID_ARGUMENT', `cannot read RDS_SSH_KEY_FILE ${e.RDS_SSH_KEY_FILE}: ${(err as Error).message}`);
  }
  return {
    bus: busConfigFromEnv(env, 'rds-connector'),
    rds: {
      host: e.RDS_ADDRESS,
      port: e.RDS_SSH_PORT,
      username: e.RDS_USER,
      privateKey,
      hostKey: e.RDS_HOST_KEY,
      insecureSkipHostKeyCheck: insecure,
      basePath: e.RDS_BASE_PATH,
      nvmePort: e.RDS_NVME_PORT,
      commandTimeoutMs: e.RDS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: e.RDS_CONNECT_TIMEOUT_MS,
      maxChannels: e.RDS_MAX_CHANNELS,
      keepaliveIntervalMs: e.RDS_KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: e.RDS_KEEPALIVE_COUNT_MAX,
    },
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    metricsPort: e.METRICS_PORT,
  };
}
