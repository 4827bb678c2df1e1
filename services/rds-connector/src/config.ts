import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RdsCsiError, parseOrThrow, errorMessage } from '@rds-csi/contracts';
import { BusConfig, busConfigFromEnv } from '@rds-csi/bus';
import { DEFAULT_NVME_TCP_PORT } from '@rds-csi/routeros';

const int = (fallback: number, min: number, max: number) =>
  z.number().int().min(min).max(max).default(fallback);

/** The connector's settings with their production defaults; the environment and tests both go through it. */
export const ConnectorConfig = z
  .object({
    bus: BusConfig,
    rds: z.object({
      host: z.string().min(1, 'the RDS address is required'),
      port: int(22, 1, 65535),
      username: z.string().min(1).default('admin'),
      /** The key itself, read at start; never logged. */
      privateKey: z.instanceof(Buffer),
      /** Pin (fingerprint or known_hosts line); undefined only with insecureSkipHostKeyCheck. */
      hostKey: z.string().min(1).optional(),
      insecureSkipHostKeyCheck: z.boolean().default(false),
      basePath: z.string().default('/storage-pool/metal-csi'),
      nvmePort: int(DEFAULT_NVME_TCP_PORT, 1, 65535),
      commandTimeoutMs: int(30_000, 100, 600_000),
      /** Copies (snapshot, restore, clone) move whole disks: they get their own, longer bound. */
      copyTimeoutMs: int(600_000, 100, 3_600_000),
      connectTimeoutMs: int(10_000, 100, 120_000),
      // 8: measured on the simulator at 20 ms per command, c8 Create→Delete ran 21.8/s with 4 channels, 29.7 with 8,
      // 31.3 with 16 (npm run bench -- lifecycle); 8 stays under OpenSSH's default MaxSessions of 10.
      maxChannels: int(8, 1, 64),
      keepaliveIntervalMs: int(5_000, 100, 120_000),
      keepaliveCountMax: int(3, 1, 100),
      /** Active health check: `/system identity print` every interval, each bounded by the timeout. */
      healthCheckIntervalMs: int(2_000, 50, 60_000),
      healthCheckTimeoutMs: int(2_000, 50, 60_000),
      /** Failed checks in a row that mark the link degraded (not ready, connection replaced). */
      healthCheckFailures: int(2, 1, 10),
      /** A connection must stay up this long before the reconnect backoff starts again from 1 s. */
      healthyResetMs: int(30_000, 0, 3_600_000),
    }),
    heartbeatIntervalMs: int(5_000, 100, 120_000),
    metricsPort: int(9810, 0, 65535),
  })
  .refine((c) => c.rds.hostKey || c.rds.insecureSkipHostKeyCheck, {
    message:
      'the RDS host key pin (SHA256:<base64> fingerprint or known_hosts line) is required; skipping the check must be asked for explicitly',
    path: ['rds', 'hostKey'],
  });
export type ConnectorConfig = z.output<typeof ConnectorConfig>;
export type ConnectorConfigInput = z.input<typeof ConnectorConfig>;

export function parseConnectorConfig(input: ConnectorConfigInput): ConnectorConfig {
  return parseOrThrow(ConnectorConfig, input, 'rds-connector configuration');
}

const optionalInt = (env: NodeJS.ProcessEnv, name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw))
    throw new RdsCsiError('INVALID_ARGUMENT', `${name} must be an integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
};

function readKey(path: string | undefined): Buffer {
  if (!path)
    throw new RdsCsiError('INVALID_ARGUMENT', 'RDS_SSH_KEY_FILE (private key for the RDS user) is required');
  try {
    return readFileSync(path);
  } catch (err) {
    throw new RdsCsiError('INVALID_ARGUMENT', `cannot read RDS_SSH_KEY_FILE ${path}: ${errorMessage(err)}`);
  }
}

/**
 * Reads RDS_ADDRESS, RDS_SSH_PORT, RDS_USER, RDS_SSH_KEY_FILE, RDS_HOST_KEY, RDS_INSECURE_SKIP_HOST_KEY_CHECK,
 * RDS_BASE_PATH, RDS_NVME_PORT, RDS_COMMAND_TIMEOUT_MS, RDS_COPY_TIMEOUT_MS, RDS_CONNECT_TIMEOUT_MS, RDS_MAX_CHANNELS,
 * RDS_KEEPALIVE_INTERVAL_MS, RDS_KEEPALIVE_COUNT_MAX, RDS_HEALTH_CHECK_INTERVAL_MS, RDS_HEALTH_CHECK_TIMEOUT_MS,
 * RDS_HEALTH_CHECK_FAILURES, RDS_HEALTHY_RESET_MS, HEARTBEAT_INTERVAL_MS, METRICS_PORT and the NATS variables.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): ConnectorConfig {
  const insecure = env.RDS_INSECURE_SKIP_HOST_KEY_CHECK;
  if (insecure !== undefined && insecure !== '' && insecure !== 'true' && insecure !== 'false') {
    throw new RdsCsiError('INVALID_ARGUMENT', 'RDS_INSECURE_SKIP_HOST_KEY_CHECK must be true or false');
  }
  if (!env.RDS_ADDRESS)
    throw new RdsCsiError('INVALID_ARGUMENT', 'RDS_ADDRESS (host or IP of the RDS) is required');
  return parseConnectorConfig({
    bus: busConfigFromEnv(env, 'rds-connector'),
    rds: {
      host: env.RDS_ADDRESS,
      port: optionalInt(env, 'RDS_SSH_PORT'),
      username: env.RDS_USER || undefined,
      privateKey: readKey(env.RDS_SSH_KEY_FILE),
      hostKey: env.RDS_HOST_KEY || undefined,
      insecureSkipHostKeyCheck: insecure === 'true',
      basePath: env.RDS_BASE_PATH || undefined,
      nvmePort: optionalInt(env, 'RDS_NVME_PORT'),
      commandTimeoutMs: optionalInt(env, 'RDS_COMMAND_TIMEOUT_MS'),
      copyTimeoutMs: optionalInt(env, 'RDS_COPY_TIMEOUT_MS'),
      connectTimeoutMs: optionalInt(env, 'RDS_CONNECT_TIMEOUT_MS'),
      maxChannels: optionalInt(env, 'RDS_MAX_CHANNELS'),
      keepaliveIntervalMs: optionalInt(env, 'RDS_KEEPALIVE_INTERVAL_MS'),
      keepaliveCountMax: optionalInt(env, 'RDS_KEEPALIVE_COUNT_MAX'),
      healthCheckIntervalMs: optionalInt(env, 'RDS_HEALTH_CHECK_INTERVAL_MS'),
      healthCheckTimeoutMs: optionalInt(env, 'RDS_HEALTH_CHECK_TIMEOUT_MS'),
      healthCheckFailures: optionalInt(env, 'RDS_HEALTH_CHECK_FAILURES'),
      healthyResetMs: optionalInt(env, 'RDS_HEALTHY_RESET_MS'),
    },
    heartbeatIntervalMs: optionalInt(env, 'HEARTBEAT_INTERVAL_MS'),
    metricsPort: optionalInt(env, 'METRICS_PORT'),
  });
}
