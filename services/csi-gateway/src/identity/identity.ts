import type { IdentityRpcs, Input, PluginCapability } from '@rds-csi/csi-spec';
import type { Readiness } from '../mode.js';
import type { ServiceHandlers } from '../server/pipeline.js';

/**
 * Plugin capabilities: the same in controller and node mode, as the spec requires of every instance of one plugin
 * version. Expansion is ONLINE: the RDS grows a file disk while it is exported, and the node grows the filesystem.
 */
export function pluginCapabilities(topologyZone: string | undefined): Input<PluginCapability>[] {
  return [
    { service: { type: 'CONTROLLER_SERVICE' } },
    { volume_expansion: { type: 'ONLINE' } },
    ...(topologyZone ? [{ service: { type: 'VOLUME_ACCESSIBILITY_CONSTRAINTS' as const } }] : []),
  ];
}

export interface PluginInfo {
  name: string;
  version: string;
  topologyZone: string | undefined;
}

export function identityHandlers(
  info: PluginInfo,
  readiness: () => Readiness,
): ServiceHandlers<IdentityRpcs> {
  return {
    GetPluginInfo: async () => ({ name: info.name, vendor_version: info.version }),
    GetPluginCapabilities: async () => ({ capabilities: pluginCapabilities(info.topologyZone) }),
    // Not ready is an answer, not an error: the plugin is healthy but cannot serve volumes right now.
    Probe: async (_request, ctx) => {
      const { ready, reason } = readiness();
      ctx.annotate({ ready, reason });
      return { ready: { value: ready } };
    },
  };
}
