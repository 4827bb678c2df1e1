import { isIP } from 'node:net';
import { invalidArgument } from '@rds-csi/contracts';
import { SUPPORTED_FS_TYPES } from './access.js';

/**
 * StorageClass parameters, with the names and defaults of the Go driver so existing StorageClasses keep working.
 * Keys under `csi.storage.k8s.io/` are the sidecars' (PV/PVC names from --extra-create-metadata, secret references)
 * and are ignored, except the fstype. Anything else unknown is INVALID_ARGUMENT: a typo must not silently fall back
 * to a default.
 */
export interface VolumeParameters {
  /** Directory on the RDS for the backing file; the connector checks it lies under its base path. */
  volumePath?: string;
  /** NVMe/TCP target address the nodes connect to; defaults to the configured address. */
  nvmeAddress?: string;
  nvmePort?: number;
  /** nvme-cli ctrl_loss_tmo in seconds; -1 = reconnect forever. */
  ctrlLossTmo: number;
  reconnectDelay: number;
  /** nvme-cli keep_alive_tmo in seconds; 0 = the kernel default. */
  keepAliveTmo: number;
  /** How long a volume may stay attached to two nodes during a live migration. */
  migrationTimeoutSeconds: number;
  fsType?: string;
}

export const PARAMETER_DEFAULTS = {
  ctrlLossTmo: -1,
  reconnectDelay: 5,
  keepAliveTmo: 0,
  migrationTimeoutSeconds: 300,
} as const;

export const MIGRATION_TIMEOUT_BOUNDS = { min: 30, max: 3600 } as const;

const RESERVED_PREFIX = 'csi.storage.k8s.io/';
const FSTYPE_KEY = 'csi.storage.k8s.io/fstype';
const MAX_TIMEOUT_SECONDS = 86_400;
/** RouterOS paths: plain names separated by single slashes; no `..` and nothing a command line could misread. */
const RDS_PATH = /^\/?[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*\/?$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

function integer(key: string, value: string, min: number, max: number): number {
  if (!/^-?\d{1,10}$/.test(value))
    throw invalidArgument(`parameter ${key} must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || n > max)
    throw invalidArgument(`parameter ${key} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export const clampMigrationTimeout = (seconds: number): number =>
  Math.min(MIGRATION_TIMEOUT_BOUNDS.max, Math.max(MIGRATION_TIMEOUT_BOUNDS.min, seconds));

type Setter = (p: VolumeParameters, value: string, key: string) => void;

const PARAMETERS: Record<string, Setter> = {
  volumePath: (p, value, key) => {
    if (value.length > 255 || !RDS_PATH.test(value))
      throw invalidArgument(`parameter ${key} is not a valid RDS path: ${JSON.stringify(value)}`);
    p.volumePath = value;
  },
  nvmeAddress: (p, value, key) => {
    if (!isIP(value) && !HOSTNAME.test(value))
      throw invalidArgument(`parameter ${key} must be an IP address or host name`);
    p.nvmeAddress = value;
  },
  nvmePort: (p, value, key) => (p.nvmePort = integer(key, value, 1, 65_535)),
  ctrlLossTmo: (p, value, key) => (p.ctrlLossTmo = integer(key, value, -1, MAX_TIMEOUT_SECONDS)),
  reconnectDelay: (p, value, key) => (p.reconnectDelay = integer(key, value, 1, MAX_TIMEOUT_SECONDS)),
  keepAliveTmo: (p, value, key) => (p.keepAliveTmo = integer(key, value, 0, MAX_TIMEOUT_SECONDS)),
  migrationTimeoutSeconds: (p, value, key) =>
    (p.migrationTimeoutSeconds = clampMigrationTimeout(
      integer(key, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    )),
  [FSTYPE_KEY]: (p, value, key) => {
    if (!(SUPPORTED_FS_TYPES as readonly string[]).includes(value)) {
      throw invalidArgument(`parameter ${key} must be one of ${SUPPORTED_FS_TYPES.join(', ')}`);
    }
    p.fsType = value;
  },
};

/** Validates StorageClass parameters; every problem is INVALID_ARGUMENT, raised before anything reaches the RDS. */
export function parseVolumeParameters(parameters: Readonly<Record<string, string>>): VolumeParameters {
  const result: VolumeParameters = { ...PARAMETER_DEFAULTS };
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    const set = PARAMETERS[key];
    if (set) set(result, value, key);
    else if (!key.startsWith(RESERVED_PREFIX)) unknown.push(key);
  }
  if (unknown.length > 0) throw invalidArgument(`unknown parameter(s): ${unknown.sort().join(', ')}`);
  return result;
}

/** VolumeSnapshotClass parameters: the driver has none of its own, so only the sidecars' reserved keys pass. */
export function checkSnapshotParameters(parameters: Readonly<Record<string, string>>): void {
  const unknown = Object.keys(parameters).filter((key) => !key.startsWith(RESERVED_PREFIX));
  if (unknown.length > 0)
    throw invalidArgument(`unknown snapshot parameter(s): ${unknown.sort().join(', ')}`);
}
