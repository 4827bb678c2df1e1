import type { CsiServices } from '@rds-csi/csi-spec';
import { Registry, silentLogger, type Logger } from '@rds-csi/observability';
import type { RpcContext, ServiceHandlers } from '../server/pipeline.js';
import { VolumeBreakers } from './breaker.js';
import type { NodeConfig } from './config.js';
import {
  createCommandRunner,
  missingTools,
  REQUIRED_TOOLS,
  type CommandRunner,
  type NodeTool,
} from './exec.js';
import { encodeNodeId } from '../node-id.js';
import { FilesystemTools } from './filesystem.js';
import { readHostNqn } from './host-nqn.js';
import { createNodeMetrics } from './metrics.js';
import { Mounter } from './mounter.js';
import { NvmeCliFabric, NvmeManager, type NvmeFabric, type OrphanReport } from './nvme.js';
import { nodeCapabilities, nodeInfo } from './node-info.js';
import { createNodeParts } from './service.js';
import { VolumeStateStore } from './state.js';
import { NvmeSysfs } from './sysfs.js';
import { requireVolumeId } from './volume-request.js';
import { errorMessage } from '@rds-csi/contracts';

export {
  DEFAULT_MANAGED_NQN_PREFIX,
  nodeConfig,
  nodeConfigFromEnv,
  type NodeConfig,
  type NodeConfigOverrides,
  type NodeTimeouts,
} from './config.js';
export {
  createCommandRunner,
  REQUIRED_TOOLS,
  type CommandResult,
  type CommandRunner,
  type NodeTool,
} from './exec.js';
export { NvmeCliFabric, type NvmeFabric, type OrphanReport } from './nvme.js';
export { NvmeSysfs, type BlockDevice, type NvmeSubsystem } from './sysfs.js';
export type { NvmeTarget } from './volume-request.js';

export interface NodeServiceDeps {
  logger?: Logger;
  /** Node metrics are registered here (the pipeline's RPC metrics cover calls by method and code). */
  registry?: Registry;
  /** The NVMe-oF layer; default nvme-cli. Tests plug in the loop connector from @rds-csi/testkit. */
  fabric?: NvmeFabric;
  /** Replaces the command runner (tests wrap the real one to inject failures). */
  runner?: CommandRunner;
  /** Absolute paths of tools that are not in PATH (tests point `nvme` at a fake). */
  toolPaths?: Partial<Record<NodeTool, string>>;
  /** Clock of the circuit breakers. */
  now?: () => number;
}

export interface NodeProbeResult {
  ready: boolean;
  /** Required tools that were not found. */
  missing: NodeTool[];
}

export interface NodePlugin {
  /** The csi.v1.Node handlers, for `pipeline.bind('Node', handlers)`. */
  handlers: ServiceHandlers<CsiServices['Node']>;
  /** Node-mode readiness: every required tool (nvme, blkid, mkfs.ext4, mount, umount) is installed. */
  probe(): Promise<NodeProbeResult>;
  /** Start-up housekeeping: disconnects managed NVMe subsystems that have no block device. Never throws. */
  start(): Promise<OrphanReport>;
}

/** Claims the volume for the call: a second concurrent operation on it gets ABORTED from the pipeline. */
function lockVolume(volumeId: string, ctx: RpcContext): void {
  const id = requireVolumeId(volumeId);
  ctx.annotate({ volumeId: id });
  ctx.lock(`volume:${id}`, `volume ${id}`);
}

/** Builds the node plugin: the Node service handlers plus its probe and start-up hook. */
export function createNodeService(config: NodeConfig, deps: NodeServiceDeps = {}): NodePlugin {
  const logger = (deps.logger ?? silentLogger()).child({ component: 'node' });
  const breakers: VolumeBreakers = new VolumeBreakers({
    failureThreshold: config.breakerFailureThreshold,
    cooldownMs: config.breakerCooldownMs,
    now: deps.now,
    onTrip: (volumeId) => {
      metrics.breakerTripped();
      logger.warn({ volumeId, cooldownMs: config.breakerCooldownMs }, 'volume circuit breaker opened');
    },
  });
  const metrics = createNodeMetrics(deps.registry ?? new Registry(), () => breakers.openCount());
  const runner =
    deps.runner ??
    createCommandRunner({
      defaultTimeoutMs: config.timeouts.commandMs,
      paths: deps.toolPaths,
      onComplete: metrics.command,
    });
  const sysfs = new NvmeSysfs(config.sysfsRoot, config.devRoot);
  const nvme = new NvmeManager(
    deps.fabric ?? new NvmeCliFabric(runner, sysfs, config.timeouts.connectMs),
    sysfs,
    {
      managedNqnPrefix: config.managedNqnPrefix,
      connectRetries: config.connectRetries,
      connectRetryDelayMs: config.connectRetryDelayMs,
      deviceWaitMs: config.timeouts.deviceWaitMs,
      logger,
    },
  );
  const { staging, publishing, volumes } = createNodeParts({
    config,
    nvme,
    filesystems: new FilesystemTools(runner, {
      probeAttempts: config.blkidAttempts,
      probeRetryDelayMs: config.blkidRetryDelayMs,
      commandTimeoutMs: config.timeouts.commandMs,
      mkfsTimeoutMs: config.timeouts.mkfsMs,
      resizeTimeoutMs: config.timeouts.resizeMs,
    }),
    mounter: new Mounter(runner, config.mountInfoPath, config.timeouts.commandMs),
    states: new VolumeStateStore(config.stateDir, logger),
    breakers,
    logger,
  });

  const handlers: ServiceHandlers<CsiServices['Node']> = {
    async NodeStageVolume(request, ctx) {
      lockVolume(request.volume_id, ctx);
      await staging.stage(request);
      return {};
    },
    async NodeUnstageVolume(request, ctx) {
      lockVolume(request.volume_id, ctx);
      await staging.unstage(request);
      return {};
    },
    async NodePublishVolume(request, ctx) {
      lockVolume(request.volume_id, ctx);
      await publishing.publish(request);
      return {};
    },
    async NodeUnpublishVolume(request, ctx) {
      lockVolume(request.volume_id, ctx);
      await publishing.unpublish(request);
      return {};
    },
    async NodeGetVolumeStats(request, ctx) {
      // Read-only and polled by the kubelet: no lock, so it never makes a stage or publish fail with ABORTED.
      ctx.annotate({ volumeId: request.volume_id });
      return volumes.stats(request);
    },
    async NodeExpandVolume(request, ctx) {
      lockVolume(request.volume_id, ctx);
      return { capacity_bytes: await volumes.expand(request) };
    },
    async NodeGetCapabilities() {
      return nodeCapabilities();
    },
    async NodeGetInfo() {
      const hostNqn = await readHostNqn(config.hostNqnPath, logger);
      return { ...nodeInfo(config), node_id: encodeNodeId({ nodeName: config.nodeId, hostNqn }) };
    },
  };

  return {
    handlers,
    async probe() {
      const missing = await missingTools(REQUIRED_TOOLS, deps.toolPaths);
      return { ready: missing.length === 0, missing };
    },
    async start() {
      try {
        const report = await nvme.disconnectOrphans();
        metrics.orphansDisconnected(report.disconnected.length);
        if (report.disconnected.length > 0 || report.failed.length > 0)
          logger.info(report, 'orphaned NVMe controllers handled');
        return report;
      } catch (err) {
        logger.warn({ err: errorMessage(err) }, 'orphaned NVMe controller scan failed');
        return { disconnected: [], failed: [] };
      }
    },
  };
}
