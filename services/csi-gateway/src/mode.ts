import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Bus } from '@rds-csi/bus';
import type { ControllerRpcs, NodeRpcs } from '@rds-csi/csi-spec';
import type { GatewayConfig } from './config.js';
import type { ServiceHandlers } from './server/pipeline.js';

export interface Readiness {
  ready: boolean;
  reason: string;
}

/** What a mode gets to work with; the gateway owns all of it and closes it on shutdown. */
export interface ModeContext {
  config: GatewayConfig;
  /**
   * The NATS connection in controller mode, which cannot work without it. Node mode gets none: its data path never
   * uses NATS, and kubelet needs the node socket even while NATS is down.
   */
  bus: Bus | undefined;
  logger: Logger;
  registry: Registry;
}

/**
 * A running mode: the CSI services it serves besides Identity (each RPC runs through the gateway's pipeline), its
 * readiness for Probe and /readyz (the gateway adds the NATS check), and what to stop on shutdown.
 */
export interface GatewayMode {
  controller?: ServiceHandlers<ControllerRpcs>;
  node?: ServiceHandlers<NodeRpcs>;
  readiness(): Readiness;
  stop(): Promise<void>;
  /** The Kubernetes node this instance serves (node mode), for service discovery. */
  nodeId?: string;
}

export type ModeFactory = (ctx: ModeContext) => Promise<GatewayMode>;
