import type { Logger } from '@rds-csi/observability';
import type { VolumeBreakers } from './breaker.js';
import type { NodeConfig } from './config.js';
import type { FilesystemTools } from './filesystem.js';
import { MountPoints } from './mount-points.js';
import type { Mounter } from './mounter.js';
import type { NvmeManager } from './nvme.js';
import { Publishing } from './publishing.js';
import { Staging } from './staging.js';
import type { VolumeStateStore } from './state.js';
import { VolumeStats } from './volume-stats.js';

export interface NodeComponents {
  config: NodeConfig;
  nvme: NvmeManager;
  filesystems: FilesystemTools;
  mounter: Mounter;
  states: VolumeStateStore;
  breakers: VolumeBreakers;
  logger: Logger;
}

/** The parts of the CSI Node service, each with one job, wired to the same components. */
export interface NodeParts {
  staging: Staging;
  publishing: Publishing;
  volumes: VolumeStats;
}

export function createNodeParts(components: NodeComponents): NodeParts {
  const { config, nvme, filesystems, mounter, states, breakers, logger } = components;
  const mounts = new MountPoints(mounter);
  const staging = new Staging({
    limits: { maxVolumesPerNode: config.maxVolumesPerNode, managedNqnPrefix: config.managedNqnPrefix },
    nvme,
    filesystems,
    mounts,
    states,
    breakers,
    logger,
  });
  return {
    staging,
    publishing: new Publishing({
      managedNqnPrefix: config.managedNqnPrefix,
      nvme,
      mounts,
      states,
      breakers,
      logger,
      staging,
    }),
    volumes: new VolumeStats({
      deviceWaitMs: config.timeouts.deviceWaitMs,
      nvme,
      filesystems,
      mounts,
      states,
      breakers,
    }),
  };
}
