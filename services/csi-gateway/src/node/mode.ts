import type { ModeFactory, Readiness } from '../mode.js';
import { nodeConfigFromEnv, type NodeConfig } from './config.js';
import { createNodeService, type NodeProbeResult, type NodeServiceDeps } from './index.js';

export interface NodeModeOptions {
  /** Default: nodeConfigFromEnv(env). */
  config?: NodeConfig;
  env?: NodeJS.ProcessEnv;
  /** Test seams (fabric, runner, tool paths); logger and registry come from the gateway. */
  deps?: Omit<NodeServiceDeps, 'logger' | 'registry'>;
}

function readiness(probe: NodeProbeResult): Readiness {
  return probe.ready
    ? { ready: true, reason: 'node plugin ready' }
    : { ready: false, reason: `required tools missing: ${probe.missing.join(', ')}` };
}

/**
 * Node mode for the gateway: serves the Node service, is ready when the required tools are installed (checked once:
 * a container image does not gain or lose tools while it runs), and disconnects orphaned NVMe controllers of the
 * managed prefix before the socket opens. The gateway's topology zone, when set, wins over CSI_TOPOLOGY_ZONE.
 */
export function nodeMode(options: NodeModeOptions = {}): ModeFactory {
  return async ({ config: gateway, logger, registry }) => {
    const base = options.config ?? nodeConfigFromEnv(options.env ?? process.env);
    const config = gateway.topologyZone ? { ...base, topologyZone: gateway.topologyZone } : base;
    const plugin = createNodeService(config, { ...options.deps, logger, registry });
    const [probe] = await Promise.all([plugin.probe(), plugin.start()]);
    if (!probe.ready) logger.error({ missing: probe.missing }, 'node plugin is missing required tools');
    return {
      node: plugin.handlers,
      nodeId: config.nodeId,
      readiness: () => readiness(probe),
      stop: async () => undefined,
    };
  };
}

/** The node-mode entry for the gateway's MODES table. */
export const startNodeMode: ModeFactory = nodeMode();
