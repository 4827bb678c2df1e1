import type { ControllerRpcs } from '@rds-csi/csi-spec';
import type { ControllerConfig } from '../config.js';
import type { ServiceHandlers } from '../server/pipeline.js';
import type { RdsAddresses } from './context.js';
import type { BusCalls } from './rds.js';

export interface ControllerDeps {
  rds: BusCalls;
  addresses: RdsAddresses;
  config: ControllerConfig;
  /** The configured topology zone, if any. */
  zone: string | undefined;
}

export type ControllerHandlers<K extends keyof ControllerRpcs> = Pick<ServiceHandlers<ControllerRpcs>, K>;
