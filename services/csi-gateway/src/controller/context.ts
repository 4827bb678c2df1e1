import { unavailable, type Volume as RdsVolume } from '@rds-csi/contracts';
import type { ControllerConfig } from '../config.js';
import type { RdsConnectionTracker } from '../identity/rds-connection.js';
import { clampMigrationTimeout, type VolumeParameters } from './parameters.js';

/** Volume context keys, as the Go driver named them (existing PVs carry them). */
export const CONTEXT_KEYS = {
  rdsAddress: 'rdsAddress',
  nvmeAddress: 'nvmeAddress',
  nvmePort: 'nvmePort',
  nqn: 'nqn',
  volumePath: 'volumePath',
  ctrlLossTmo: 'ctrlLossTmo',
  reconnectDelay: 'reconnectDelay',
  keepAliveTmo: 'keepAliveTmo',
  migrationTimeoutSeconds: 'migrationTimeoutSeconds',
} as const;

/** Addresses of the RDS: configured, or as the rds-connector reports its connection. */
export class RdsAddresses {
  constructor(
    private readonly config: ControllerConfig,
    private readonly tracker: RdsConnectionTracker,
  ) {}

  rds(): string {
    const address = this.config.rdsAddress ?? this.tracker.state?.address;
    if (!address)
      throw unavailable(
        'the RDS address is not known yet: set CSI_RDS_ADDRESS or wait for the rds-connector',
      );
    return address;
  }

  /** The NVMe/TCP target: the volume's own (from its StorageClass), else the configured one, else the RDS. */
  nvme(fromVolume?: string): string {
    return fromVolume || this.config.nvmeAddress || this.rds();
  }
}

/** The volume context returned at creation: everything a node needs to connect, with the Go driver's keys. */
export function volumeContext(
  volume: RdsVolume,
  params: VolumeParameters,
  addresses: RdsAddresses,
): Record<string, string> {
  return {
    [CONTEXT_KEYS.rdsAddress]: addresses.rds(),
    [CONTEXT_KEYS.nvmeAddress]: addresses.nvme(params.nvmeAddress),
    [CONTEXT_KEYS.nvmePort]: String(volume.nvmeTcpPort),
    [CONTEXT_KEYS.nqn]: volume.nqn,
    [CONTEXT_KEYS.volumePath]: volume.filePath,
    [CONTEXT_KEYS.ctrlLossTmo]: String(params.ctrlLossTmo),
    [CONTEXT_KEYS.reconnectDelay]: String(params.reconnectDelay),
    [CONTEXT_KEYS.keepAliveTmo]: String(params.keepAliveTmo),
    [CONTEXT_KEYS.migrationTimeoutSeconds]: String(params.migrationTimeoutSeconds),
  };
}

/**
 * The migration timeout a volume context names (clamped to 30-3600 s), or undefined when it names none: the
 * reconciler then applies its fallbacks (the record's value, then RECONCILER_MIGRATION_TIMEOUT_SECONDS).
 */
export function migrationTimeoutFromContext(context: Readonly<Record<string, string>>): number | undefined {
  const raw = context[CONTEXT_KEYS.migrationTimeoutSeconds];
  return raw && /^-?\d{1,9}$/.test(raw) ? clampMigrationTimeout(Number(raw)) : undefined;
}
