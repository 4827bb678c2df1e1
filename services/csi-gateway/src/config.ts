import { z } from 'zod';
import { BusConfig, busConfigFromEnv } from '@rds-csi/bus';
import { DEFAULT_DRIVER_NAME, RdsCsiError, describeIssues, errorMessage } from '@rds-csi/contracts';

export { DEFAULT_DRIVER_NAME };
import packageJson from '../package.json' with { type: 'json' };
import { parseEndpoint } from './server/endpoint.js';
import { MIB, roundUpToMiB } from './controller/capacity.js';

export const CSI_MODES = ['controller', 'node'] as const;
export type CsiMode = (typeof CSI_MODES)[number];

export const DEFAULT_METRICS_PORT = 9811;
/** The topology key of the Go driver; node plugins report it, volumes are accessible from it. */
export const TOPOLOGY_ZONE_KEY = 'topology.rds.csi.srvlab.io/zone';

/** The spec's plugin-name rule: at most 63 characters, alphanumerics at both ends, dashes and dots between. */
const DRIVER_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/;
/** A topology segment value: at most 63 characters, alphanumerics at both ends, '-', '_', '.' between. */
const TOPOLOGY_VALUE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const Address = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address');

export const ControllerConfig = z.object({
  /** The RDS address reported in volume contexts; defaults to the address the rds-connector reports. */
  rdsAddress: Address.optional(),
  /** NVMe/TCP target address for volumes whose StorageClass sets none; defaults to the RDS address. */
  nvmeAddress: Address.optional(),
  /** Size of a volume whose request names no size (rounded up to whole MiB). */
  defaultVolumeSizeBytes: z
    .number()
    .int()
    .min(MIB)
    .max(Number.MAX_SAFE_INTEGER)
    .default(1024 * MIB)
    .transform(roundUpToMiB),
  /** Advertise alpha controller capabilities (GET_SNAPSHOT); off, since CSI <= 1.11 clients reject unknown ones. */
  alphaCapabilities: z.boolean().default(false),
});
export type ControllerConfig = z.output<typeof ControllerConfig>;

export const GatewayConfig = z
  .object({
    mode: z.enum(CSI_MODES),
    /** `unix:///path/csi.sock`, or `tcp://host:port` for debugging. */
    endpoint: z.string().superRefine((value, ctx) => {
      try {
        parseEndpoint(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: errorMessage(err) });
      }
    }),
    driverName: z
      .string()
      .regex(DRIVER_NAME, 'must be a domain-style name of at most 63 characters')
      .default(DEFAULT_DRIVER_NAME),
    driverVersion: z.string().min(1).default(packageJson.version),
    /** Port of /metrics, /healthz, /readyz; 0 picks a free port, null disables the server. */
    metricsPort: z.number().int().min(0).max(65_535).nullable().default(DEFAULT_METRICS_PORT),
    /** How long shutdown waits for in-flight RPCs before cutting them off. */
    shutdownGraceMs: z.number().int().positive().default(10_000),
    /** The rds-connector's heartbeat period; its state counts as stale after `rdsStaleAfterMs` (default 3x). */
    rdsHeartbeatIntervalMs: z.number().int().positive().default(5_000),
    rdsStaleAfterMs: z.number().int().positive().optional(),
    /** When set, volumes and nodes carry the topology segment TOPOLOGY_ZONE_KEY=<zone>. */
    topologyZone: z.string().regex(TOPOLOGY_VALUE, 'must be a valid topology segment value').optional(),
    controller: ControllerConfig.default({ defaultVolumeSizeBytes: 1024 * MIB, alphaCapabilities: false }),
    bus: BusConfig,
  })
  .transform((c) => ({ ...c, rdsStaleAfterMs: c.rdsStaleAfterMs ?? 3 * c.rdsHeartbeatIntervalMs }));
export type GatewayConfig = z.output<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;

/** Bad configuration: INVALID_ARGUMENT like every other bad input, named so main.ts can exit with a clear message. */
export class ConfigError extends RdsCsiError {
  override readonly name: string = 'ConfigError';
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export function parseGatewayConfig(input: GatewayConfigInput): GatewayConfig {
  const parsed = GatewayConfig.safeParse(input);
  if (!parsed.success)
    throw new ConfigError(`invalid csi-gateway configuration: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function integerEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function booleanEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false')
    throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw.slice(0, 64))}`);
  return raw === 'true';
}

const text = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name] || undefined;

/**
 * Configuration from the environment: CSI_MODE (controller|node), CSI_ENDPOINT, CSI_DRIVER_NAME, METRICS_PORT
 * (number, or `off`), CSI_SHUTDOWN_GRACE_MS, RDS_HEARTBEAT_INTERVAL_MS, RDS_STATE_STALE_MS, CSI_TOPOLOGY_ZONE,
 * CSI_RDS_ADDRESS, CSI_NVME_ADDRESS, CSI_DEFAULT_VOLUME_SIZE_BYTES, CSI_ALPHA_CAPABILITIES (true|false), and the NATS_* variables of the bus.
 */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv): GatewayConfig {
  let bus: BusConfig;
  try {
    bus = busConfigFromEnv(env, 'csi-gateway');
  } catch (err) {
    throw new ConfigError(errorMessage(err));
  }
  return parseGatewayConfig({
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- parseGatewayConfig checks the mode against CSI_MODES with a clear error.
    mode: (text(env, 'CSI_MODE') ?? 'controller') as CsiMode,
    endpoint: text(env, 'CSI_ENDPOINT') ?? 'unix:///csi/csi.sock',
    driverName: text(env, 'CSI_DRIVER_NAME'),
    metricsPort: env.METRICS_PORT === 'off' ? null : integerEnv(env, 'METRICS_PORT'),
    shutdownGraceMs: integerEnv(env, 'CSI_SHUTDOWN_GRACE_MS'),
    rdsHeartbeatIntervalMs: integerEnv(env, 'RDS_HEARTBEAT_INTERVAL_MS'),
    rdsStaleAfterMs: integerEnv(env, 'RDS_STATE_STALE_MS'),
    topologyZone: text(env, 'CSI_TOPOLOGY_ZONE'),
    controller: {
      rdsAddress: text(env, 'CSI_RDS_ADDRESS'),
      nvmeAddress: text(env, 'CSI_NVME_ADDRESS'),
      defaultVolumeSizeBytes: integerEnv(env, 'CSI_DEFAULT_VOLUME_SIZE_BYTES'),
      alphaCapabilities: booleanEnv(env, 'CSI_ALPHA_CAPABILITIES'),
    },
    bus,
  });
}
